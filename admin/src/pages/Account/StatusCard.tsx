import type { ReactNode } from 'react';

import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { AccountStatus } from '../../../shared/api/users';
import { getTrad } from '../../../shared/utils/getTrad';

export interface StatusCardProps {
  status: AccountStatus;
  busy: boolean;
  /** A Duo step is open (children): Enable and Disable wait. */
  stepOpen: boolean;
  onEnable(): void;
  onDisable(): void;
  /** A new set of backup codes (after a fresh Duo verification). */
  onNewBackupCodes(): void;
  children?: ReactNode;
}

/** Whether Duo protects this account, and the button that changes it. */
export function StatusCard({
  status,
  busy,
  stepOpen,
  onEnable,
  onDisable,
  onNewBackupCodes,
  children,
}: StatusCardProps) {
  const { formatMessage, formatDate } = useIntl();
  const { available, enabled, required, lastUsedAt, backupCodesRemaining } = status;

  const description = !available
    ? formatMessage({
        id: getTrad('account.status.unavailable'),
        defaultMessage:
          'Duo is not offered to administrators on this site. A super admin can turn it on in Settings → Duo Security.',
      })
    : enabled
      ? formatMessage({ id: getTrad('account.status.on'), defaultMessage: 'Duo protects your sign-ins.' })
      : formatMessage({
          id: getTrad('account.status.off'),
          defaultMessage:
            'Your sign-ins use your password only. Turn on Duo to approve each sign-in on your phone as well.',
        });

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={6}>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Flex gap={3}>
            <Typography variant="delta" as="h2" id="duo-account-title">
              {formatMessage({ id: getTrad('account.card.title'), defaultMessage: 'Duo two-factor authentication' })}
            </Typography>
            <Badge active={enabled} data-testid="duo-account-status">
              {enabled
                ? formatMessage({ id: getTrad('account.badge.on'), defaultMessage: 'On' })
                : formatMessage({ id: getTrad('account.badge.off'), defaultMessage: 'Off' })}
            </Badge>
          </Flex>
          <Typography as="p">{description}</Typography>
          {enabled && lastUsedAt !== null ? (
            <Typography as="p" textColor="neutral600">
              {formatMessage(
                { id: getTrad('account.status.lastUsed'), defaultMessage: 'Last used {when}.' },
                { when: formatDate(lastUsedAt, { dateStyle: 'medium', timeStyle: 'short' }) },
              )}
            </Typography>
          ) : null}
          {enabled ? (
            <Typography as="p" textColor="neutral600" data-testid="duo-backup-codes-remaining">
              {formatMessage(
                {
                  id: getTrad('account.backupCodes.remaining'),
                  defaultMessage:
                    '{count, plural, =0 {No backup codes left.} one {# backup code left.} other {# backup codes left.}}',
                },
                { count: backupCodesRemaining },
              )}
            </Typography>
          ) : null}
          {enabled && required ? (
            <Typography as="p" textColor="neutral600">
              {formatMessage({
                id: getTrad('account.status.required'),
                defaultMessage: 'This site requires two-factor authentication for every administrator.',
              })}
            </Typography>
          ) : null}
        </Flex>
        {!stepOpen ? (
          <Box shrink={0}>
            {available && !enabled ? (
              <Button loading={busy} onClick={onEnable}>
                {formatMessage({ id: getTrad('account.enable'), defaultMessage: 'Enable' })}
              </Button>
            ) : null}
            {enabled ? (
              <Flex gap={2}>
                <Button variant="secondary" loading={busy} onClick={onNewBackupCodes}>
                  {formatMessage({ id: getTrad('account.backupCodes.new'), defaultMessage: 'New backup codes' })}
                </Button>
                {!required ? (
                  <Button variant="danger-light" loading={busy} onClick={onDisable}>
                    {formatMessage({ id: getTrad('account.disable'), defaultMessage: 'Disable' })}
                  </Button>
                ) : null}
              </Flex>
            ) : null}
          </Box>
        ) : null}
      </Flex>
      {children}
    </Flex>
  );
}
