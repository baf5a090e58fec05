import { useState } from 'react';

import { Button, ContentLayout, Flex, HeaderLayout, Main } from '@strapi/design-system';
import {
  AnErrorOccurred,
  EmptyStateLayout,
  PageSizeURLQuery,
  PaginationURLQuery,
  SettingsPageTitle,
  useFocusWhenNavigate,
  useNotification,
  useQueryParams,
} from '@strapi/helper-plugin';
import { Download } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { auditFilterOf, auditParams, type AuditFilter } from '../../../shared/api/audit';
import { AuditFilters } from '../../components/audit/AuditFilters';
import { AuditTable } from '../../../shared/components/audit/AuditTable';
import { useAuditExport, useAuditLog } from '../../hooks/useAuditLog';
import { getTrad } from '../../../shared/utils/getTrad';

const PAGE_SIZES = ['10', '25', '50', '100'];
const EMPTY_PARAMS = { audience: '', event: '', user: '', from: '', to: '' };

function positive(value: unknown, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

/** Settings → Duo audit log: who did what with Duo, when and from where; filtered, paged, exported as CSV. */
export function AuditPage() {
  const { formatMessage } = useIntl();
  const notify = useNotification();
  useFocusWhenNavigate();
  const [{ query }, setQuery] = useQueryParams<Record<string, string>>();
  const filter = auditFilterOf(query);
  const page = positive(query.page, 1);
  const pageSize = Math.min(positive(query.pageSize, 25), 100);
  const entries = useAuditLog(filter, page, pageSize);
  const exportCsv = useAuditExport();
  const [exporting, setExporting] = useState(false);
  const title = formatMessage({ id: getTrad('audit.title'), defaultMessage: 'Duo audit log' });

  // One navigation for the whole filter (empty fields are kept as empty values, which mean "no filter"); the
  // list starts again on its first page.
  const apply = (next: AuditFilter) => setQuery({ ...EMPTY_PARAMS, ...auditParams(next), page: '1' });

  const download = async () => {
    setExporting(true);
    try {
      const { truncated } = await exportCsv(filter);
      if (truncated) {
        notify({
          type: 'warning',
          message: {
            id: getTrad('audit.export.truncated'),
            defaultMessage: 'The file holds the newest 10,000 entries: narrow the filters for the others.',
          },
        });
      }
    } catch {
      notify({
        type: 'warning',
        message: { id: getTrad('audit.export.error'), defaultMessage: 'The audit log could not be exported.' },
      });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Main aria-busy={entries.isLoading}>
      <SettingsPageTitle name={title} />
      <HeaderLayout
        title={title}
        subtitle={formatMessage({
          id: getTrad('audit.subtitle'),
          defaultMessage: 'Every Duo sign-in step, enrolment and reset: who, when, from where, with what outcome.',
        })}
        primaryAction={
          <Button startIcon={<Download />} variant="secondary" loading={exporting} onClick={() => void download()}>
            {formatMessage({ id: getTrad('audit.export'), defaultMessage: 'Export CSV' })}
          </Button>
        }
      />
      <ContentLayout>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <AuditFilters
            key={JSON.stringify(filter)}
            initial={filter}
            events={entries.data?.meta.events ?? []}
            onApply={apply}
          />
          {entries.isError ? (
            <AnErrorOccurred
              content={{ id: getTrad('audit.loadError'), defaultMessage: 'The audit log could not be loaded.' }}
            />
          ) : (
            <AuditTable
              entries={entries.data?.data ?? []}
              isLoading={entries.isLoading}
              empty={
                <EmptyStateLayout
                  content={{ id: getTrad('audit.empty'), defaultMessage: 'No audit entry matches.' }}
                  icon="document"
                  action={null}
                  hasRadius
                  shadow="tableShadow"
                />
              }
            />
          )}
          {entries.data ? (
            <Flex justifyContent="space-between">
              <PageSizeURLQuery options={PAGE_SIZES} defaultValue="25" />
              <PaginationURLQuery pagination={{ pageCount: entries.data.meta.pagination.pageCount }} />
            </Flex>
          ) : null}
        </Flex>
      </ContentLayout>
    </Main>
  );
}
