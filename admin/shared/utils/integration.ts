import type { MessageDescriptor } from 'react-intl';

import type { IntegrationType, LockSource } from '../api/types.ts';
import type { KeyField } from './formValues.ts';
import { getTrad } from './getTrad.ts';
import { lockedHint, type LockedHint } from './lockedHint.ts';

/**
 * The Duo application part of the settings form as data, shared by both admins: the integration type, the text
 * fields of each type (write-only secrets included) and the client return URLs.
 */

export interface IntegrationOption {
  value: IntegrationType;
  label: MessageDescriptor;
  hint: MessageDescriptor;
}

export const INTEGRATION_LABEL: MessageDescriptor = {
  id: getTrad('settings.form.integration.label'),
  defaultMessage: 'Integration type',
};

export const INTEGRATION_OPTIONS: readonly IntegrationOption[] = [
  {
    value: 'auth-api',
    label: { id: getTrad('settings.form.integration.authApi'), defaultMessage: 'Auth API' },
    hint: {
      id: getTrad('settings.form.integration.authApi.hint'),
      defaultMessage: 'The plugin asks for Duo in its own page. Needs an Auth API application.',
    },
  },
  {
    value: 'universal',
    label: { id: getTrad('settings.form.integration.universal'), defaultMessage: 'Universal Prompt (Web SDK)' },
    hint: {
      id: getTrad('settings.form.integration.universal.hint'),
      defaultMessage: "Users are sent to Duo's own page and back. Needs a Web SDK application.",
    },
  },
];

export interface KeyInput {
  name: KeyField;
  label: MessageDescriptor;
  hint: MessageDescriptor;
}

export const KEY_INPUTS: Readonly<Record<KeyField, KeyInput>> = {
  integrationKey: {
    name: 'integrationKey',
    label: { id: getTrad('settings.form.integrationKey.label'), defaultMessage: 'Integration Key' },
    hint: { id: getTrad('settings.form.integrationKey.hint'), defaultMessage: '20 characters, starting with DI.' },
  },
  secretKey: {
    name: 'secretKey',
    label: { id: getTrad('settings.form.secretKey.label'), defaultMessage: 'Secret Key' },
    hint: {
      id: getTrad('settings.form.secretKey.hint'),
      defaultMessage: '40 characters. Stored encrypted and never shown again.',
    },
  },
  apiHostname: {
    name: 'apiHostname',
    label: { id: getTrad('settings.form.apiHostname.label'), defaultMessage: 'API Hostname' },
    hint: { id: getTrad('settings.form.apiHostname.hint'), defaultMessage: 'Like api-XXXXXXXX.duosecurity.com.' },
  },
  clientId: {
    name: 'clientId',
    label: { id: getTrad('settings.form.clientId.label'), defaultMessage: 'Client ID' },
    hint: { id: getTrad('settings.form.clientId.hint'), defaultMessage: '20 characters, starting with DI.' },
  },
  clientSecret: {
    name: 'clientSecret',
    label: { id: getTrad('settings.form.clientSecret.label'), defaultMessage: 'Client Secret' },
    hint: {
      id: getTrad('settings.form.clientSecret.hint'),
      defaultMessage: '40 characters. Stored encrypted and never shown again.',
    },
  },
};

interface SecretTexts {
  keep: MessageDescriptor;
  stored: MessageDescriptor;
  keepHint: MessageDescriptor;
}

const SECRET_TEXTS: Partial<Record<KeyField, SecretTexts>> = {
  secretKey: {
    keep: { id: getTrad('settings.form.secretKey.keep'), defaultMessage: 'Leave blank to keep the current key' },
    stored: {
      id: getTrad('settings.form.secretKey.stored.hint'),
      defaultMessage: 'A Secret Key is stored (encrypted, never shown).',
    },
    keepHint: {
      id: getTrad('settings.form.secretKey.keep.hint'),
      defaultMessage: 'A Secret Key is stored (encrypted, never shown). Leave blank to keep the current key.',
    },
  },
  clientSecret: {
    keep: {
      id: getTrad('settings.form.clientSecret.keep'),
      defaultMessage: 'Leave blank to keep the current secret',
    },
    stored: {
      id: getTrad('settings.form.clientSecret.stored.hint'),
      defaultMessage: 'A Client Secret is stored (encrypted, never shown).',
    },
    keepHint: {
      id: getTrad('settings.form.clientSecret.keep.hint'),
      defaultMessage: 'A Client Secret is stored (encrypted, never shown). Leave blank to keep the current secret.',
    },
  },
};

export const RETURN_URLS_INPUT = {
  label: { id: getTrad('settings.form.clientReturnUrls.label'), defaultMessage: 'Client return URLs' },
  hint: {
    id: getTrad('settings.form.clientReturnUrls.hint'),
    defaultMessage:
      'One per line, at most 10: where clients go back to after Duo (https://, or an app link such as myapp://duo). The first is the default.',
  },
} satisfies Record<string, MessageDescriptor>;

export const isSecretField = (field: KeyField): boolean => SECRET_TEXTS[field] !== undefined;

export interface KeyInputState {
  locked: boolean;
  /** A value of this secret field is stored on the server. */
  secretSet: boolean;
  readOnly: boolean;
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
}

/** The hint under a key field: where a locked value is set, that a secret is stored, or what to enter. */
export function keyHint(field: KeyField, state: KeyInputState): LockedHint {
  if (state.locked) return lockedHint(state.lockedSources, field);
  const secret = SECRET_TEXTS[field];
  if (secret !== undefined && state.secretSet) return { message: state.readOnly ? secret.stored : secret.keepHint };
  return { message: KEY_INPUTS[field].hint };
}

/** The placeholder of a secret field with a stored value: keep it, or where it is set. */
export function keyPlaceholder(field: KeyField, state: KeyInputState): LockedHint | undefined {
  const secret = SECRET_TEXTS[field];
  if (secret === undefined || !state.secretSet || state.readOnly) return undefined;
  return state.locked ? lockedHint(state.lockedSources, field) : { message: secret.keep };
}
