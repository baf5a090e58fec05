import type { ReactNode } from 'react';

import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { auditWho, type AuditEntry } from '../../api/audit.ts';
import { getTrad } from '../../utils/getTrad.ts';

const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['audit.column.when', 'When'],
  ['audit.column.who', 'Who'],
  ['audit.column.audience', 'Audience'],
  ['audit.column.event', 'Event'],
  ['audit.column.outcome', 'Outcome'],
  ['audit.column.ip', 'IP address'],
];

export interface AuditTableProps {
  entries: AuditEntry[];
  isLoading: boolean;
  /** Shown instead of the table when no entry matches (each admin has its own empty-state component). */
  empty: ReactNode;
}

/**
 * The entries as rows; everything shown is text (React escapes it): names and Duo's words are data. Shared by both
 * admins: the table components take the same props in design system 1 and 2; the empty state comes in as a prop.
 */
export function AuditTable({ entries, isLoading, empty }: AuditTableProps) {
  const { formatMessage, formatDate } = useIntl();

  if (!isLoading && entries.length === 0) return <>{empty}</>;

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
