import type { MessageDescriptor } from 'react-intl';

import type { FormValues, KeyField } from './formValues.ts';
import { isLocked, keyFieldsFor } from './formValues.ts';
import { getTrad } from './getTrad.ts';

/**
 * Client-side checks of the form, as data: one rule list per field. The server validates again and has the last word
 * (outside production it also accepts the sandbox's http://127.0.0.1:PORT), so these only catch the obvious.
 */

/** A message with its values (what helper-plugin calls TranslationMessage; defined here so both admins share it). */
export interface TranslationMessage extends MessageDescriptor {
  values?: Record<string, string | number | boolean | null | undefined | Date>;
}

/** A translated message, or the server's own words for a field. */
export type FieldMessage = TranslationMessage | string;
export type FieldErrors = Partial<Record<string, FieldMessage>>;

export interface ValidationContext {
  /** A Secret Key is stored already, so the field may stay blank. */
  secretKeySet: boolean;
  /** The same for the Client Secret. */
  clientSecretSet: boolean;
  lockedFields: readonly string[];
}

interface Rule {
  /** True when the value is acceptable. */
  test(value: string, context: ValidationContext): boolean;
  message: TranslationMessage;
}

export const INTEGRATION_KEY_PATTERN = /^DI[A-Z0-9]{18}$/;
export const SECRET_KEY_PATTERN = /^[A-Za-z0-9]{40}$/;
const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A bare hostname (api-XXXXXXXX.duosecurity.com) or an http(s) origin such as a local sandbox. */
export function looksLikeHost(value: string): boolean {
  if (HOSTNAME_PATTERN.test(value)) return true;
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== '' && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

const RULES: Record<KeyField, readonly Rule[]> = {
  integrationKey: [
    {
      test: (value) => value !== '',
      message: {
        id: getTrad('settings.form.integrationKey.error.required'),
        defaultMessage: 'Enter the Integration Key from the Duo Admin Panel.',
      },
    },
    {
      test: (value) => INTEGRATION_KEY_PATTERN.test(value),
      message: {
        id: getTrad('settings.form.integrationKey.error.format'),
        defaultMessage: 'The Integration Key has 20 characters: DI followed by capital letters and digits.',
      },
    },
  ],
  secretKey: [
    {
      test: (value, context) => value !== '' || context.secretKeySet,
      message: {
        id: getTrad('settings.form.secretKey.error.required'),
        defaultMessage: 'Enter the Secret Key from the Duo Admin Panel.',
      },
    },
    {
      test: (value) => value === '' || SECRET_KEY_PATTERN.test(value),
      message: {
        id: getTrad('settings.form.secretKey.error.format'),
        defaultMessage: 'The Secret Key has 40 characters, letters and digits only.',
      },
    },
  ],
  clientId: [
    {
      test: (value) => value !== '',
      message: {
        id: getTrad('settings.form.clientId.error.required'),
        defaultMessage: 'Enter the Client ID from the Duo Admin Panel.',
      },
    },
    {
      test: (value) => INTEGRATION_KEY_PATTERN.test(value),
      message: {
        id: getTrad('settings.form.clientId.error.format'),
        defaultMessage: 'The Client ID has 20 characters: DI followed by capital letters and digits.',
      },
    },
  ],
  clientSecret: [
    {
      test: (value, context) => value !== '' || context.clientSecretSet,
      message: {
        id: getTrad('settings.form.clientSecret.error.required'),
        defaultMessage: 'Enter the Client Secret from the Duo Admin Panel.',
      },
    },
    {
      test: (value) => value === '' || SECRET_KEY_PATTERN.test(value),
      message: {
        id: getTrad('settings.form.clientSecret.error.format'),
        defaultMessage: 'The Client Secret has 40 characters, letters and digits only.',
      },
    },
  ],
  apiHostname: [
    {
      test: (value) => value !== '',
      message: {
        id: getTrad('settings.form.apiHostname.error.required'),
        defaultMessage: 'Enter the API Hostname from the Duo Admin Panel.',
      },
    },
    {
      test: (value) => looksLikeHost(value),
      message: {
        id: getTrad('settings.form.apiHostname.error.format'),
        defaultMessage: 'Enter a hostname such as api-XXXXXXXX.duosecurity.com.',
      },
    },
  ],
};

/**
 * The first failing rule of each field of the selected type's application; fields set in config are not checked
 * (they are not sent). The return URLs' rules depend on the server's environment: the server checks them.
 */
export function validateKeys(values: FormValues, context: ValidationContext): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of keyFieldsFor(values.integration)) {
    if (isLocked(context.lockedFields, field)) continue;
    const value = values[field].trim();
    const failed = RULES[field].find((rule) => !rule.test(value, context));
    if (failed) errors[field] = failed.message;
  }
  return errors;
}

/** The first server error about the return URLs: of the list, or of one of its lines ("clientReturnUrls.2"). */
export function returnUrlsError(errors: FieldErrors): FieldMessage | undefined {
  const key = Object.keys(errors).find(
    (path) => (path === 'clientReturnUrls' || path.startsWith('clientReturnUrls.')) && errors[path] !== undefined,
  );
  return key === undefined ? undefined : errors[key];
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}
