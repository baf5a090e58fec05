import { useState } from 'react';

import { Button, EmptyStateLayout, Flex } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { Layouts, Page, Pagination, useFetchClient, useNotification, useQueryParams } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import {
  AUDIT_EXPORT_PATH,
  AUDIT_PATH,
  auditFilterOf,
  auditParams,
  type AuditFilter,
  type AuditPage as AuditList,
} from '../../../../shared/api/audit.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';
import { AuditFilters } from '../../components/audit/AuditFilters.js';
import { AuditTable } from '../../../../shared/components/audit/AuditTable.js';
import { useResource } from '../../hooks/useResource.js';

const PAGE_SIZES = ['10', '25', '50', '100'];
const EMPTY_PARAMS = { audience: '', event: '', user: '', from: '', to: '' };

function positive(value: unknown, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

/** Saves a CSV answer as a file (the request carried the admin's token, so a plain link would not do). */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Settings → Duo audit log: who did what with Duo, when and from where; filtered, paged, exported as CSV. */
export function AuditPage() {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [{ query }, setQuery] = useQueryParams<Record<string, string>>();
  const filter = auditFilterOf(query);
  const page = positive(query.page, 1);
  const pageSize = Math.min(positive(query.pageSize, 25), 100);
  const entries = useResource(JSON.stringify({ filter, page, pageSize }), async () => {
    const { data } = await get<AuditList>(AUDIT_PATH, {
      params: { ...auditParams(filter), page: String(page), pageSize: String(pageSize) },
    });
    return data;
  });
  const [exporting, setExporting] = useState(false);
  const title = formatMessage({ id: getTrad('audit.title'), defaultMessage: 'Duo audit log' });

  // One navigation for the whole filter (empty fields mean "no filter"); the list starts again on its first page.
  const apply = (next: AuditFilter) => setQuery({ ...EMPTY_PARAMS, ...auditParams(next), page: '1' });

  const download = async () => {
    setExporting(true);
    try {
      const response = await get<Blob>(AUDIT_EXPORT_PATH, { params: auditParams(filter), responseType: 'blob' });
      const headers = response.headers as Headers | undefined;
      const disposition = headers?.get('content-disposition') ?? '';
      save(response.data, /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'duo-audit.csv');
      if (headers?.get('x-duo-audit-truncated') === 'true') {
        toggleNotification({
          type: 'warning',
          message: formatMessage({
            id: getTrad('audit.export.truncated'),
            defaultMessage: 'The file holds the newest 10,000 entries: narrow the filters for the others.',
          }),
        });
      }
    } catch {
      toggleNotification({
        type: 'danger',
        message: formatMessage({
          id: getTrad('audit.export.error'),
          defaultMessage: 'The audit log could not be exported.',
        }),
      });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page.Main aria-busy={entries.isLoading}>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
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
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <AuditFilters
            key={JSON.stringify(filter)}
            initial={filter}
            events={entries.data?.meta.events ?? []}
            onApply={apply}
          />
          {entries.error !== null && entries.data === undefined ? (
            <Page.Error
              content={formatMessage({
                id: getTrad('audit.loadError'),
                defaultMessage: 'The audit log could not be loaded.',
              })}
            />
          ) : (
            <AuditTable
              entries={entries.data?.data ?? []}
              isLoading={entries.isLoading}
              empty={
                <EmptyStateLayout
                  content={formatMessage({ id: getTrad('audit.empty'), defaultMessage: 'No audit entry matches.' })}
                  hasRadius
                  shadow="tableShadow"
                />
              }
            />
          )}
          {entries.data ? (
            <Pagination.Root
              pageCount={entries.data.meta.pagination.pageCount}
              total={entries.data.meta.pagination.total}
              defaultPageSize={25}
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
