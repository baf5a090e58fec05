import { useState } from 'react';

import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { readApiError } from '../../../../shared/api/errors.js';
import type { Envelope } from '../../../../shared/api/types.js';
import { RESET_PATH, type DuoUser } from '../../../../shared/api/users.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';

export interface ResetDuoDialogProps {
  /** Whose Duo to reset; null closes the dialog. */
  user: DuoUser | null;
  onClose(): void;
}

/**
 * "Reset Duo for …?" then the reset, and a notification either way. `onReset` (bound by the page) reloads the list.
 * Strapi 5's ConfirmDialog is the content of a design-system Dialog.Root, which owns the open state.
 */
export function createResetDuoDialog(onReset: () => void) {
  return function ResetDuoDialog({ user, onClose }: ResetDuoDialogProps) {
    const { formatMessage } = useIntl();
    const { toggleNotification } = useNotification();
    const { post } = useFetchClient();
    const [busy, setBusy] = useState(false);
    const who = user === null ? '' : (user.email ?? user.username ?? String(user.id));

    const reset = async () => {
      if (user === null) return;
      setBusy(true);
      try {
        await post<Envelope<DuoUser>>(RESET_PATH, { audience: user.audience, userId: user.id });
        toggleNotification({
          type: 'success',
          message: formatMessage(
            { id: getTrad('users.reset.done'), defaultMessage: 'Duo was reset for {who}' },
            { who },
          ),
        });
        onClose();
        onReset();
      } catch (thrown) {
        toggleNotification({
          type: 'danger',
          message:
            readApiError(thrown)?.message ??
            formatMessage({ id: getTrad('users.reset.failed'), defaultMessage: 'Duo could not be reset.' }),
        });
      } finally {
        setBusy(false);
      }
    };

    return (
      <Dialog.Root open={user !== null} onOpenChange={(open: boolean) => (open ? undefined : onClose())}>
        <ConfirmDialog
          title={formatMessage({ id: getTrad('users.reset.title'), defaultMessage: 'Reset Duo?' })}
          variant="danger-light"
          endAction={
            <Button
              variant="danger-light"
              fullWidth
              startIcon={<ArrowClockwise />}
              loading={busy}
              onClick={() => void reset()}
            >
              {formatMessage({ id: getTrad('users.reset'), defaultMessage: 'Reset Duo' })}
            </Button>
          }
        >
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography tag="p" fontWeight="bold">
              {formatMessage({ id: getTrad('users.reset.question'), defaultMessage: 'Reset Duo for {who}?' }, { who })}
            </Typography>
            <Typography tag="p">
              {formatMessage({
                id: getTrad('users.reset.confirm'),
                defaultMessage:
                  'Their Duo enrolment is forgotten and their open Duo sign-ins end. Where Duo is required they enrol again at their next sign-in; otherwise they sign in with their password until they turn Duo on again.',
              })}
            </Typography>
          </Flex>
        </ConfirmDialog>
      </Dialog.Root>
    );
  };
}
