import { Flex, Typography } from '@strapi/design-system';
import { ConfirmDialog, useNotification } from '@strapi/helper-plugin';
import { Refresh } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { readApiError } from '../../../shared/api/errors';
import type { DuoUser } from '../../../shared/api/users';
import { useResetDuo } from '../../hooks/useDuoUsers';
import { getTrad } from '../../../shared/utils/getTrad';

export interface ResetDuoDialogProps {
  /** Whose Duo to reset; null closes the dialog. */
  user: DuoUser | null;
  onClose(): void;
}

/** "Reset Duo for …?" then the reset, and a notification either way. */
export function ResetDuoDialog({ user, onClose }: ResetDuoDialogProps) {
  const { formatMessage } = useIntl();
  const toggleNotification = useNotification();
  const reset = useResetDuo();
  const who = user === null ? '' : (user.email ?? user.username ?? String(user.id));

  return (
    <ConfirmDialog.Root
      isOpen={user !== null}
      onToggleDialog={onClose}
      isConfirmButtonLoading={reset.isLoading}
      variantRightButton="danger-light"
      iconRightButton={<Refresh />}
      rightButtonText={{ id: getTrad('users.reset'), defaultMessage: 'Reset Duo' }}
      title={{ id: getTrad('users.reset.title'), defaultMessage: 'Reset Duo?' }}
      onConfirm={() => {
        if (user === null) return;
        reset.mutate(
          { audience: user.audience, userId: user.id },
          {
            onSuccess() {
              toggleNotification({
                type: 'success',
                message: formatMessage(
                  { id: getTrad('users.reset.done'), defaultMessage: 'Duo was reset for {who}' },
                  { who },
                ),
              });
              onClose();
            },
            onError(thrown) {
              toggleNotification({
                type: 'warning',
                message: readApiError(thrown)?.message ?? {
                  id: getTrad('users.reset.failed'),
                  defaultMessage: 'Duo could not be reset.',
                },
              });
            },
          },
        );
      }}
    >
      <ConfirmDialog.Body>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography as="p" fontWeight="bold">
            {formatMessage({ id: getTrad('users.reset.question'), defaultMessage: 'Reset Duo for {who}?' }, { who })}
          </Typography>
          <Typography as="p">
            {formatMessage({
              id: getTrad('users.reset.confirm'),
              defaultMessage:
                'Their Duo enrolment is forgotten and their open Duo sign-ins end. Where Duo is required they enrol again at their next sign-in; otherwise they sign in with their password until they turn Duo on again.',
            })}
          </Typography>
        </Flex>
      </ConfirmDialog.Body>
    </ConfirmDialog.Root>
  );
}
