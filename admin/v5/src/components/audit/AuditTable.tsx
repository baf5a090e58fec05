import { EmptyStateLayout, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { auditWho, type AuditEntry } from '../../../../shared/api/audit.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';

const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['audit.column.when', 'When'],
  ['audit.column.who', 'Who'],
  ['audit.column.audience', 'Audience'],
  ['audit.column.event', 'Event'],
  ['audit.column.outcome', 'Outcome'],
  ['audit.column.ip', 'IP address'],
];

/** The entries as rows. Everything shown is text (React escapes it): names and Duo's words are data. */
export function AuditTable({ entries, isLoading }: { entries: AuditEntry[]; isLoading: boolean }) {
  const { formatMessage, formatDate } = useIntl();

  if (!isLoading && entries.length === 0) {
    return (
      <EmptyStateLayout
        content={formatMessage({ id: getTrad('audit.empty'), defaultMessage: 'No audit entry matches.' })}
        hasRadius
        shadow="tableShadow"
      />
    );
  }

  return (
    <Table colCount={COLUMNS.length} rowCount={entries.length + 1}>
      <Thead>
        <Tr>
          {COLUMNS.map(([id, defaultMessage]) => (
            <Th key={id}>
              <Typography variant="sigma">{formatMessage({ id: getTrad(id), defaultMessage })}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {entries.map((entry) => (
          <Tr key={entry.id} data-testid="duo-audit-row" data-event={entry.event}>
            <Td>
              <Typography textColor="neutral800">
                {formatDate(entry.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{auditWho(entry)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">
                {entry.audience === 'staff'
                  ? formatMessage({ id: getTrad('users.audience.staff'), defaultMessage: 'Administrators' })
                  : formatMessage({ id: getTrad('users.audience.clients'), defaultMessage: 'Clients' })}
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{entry.event}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{entry.outcome ?? '—'}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{entry.ip ?? '—'}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
