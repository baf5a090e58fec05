import { useState, type ComponentType, type ReactNode } from 'react';

import { Button, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { DuoUser, UserAudience } from '../../api/users.ts';
import { getTrad } from '../../utils/getTrad.ts';
import { DuoStatusBadge } from './DuoStatusBadge.tsx';

export interface UsersTableProps {
  audience: UserAudience;
  users: DuoUser[];
  isLoading: boolean;
  /** The `users.reset` permission: shows Reset Duo. */
  canReset: boolean;
  /** Shown instead of the table when no user matches (each admin has its own empty-state component). */
  empty: ReactNode;
  /** The "Reset Duo for …?" confirmation (each admin has its own dialog API); `user` null closes it. */
  ResetDialog: ComponentType<{ user: DuoUser | null; onClose(): void }>;
}

/**
 * The users with their Duo status and Reset Duo. Shared by both admins: the table components and Button take the same
 * props in design system 1 and 2; what differs (empty state, confirmation dialog) comes in as props.
 */
export function UsersTable({ audience, users, isLoading, canReset, empty, ResetDialog }: UsersTableProps) {
  const { formatMessage, formatDate } = useIntl();
  const [resetting, setResetting] = useState<DuoUser | null>(null);
  const columns = canReset ? 5 : 4;
  const when = (value: string | null) =>
    value === null ? '—' : formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

  if (!isLoading && users.length === 0) return <>{empty}</>;

  return (
    <>
      <Table colCount={columns} rowCount={users.length + 1}>
        <Thead>
          <Tr>
            <Th>
              <Typography variant="sigma">
                {audience === 'staff'
                  ? formatMessage({ id: getTrad('users.column.administrator'), defaultMessage: 'Administrator' })
                  : formatMessage({ id: getTrad('users.column.client'), defaultMessage: 'Client' })}
              </Typography>
            </Th>
            <Th>
              <Typography variant="sigma">
                {formatMessage({ id: getTrad('users.column.email'), defaultMessage: 'E-mail' })}
              </Typography>
            </Th>
            <Th>
              <Typography variant="sigma">
                {formatMessage({ id: getTrad('users.column.duo'), defaultMessage: 'Duo' })}
              </Typography>
            </Th>
            <Th>
              <Typography variant="sigma">
                {formatMessage({ id: getTrad('users.column.lastUsed'), defaultMessage: 'Last used' })}
              </Typography>
            </Th>
            {canReset ? (
              <Th>
                <VisuallyHidden>
                  {formatMessage({ id: getTrad('users.column.actions'), defaultMessage: 'Actions' })}
                </VisuallyHidden>
              </Th>
            ) : null}
          </Tr>
        </Thead>
        <Tbody>
          {users.map((user) => (
            <Tr key={user.id} data-testid="duo-user-row" data-email={user.email ?? ''}>
              <Td>
                <Typography textColor="neutral800">{user.name ?? user.username ?? '—'}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{user.email ?? '—'}</Typography>
              </Td>
              <Td>
                <DuoStatusBadge status={user.duo.status} />
              </Td>
              <Td>
                <Typography textColor="neutral800">{when(user.duo.lastUsedAt)}</Typography>
              </Td>
              {canReset ? (
                <Td>
                  {/* Nothing to reset for someone who never set Duo up. */}
                  {user.duo.status === 'none' ? null : (
                    <Button
                      variant="danger-light"
                      size="S"
                      onClick={() => setResetting(user)}
                      aria-label={formatMessage(
                        { id: getTrad('users.reset.label'), defaultMessage: 'Reset Duo for {who}' },
                        { who: user.email ?? user.username ?? String(user.id) },
                      )}
                    >
                      {formatMessage({ id: getTrad('users.reset'), defaultMessage: 'Reset Duo' })}
                    </Button>
                  )}
                </Td>
              ) : null}
            </Tr>
          ))}
        </Tbody>
      </Table>
      <ResetDialog user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
