import { ContentLayout, Flex, HeaderLayout, Main, Tab, TabGroup, Tabs } from '@strapi/design-system';
import {
  AnErrorOccurred,
  EmptyStateLayout,
  PageSizeURLQuery,
  PaginationURLQuery,
  SettingsPageTitle,
  useFocusWhenNavigate,
  useQueryParams,
  useRBAC,
} from '@strapi/helper-plugin';
import { useIntl } from 'react-intl';

import type { UserAudience } from '../../../shared/api/users';
import { ResetDuoDialog } from '../../components/users/ResetDuoDialog';
import { UsersSearch } from '../../../shared/components/users/UsersSearch';
import { UsersTable } from '../../../shared/components/users/UsersTable';
import { useDuoUsers } from '../../hooks/useDuoUsers';
import { PERMISSIONS } from '../../../shared/permissions';
import { getTrad } from '../../../shared/utils/getTrad';

// Module level: useRBAC keys its queries on this object.
const RESET_PERMISSIONS = { reset: PERMISSIONS.usersReset };
const AUDIENCES: readonly UserAudience[] = ['staff', 'clients'];
const PAGE_SIZES = ['10', '20', '50', '100'];

interface UsersQuery {
  audience?: string;
  search?: string;
  page?: string;
  pageSize?: string;
}

function positive(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

/** Settings → Duo users: administrators and clients with their Duo status; Reset Duo with `users.reset`. */
export function UsersPage() {
  const { formatMessage } = useIntl();
  useFocusWhenNavigate();
  const { allowedActions } = useRBAC(RESET_PERMISSIONS);
  const [{ query }, setQuery] = useQueryParams<UsersQuery>();
  const audience: UserAudience = query.audience === 'clients' ? 'clients' : 'staff';
  const list = {
    audience,
    search: typeof query.search === 'string' ? query.search : '',
    page: positive(query.page, 1),
    pageSize: Math.min(positive(query.pageSize, 10), 100),
  };
  const users = useDuoUsers(list);
  const title = formatMessage({ id: getTrad('users.title'), defaultMessage: 'Duo users' });

  return (
    <Main aria-busy={users.isLoading}>
      <SettingsPageTitle name={title} />
      <HeaderLayout
        title={title}
        subtitle={formatMessage({
          id: getTrad('users.subtitle'),
          defaultMessage:
            'Who uses Duo, and when they last did. Reset Duo for someone who lost their phone: they enrol again at their next sign-in.',
        })}
      />
      <ContentLayout>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <TabGroup
            label={formatMessage({ id: getTrad('users.audience'), defaultMessage: 'Who' })}
            variant="simple"
            selectedTabIndex={AUDIENCES.indexOf(audience)}
            onTabChange={(index: number) => setQuery({ audience: AUDIENCES[index] ?? 'staff', page: '1' })}
          >
            <Tabs>
              <Tab>{formatMessage({ id: getTrad('users.audience.staff'), defaultMessage: 'Administrators' })}</Tab>
              <Tab>{formatMessage({ id: getTrad('users.audience.clients'), defaultMessage: 'Clients' })}</Tab>
            </Tabs>
          </TabGroup>
          <UsersSearch
            key={audience}
            initial={list.search}
            onSearch={(search) =>
              search === ''
                ? setQuery({ search: '' }, 'remove')
                : setQuery({ search: encodeURIComponent(search), page: '1' })
            }
          />
          {users.isError ? (
            <AnErrorOccurred
              content={{ id: getTrad('users.loadError'), defaultMessage: 'The users could not be loaded.' }}
            />
          ) : (
            <UsersTable
              audience={audience}
              users={users.data?.data ?? []}
              isLoading={users.isLoading}
              canReset={allowedActions.canReset === true}
              empty={
                <EmptyStateLayout
                  content={{ id: getTrad('users.empty'), defaultMessage: 'No user matches.' }}
                  icon="permissions"
                  action={null}
                  hasRadius
                  shadow="tableShadow"
                />
              }
              ResetDialog={ResetDuoDialog}
            />
          )}
          {users.data ? (
            <Flex justifyContent="space-between">
              <PageSizeURLQuery options={PAGE_SIZES} defaultValue="10" />
              <PaginationURLQuery pagination={{ pageCount: users.data.meta.pagination.pageCount }} />
            </Flex>
          ) : null}
        </Flex>
      </ContentLayout>
    </Main>
  );
}
