import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { DuoStatus } from '../../api/users.ts';
import { getTrad } from '../../utils/getTrad.ts';

const LABELS = {
  active: { id: getTrad('users.status.active'), defaultMessage: 'On' },
  pending: { id: getTrad('users.status.pending'), defaultMessage: 'Enrolling' },
  disabled: { id: getTrad('users.status.disabled'), defaultMessage: 'Off' },
  none: { id: getTrad('users.status.none'), defaultMessage: 'Never set up' },
} as const;

export function DuoStatusBadge({ status }: { status: DuoStatus }) {
  const { formatMessage } = useIntl();
  return <Badge active={status === 'active'}>{formatMessage(LABELS[status] ?? LABELS.none)}</Badge>;
}
