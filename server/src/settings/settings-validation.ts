import { errors } from '../utils/strapi-utils';

import { DuoError } from '../duo/errors';
import { resolveDuoEndpoint } from '../duo/hostname-policy';
import { lockedMessage, type LockSource } from './locks';
import { returnUrlsProblems } from './return-urls';
import { AUDIENCES, type AudienceSettings, type EffectiveSettings, type SettingsUpdate } from './types';

/**
 * Whether a settings change is acceptable here, beyond its shape (schemas.ts): locked values, the production
 * hostname policy, return URLs, and what activation needs. Answers field errors that never quote a value.
 */

export interface FieldError {
  readonly path: string[];
  readonly message: string;
  readonly name: 'ValidationError';
}

export function validationError(fieldErrors: FieldError[]): InstanceType<typeof errors.ValidationError> {
  const message =
    fieldErrors.length === 1
      ? (fieldErrors[0]?.message ?? 'Invalid settings')
      : `${fieldErrors.length} errors occurred`;
  return new errors.ValidationError(message, { errors: fieldErrors });
}

export interface ValidationContext {
  /** Where each locked setting comes from (locks.ts). */
  readonly locked: Record<string, LockSource>;
  /** The settings with nothing stored: the locked values as config and environment give them. */
  readonly current: EffectiveSettings;
  readonly production: boolean;
}

const fieldError = (path: string[], message: string): FieldError => ({ path, message, name: 'ValidationError' });

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) || Array.isArray(b) ? JSON.stringify(a) === JSON.stringify(b) : a === b;

function lockErrors(update: SettingsUpdate, { locked, current }: ValidationContext): FieldError[] {
  const found: FieldError[] = [];
  const check = (path: string, requested: unknown, lockedValue: unknown) => {
    if (requested !== undefined && path in locked && !sameValue(requested, lockedValue)) {
      found.push(fieldError(path.split('.'), lockedMessage('This value', locked[path])));
    }
  };
  check('activated', update.activated, current.activated);
  check('integration', update.integration, current.integration);
  check('integrationKey', update.integrationKey, current.integrationKey);
  check('apiHostname', update.apiHostname, current.apiHostname);
  check('clientId', update.clientId, current.clientId);
  check('clientReturnUrls', update.clientReturnUrls, current.clientReturnUrls);
  // Secrets are never compared (the page does not have them): giving one for a locked field is the error.
  for (const [key, what] of [
    ['secretKey', 'The Secret Key'],
    ['clientSecret', 'The Client Secret'],
  ] as const) {
    const value = update[key];
    if (value !== undefined && value !== '' && key in locked) {
      found.push(fieldError([key], lockedMessage(what, locked[key])));
    }
  }
  for (const name of AUDIENCES) {
    for (const [key, value] of Object.entries(update[name] ?? {}))
      check(`${name}.${key}`, value, current[name][key as keyof AudienceSettings]);
  }
  return found;
}

/** What an activated configuration of the selected type cannot do without. */
function activationErrors(candidate: EffectiveSettings): FieldError[] {
  const required: Array<[keyof EffectiveSettings, string]> =
    candidate.integration === 'universal'
      ? [
          ['clientId', 'The Client ID is required to activate the Universal Prompt'],
          [
            'clientSecret',
            candidate.clientSecretUndecryptable
              ? 'The stored Client Secret cannot be decrypted (the encryption key changed): enter it again'
              : 'The Client Secret is required to activate the Universal Prompt',
          ],
          ['apiHostname', 'The API Hostname is required to activate Duo Security'],
        ]
      : [
          ['integrationKey', 'The Integration Key is required to activate Duo Security'],
          [
            'secretKey',
            candidate.secretKeyUndecryptable
              ? 'The stored Secret Key cannot be decrypted (the encryption key changed): enter it again'
              : 'The Secret Key is required to activate Duo Security',
          ],
          ['apiHostname', 'The API Hostname is required to activate Duo Security'],
        ];
  const found = required.filter(([key]) => candidate[key] === '').map(([key, message]) => fieldError([key], message));
  // Duo's prompt returns a client to the plugin, which must then send them on to the app: with nowhere to send
  // them, every client login would end on the plugin's callback.
  if (candidate.integration === 'universal' && candidate.clients.enabled && candidate.clientReturnUrls.length === 0) {
    found.push(
      fieldError(['clientReturnUrls'], 'Enter at least one client return URL to use the Universal Prompt for clients'),
    );
  }
  return found;
}

/** Field errors for values that are well-formed but not acceptable here. */
export function semanticErrors(
  update: SettingsUpdate,
  candidate: EffectiveSettings,
  context: ValidationContext,
): FieldError[] {
  const found = lockErrors(update, context);
  if (candidate.apiHostname !== '') {
    try {
      resolveDuoEndpoint(candidate.apiHostname, context.production);
    } catch (error) {
      const message = error instanceof DuoError ? error.message : 'The API Hostname is not valid';
      found.push(fieldError(['apiHostname'], message));
    }
  }
  for (const { index, message } of returnUrlsProblems(update.clientReturnUrls ?? [], context.production)) {
    found.push(fieldError(['clientReturnUrls', String(index)], message));
  }
  if (candidate.activated) {
    for (const error of activationErrors(candidate)) {
      if (!found.some((e) => e.path[0] === error.path[0])) found.push(error);
    }
  }
  return found;
}
