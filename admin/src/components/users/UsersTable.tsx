import { useState } from 'react';

import { Button, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { EmptyStateLayout } from '@strapi/helper-plugin';
import { useIntl } from 'react-intl';

import type { DuoUser, UserAudience } from '../../../shared/api/users';
import { getTrad } from '../../../shared/utils/getTrad';
import { DuoStatusBadge } from './DuoStatusBadge';
import { ResetDuoDialog } from './ResetDuoDialog';

export interface UsersTableProps {
  audience: UserAudience;
  users: DuoUser[];
  isLoading: boolean;
  /** The `users.reset` permission: shows Reset Duo. */
  canReset: boolean;
}

export function UsersTable({ audience, users, isLoading, canReset }: UsersTableProps) {
  const { formatMessage, formatDate } = useIntl();
  const [resetting, setResetting] = useState<DuoUser | null>(null);
  const columns = canReset ? 5 : 4;
  const when = (value: string | null) =>
    value === null ? '—' : formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

  if (!isLoading && users.length === 0) {
    return (
      <EmptyStateLayout
        content={{ id: getTrad('users.empty'), defaultMessage: 'No user matches.' }}
        icon="permissions"
        action={null}
        hasRadius
        shadow="tableShadow"
      />
    );
  }

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
      <ResetDuoDialog user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
