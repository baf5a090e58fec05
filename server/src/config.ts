import type { LookupFunction } from 'node:net';

import type { Strapi } from '@strapi/strapi';
import { validateYupSchemaSync } from './utils/strapi-utils';

import type { SettingsUpdate } from './settings/types';
import { settingsEnvErrors, type EnvField } from './settings/locks';
import { pluginConfigSchema } from './settings/schemas';

/**
 * Plugin configuration, from the app's `config/plugins.js` entry for `duo-security`.
 * Values under `settings` override what is stored through the admin page and are shown read-only there.
 */
export interface DuoSecurityPluginConfig {
  /** Key for encrypting the Secret Key at rest (env `DUO_SECURITY_ENCRYPTION_KEY`); falls back to the admin JWT secret. */
  readonly encryptionKey?: string | null;
  /** Settings that win over the admin page (shown read-only there), e.g. keys from the environment. */
  readonly settings?: SettingsUpdate;
  /**
   * Environment variables the plugin reads the Duo application's values from, e.g. `{ integrationKey: 'DUO_IKEY' }`.
   * A set, non-empty variable wins over `settings` and the page, which names the variable (server/src/settings/locks.ts).
   */
  readonly settingsEnv?: { readonly [F in EnvField]?: string };
  readonly signatureVersion?: 2 | 5;
  /** Extra trusted CA (PEM) for a TLS-inspecting proxy. */
  readonly ca?: string;
  /** HTTPS proxy URL for reaching Duo. */
  readonly proxy?: string;
  /** Resolves Duo's host name instead of the system resolver (`dns.lookup`'s contract); not used with `proxy`. */
  readonly lookup?: LookupFunction;
  /** Deadline of each Duo call that answers at once (preauth, passcode, starting a push), in ms (default 8000). */
  readonly duoCallTimeoutMs?: number;
  /** How long one status request waits on Duo for news of a push or call before answering `waiting` (default 25 000 ms). */
  readonly statusWaitMs?: number;
  /** How long an instance may use settings it read before reading them again (default 5 s). */
  readonly settingsCacheSeconds?: number;
  /** How long the Duo step after the password stays open (default 300 s). */
  readonly stepTtlSeconds?: number;
  /** Wrong passcodes allowed on one Duo step before it is closed (default 5). */
  readonly maxPasscodeAttempts?: number;
  /** Duo pushes, calls and SMS sends one Duo step may make; a denied one can be retried while any is left (default 3). */
  readonly maxPromptsPerStep?: number;
  /**
   * What clients' Duo usernames start with when they map by id (`strapi-client-` by default): set one per app when
   * several apps share a Duo account, so client 42 of one app is not client 42 of another.
   */
  readonly clientUsernamePrefix?: string;
}

export const DEFAULT_CLIENT_USERNAME_PREFIX = 'strapi-client-';

/**
 * The plugin's configuration as Strapi resolved it: under `plugin::duo-security` on Strapi 5 (which warns at every
 * read of the older dotted name) and `plugin.duo-security` on Strapi 4 (which knows only that one).
 */
export function pluginConfig(strapi: Strapi): DuoSecurityPluginConfig {
  const config = strapi.config.get('plugin::duo-security') ?? strapi.config.get('plugin.duo-security');
  return (config ?? {}) as DuoSecurityPluginConfig;
}

export const config = {
  default: ({ env }: { env: (name: string) => string | undefined }): DuoSecurityPluginConfig => ({
    encryptionKey: env('DUO_SECURITY_ENCRYPTION_KEY') ?? null,
  }),
  validator(value: unknown): void {
    try {
      validateYupSchemaSync(pluginConfigSchema, { strict: true, abortEarly: false })(value);
    } catch (error) {
      const details = describeValidationError(error);
      throw new Error(`duo-security: invalid plugin configuration in config/plugins: ${details}`);
    }
    const envProblems = settingsEnvErrors(value as DuoSecurityPluginConfig, process.env);
    if (envProblems.length > 0) {
      throw new Error(`duo-security: invalid environment variables for config/plugins: ${envProblems.join('; ')}`);
    }
  },
};

function describeValidationError(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'details' in error) {
    const { details } = error as { details?: { errors?: Array<{ path: string[]; message: string }> } };
    const errors = details?.errors ?? [];
    if (errors.length > 0) return errors.map((e) => `${e.path.join('.') || '(root)'}: ${e.message}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
