import type { IntlShape } from 'react-intl';

import { getTrad } from './getTrad.ts';
import type { FieldMessage } from './schema.ts';

/** Messages shared by several components. */
export const LOCKED_HINT = {
  id: getTrad('settings.form.locked.hint'),
  defaultMessage: 'Set in config/plugins.js',
};

/** A field error as text: translated when it is ours, as sent when it is the server's. */
export function formatFieldMessage(
  formatMessage: IntlShape['formatMessage'],
  message: FieldMessage | undefined,
): string | undefined {
  if (message === undefined) return undefined;
  if (typeof message === 'string') return message;
  return formatMessage(message, message.values);
}
