import { useMemo } from 'react';

import { EmptyStateLayout, Flex, Tabs } from '@strapi/design-system';
import { Layouts, Page, Pagination, useFetchClient, useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { USERS_PATH, type UserAudience, type UserList } from '../../../../shared/api/users.js';
import { UsersSearch } from '../../../../shared/components/users/UsersSearch.js';
import { UsersTable } from '../../../../shared/components/users/UsersTable.js';
import { PERMISSIONS } from '../../../../shared/permissions.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';
import { createResetDuoDialog } from '../../components/users/ResetDuoDialog.js';
import { useResource } from '../../hooks/useResource.js';

// Module level: useRBAC keys its queries on this object.
const RESET_PERMISSIONS = { reset: PERMISSIONS.usersReset };
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
  const { get } = useFetchClient();
  const { allowedActions } = useRBAC(RESET_PERMISSIONS);
  // The list's state lives in the address (?audience, ?search, ?page, ?pageSize), as on Strapi 4: Strapi 5's
  // Pagination reads and writes page and pageSize there itself.
  const [{ query }, setQuery] = useQueryParams<UsersQuery>();
  const audience: UserAudience = query.audience === 'clients' ? 'clients' : 'staff';
  const list = {
    audience,
    search: typeof query.search === 'string' ? query.search : '',
    page: positive(query.page, 1),
    pageSize: Math.min(positive(query.pageSize, 10), 100),
  };
  const users = useResource(JSON.stringify(list), async () => {
    const { data } = await get<UserList>(USERS_PATH, {
      params: {
        audience: list.audience,
        page: String(list.page),
        pageSize: String(list.pageSize),
        // The admin's fetch client does not encode parameters (qs with encode: false): do it here.
        ...(list.search === '' ? {} : { search: encodeURIComponent(list.search) }),
      },
    });
    return data;
  });
  const { reload } = users;
  const ResetDialog = useMemo(() => createResetDuoDialog(reload), [reload]);
  const title = formatMessage({ id: getTrad('users.title'), defaultMessage: 'Duo users' });

  return (
    <Page.Main aria-busy={users.isLoading}>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={formatMessage({
          id: getTrad('users.subtitle'),
          defaultMessage:
            'Who uses Duo, and when they last did. Reset Duo for someone who lost their phone: they enrol again at their next sign-in.',
        })}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Tabs.Root
            variant="simple"
            value={audience}
            onValueChange={(value: string) =>
              setQuery({ audience: value === 'clients' ? 'clients' : 'staff', page: '1' })
            }
          >
            <Tabs.List aria-label={formatMessage({ id: getTrad('users.audience'), defaultMessage: 'Who' })}>
              <Tabs.Trigger value="staff">
                {formatMessage({ id: getTrad('users.audience.staff'), defaultMessage: 'Administrators' })}
              </Tabs.Trigger>
              <Tabs.Trigger value="clients">
                {formatMessage({ id: getTrad('users.audience.clients'), defaultMessage: 'Clients' })}
              </Tabs.Trigger>
            </Tabs.List>
          </Tabs.Root>
          <UsersSearch
            key={audience}
            initial={list.search}
            onSearch={(search) =>
              search === ''
                ? setQuery({ search: '' }, 'remove')
                : setQuery({ search: encodeURIComponent(search), page: '1' })
            }
          />
          {users.error !== null && users.data === undefined ? (
            <Page.Error
              content={formatMessage({
                id: getTrad('users.loadError'),
                defaultMessage: 'The users could not be loaded.',
              })}
            />
          ) : (
            <UsersTable
              audience={audience}
              users={users.data?.data ?? []}
              isLoading={users.isLoading}
              canReset={allowedActions.canReset === true}
              empty={
                <EmptyStateLayout
                  content={formatMessage({ id: getTrad('users.empty'), defaultMessage: 'No user matches.' })}
                  hasRadius
                  shadow="tableShadow"
                />
              }
              ResetDialog={ResetDialog}
            />
          )}
          {users.data ? (
            <Pagination.Root
              pageCount={users.data.meta.pagination.pageCount}
              total={users.data.meta.pagination.total}
              defaultPageSize={10}
            >
              <Pagination.PageSize options={PAGE_SIZES} />
              <Pagination.Links />
            </Pagination.Root>
          ) : null}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}
