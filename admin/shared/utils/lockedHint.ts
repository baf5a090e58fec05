import type { MessageDescriptor } from 'react-intl';

import type { LockSource } from '../api/types.ts';
import { getTrad } from './getTrad.ts';
import { LOCKED_HINT } from './messages.ts';

/**
 * The hint under a read-only setting: where its value is set, as the settings API reports it (`lockedSources`).
 * Plain data for `formatMessage(hint.message, hint.values)`, with no Strapi import, so the Strapi 4 and Strapi 5
 * settings pages can share it.
 */

export const LOCKED_BY_ENV_HINT = {
  id: getTrad('settings.form.locked.env.hint'),
  defaultMessage: 'Set by {variable}',
} as const;

export interface LockedHint {
  readonly message: MessageDescriptor;
  readonly values?: Record<string, string>;
}

/** "Set by DUO_IKEY" for a value from an environment variable; "Set in config/plugins.js" otherwise. */
export function lockedHint(lockedSources: Readonly<Record<string, LockSource>> | undefined, path: string): LockedHint {
  const source = lockedSources?.[path];
  if (source?.source === 'env') return { message: LOCKED_BY_ENV_HINT, values: { variable: source.variable } };
  // A server without `lockedSources` (older) only ever locked values from config/plugins.js.
  return { message: LOCKED_HINT };
}
