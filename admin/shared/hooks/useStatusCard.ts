import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';

import type { AccountStatus } from '../api/users.ts';
import { getTrad } from '../utils/getTrad.ts';

const MESSAGES = {
  title: { id: getTrad('account.card.title'), defaultMessage: 'Duo two-factor authentication' },
  on: { id: getTrad('account.badge.on'), defaultMessage: 'On' },
  off: { id: getTrad('account.badge.off'), defaultMessage: 'Off' },
  unavailable: {
    id: getTrad('account.status.unavailable'),
    defaultMessage:
      'Duo is not offered to administrators on this site. A super admin can turn it on in Settings → Duo Security.',
  },
  protects: { id: getTrad('account.status.on'), defaultMessage: 'Duo protects your sign-ins.' },
  passwordOnly: {
    id: getTrad('account.status.off'),
    defaultMessage: 'Your sign-ins use your password only. Turn on Duo to approve each sign-in on your phone as well.',
  },
  lastUsed: { id: getTrad('account.status.lastUsed'), defaultMessage: 'Last used {when}.' },
  remaining: {
    id: getTrad('account.backupCodes.remaining'),
    defaultMessage:
      '{count, plural, =0 {No backup codes left.} one {# backup code left.} other {# backup codes left.}}',
  },
  required: {
    id: getTrad('account.status.required'),
    defaultMessage: 'This site requires two-factor authentication for every administrator.',
  },
  enable: { id: getTrad('account.enable'), defaultMessage: 'Enable' },
  newBackupCodes: { id: getTrad('account.backupCodes.new'), defaultMessage: 'New backup codes' },
  disable: { id: getTrad('account.disable'), defaultMessage: 'Disable' },
};

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

export interface StatusCardView {
  title: string;
  enabled: boolean;
  badge: string;
  description: string;
  /** When Duo last let this administrator in (only while it is on). */
  lastUsed: string | null;
  /** How many backup codes are left (only while Duo is on). */
  backupCodesRemaining: string | null;
  /** Why Duo cannot be turned off (only while it is on). */
  required: string | null;
  /** Each button's label, or null where it is not offered. */
  enable: string | null;
  newBackupCodes: string | null;
  disable: string | null;
}

/**
 * The account card's words for both admins: whether Duo protects this account, how many backup codes are left, and
 * which of Enable, New backup codes and Disable it offers.
 */
export function useStatusCard({
  available,
  enabled,
  required,
  lastUsedAt,
  backupCodesRemaining,
}: AccountStatus): StatusCardView {
  const { formatMessage, formatDate } = useIntl();
  const description = !available ? MESSAGES.unavailable : enabled ? MESSAGES.protects : MESSAGES.passwordOnly;
  const when = lastUsedAt === null ? null : formatDate(lastUsedAt, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    title: formatMessage(MESSAGES.title),
    enabled,
    badge: formatMessage(enabled ? MESSAGES.on : MESSAGES.off),
    description: formatMessage(description),
    lastUsed: enabled && when !== null ? formatMessage(MESSAGES.lastUsed, { when }) : null,
    backupCodesRemaining: enabled ? formatMessage(MESSAGES.remaining, { count: backupCodesRemaining }) : null,
    required: enabled && required ? formatMessage(MESSAGES.required) : null,
    enable: available && !enabled ? formatMessage(MESSAGES.enable) : null,
    newBackupCodes: enabled ? formatMessage(MESSAGES.newBackupCodes) : null,
    disable: enabled && !required ? formatMessage(MESSAGES.disable) : null,
  };
}
