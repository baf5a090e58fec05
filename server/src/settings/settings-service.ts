import type { Strapi } from '@strapi/strapi';
import { errors } from '../utils/strapi-utils';

import { pluginConfig, type DuoSecurityPluginConfig } from '../config';
import { checkConnection, undecryptableSecret, type ClientOptions, type ConnectionResult } from './connection-check';
import { lockSources, settingsOverrides, type LockSource } from './locks';
import { createSecretBox, type SecretBox } from './secret-box';
import { semanticErrors, validationError } from './settings-validation';
import {
  DEFAULT_AUDIENCE,
  USERNAME_SOURCES,
  type Audience,
  type AudienceSettings,
  type EffectiveSettings,
  type PublicSettings,
  type SettingsUpdate,
  type StoredSettings,
} from './types';
import { checkUniversalConnection } from './universal-check';

const PLUGIN = 'duo-security';
const SETTINGS_KEY = 'settings';
const CONNECTION_KEY = 'connection';

export class DuoConnectionError extends errors.ApplicationError<
  'DuoConnectionError',
  string,
  { connection: ConnectionResult }
> {
  constructor(connection: ConnectionResult) {
    super(`Duo Security cannot be activated with these settings: ${connection.message}`, { connection });
    this.name = 'DuoConnectionError';
  }
}

/** The body of `POST /duo-security/settings/check`: unsaved form values, each falling back to the stored one. */
export type ConnectionCheckValues = Partial<
  Pick<SettingsUpdate, 'integration' | 'integrationKey' | 'secretKey' | 'apiHostname' | 'clientId' | 'clientSecret'>
>;

export interface SettingsView {
  readonly settings: PublicSettings;
  readonly lockedFields: string[];
  /** Where each locked field's value comes from (same dotted paths as `lockedFields`). */
  readonly lockedSources: Record<string, LockSource>;
  readonly connection: ConnectionResult | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The values a connection check of either type may use; empty strings mean "not set". */
type CheckTarget = Pick<
  EffectiveSettings,
  'integration' | 'integrationKey' | 'secretKey' | 'apiHostname' | 'clientId' | 'clientSecret'
> & { readonly undecryptable: boolean };

/**
 * The plugin's settings: stored in Strapi's core store (Secret Key encrypted), overridden by `config/plugins`,
 * cached per instance for `settingsCacheSeconds` so a login does not read the database for them.
 */
export const settingsService = ({ strapi }: { strapi: Strapi }) => {
  let cache: { readonly expires: number; readonly value: EffectiveSettings } | undefined;

  const configured = (): DuoSecurityPluginConfig => pluginConfig(strapi);

  const store = () => {
    if (strapi.store === undefined) throw new Error('duo-security: Strapi core store is not available');
    return strapi.store({ type: 'plugin', name: PLUGIN });
  };

  const secretBox = (): SecretBox => {
    const fallback = strapi.config.get('admin.auth.secret') as string | undefined;
    const key = configured().encryptionKey ?? fallback;
    if (key === undefined || key === null || key === '') {
      throw new Error('duo-security: set DUO_SECURITY_ENCRYPTION_KEY (or admin.auth.secret) to store the Secret Key');
    }
    return createSecretBox(key);
  };

  const production = (): boolean => process.env.NODE_ENV === 'production';

  const clientOptions = (): ClientOptions => {
    const cfg = configured();
    return {
      production: production(),
      ...(cfg.signatureVersion === undefined ? {} : { signatureVersion: cfg.signatureVersion }),
      ...(cfg.ca === undefined ? {} : { ca: cfg.ca }),
      ...(cfg.proxy === undefined ? {} : { proxy: cfg.proxy }),
      ...(cfg.lookup === undefined ? {} : { lookup: cfg.lookup }),
      ...(cfg.duoCallTimeoutMs === undefined ? {} : { timeouts: { shortMs: cfg.duoCallTimeoutMs } }),
    };
  };

  const readStored = async (): Promise<StoredSettings> => {
    const raw = await store().get({ key: SETTINGS_KEY });
    return isRecord(raw) ? (raw as StoredSettings) : {};
  };

  // Read at each use, like the stored settings: a variable named in `settingsEnv` is looked up in process.env.
  const overrides = () => settingsOverrides(configured(), process.env);
  const lockedSources = (): Record<string, LockSource> => lockSources(configured(), process.env);

  /** Dotted paths of the settings set in config/plugins (or its `settingsEnv`): read-only in the admin page. */
  const lockedFields = (): string[] => Object.keys(lockedSources());

  const audience = (
    name: Audience,
    stored: Partial<AudienceSettings> | undefined,
    override: Partial<AudienceSettings> | undefined,
  ): AudienceSettings => {
    const merged = { ...DEFAULT_AUDIENCE[name], ...stored, ...override };
    // A mapping stored before it was allowed for this audience (clients by `username`, which a client chooses at
    // registration) falls back to the safe default rather than keep reaching other people's Duo users.
    return USERNAME_SOURCES[name].includes(merged.usernameSource)
      ? merged
      : { ...merged, usernameSource: DEFAULT_AUDIENCE[name].usernameSource };
  };

  const effectiveFrom = (stored: StoredSettings): EffectiveSettings => {
    const o = overrides();
    let secretKey = o.secretKey ?? '';
    let secretKeyUndecryptable = false;
    if (o.secretKey === undefined && stored.secretKeyCiphertext !== undefined) {
      const opened = secretBox().open(stored.secretKeyCiphertext);
      if (opened === undefined) secretKeyUndecryptable = true;
      else secretKey = opened;
    }
    let clientSecret = o.clientSecret ?? '';
    let clientSecretUndecryptable = false;
    if (o.clientSecret === undefined && stored.clientSecretCiphertext !== undefined) {
      const opened = secretBox().open(stored.clientSecretCiphertext);
      if (opened === undefined) clientSecretUndecryptable = true;
      else clientSecret = opened;
    }
    return {
      activated: o.activated ?? stored.activated ?? false,
      integration: o.integration ?? stored.integration ?? 'auth-api',
      integrationKey: o.integrationKey ?? stored.integrationKey ?? '',
      secretKey,
      apiHostname: o.apiHostname ?? stored.apiHostname ?? '',
      clientId: o.clientId ?? stored.clientId ?? '',
      clientSecret,
      clientReturnUrls: o.clientReturnUrls ?? stored.clientReturnUrls ?? [],
      staff: audience('staff', stored.staff, o.staff),
      clients: audience('clients', stored.clients, o.clients),
      secretKeyUndecryptable,
      clientSecretUndecryptable,
    };
  };

  const toPublic = (settings: EffectiveSettings, stored: StoredSettings): PublicSettings => ({
    activated: settings.activated,
    integration: settings.integration,
    integrationKey: settings.integrationKey,
    apiHostname: settings.apiHostname,
    secretKeySet: settings.secretKey !== '' || stored.secretKeyCiphertext !== undefined,
    clientId: settings.clientId,
    clientSecretSet: settings.clientSecret !== '' || stored.clientSecretCiphertext !== undefined,
    clientReturnUrls: settings.clientReturnUrls,
    staff: settings.staff,
    clients: settings.clients,
  });

  const readConnection = async (): Promise<ConnectionResult | null> => {
    const raw = await store().get({ key: CONNECTION_KEY });
    return isRecord(raw) ? (raw as unknown as ConnectionResult) : null;
  };

  /** The check of the selected type: the Auth API's `/check`, or the Universal Prompt's health check. */
  const runCheck = (target: CheckTarget): Promise<ConnectionResult> => {
    if (target.undecryptable) return Promise.resolve(undecryptableSecret(target.integration));
    const { apiHostname } = target;
    return target.integration === 'universal'
      ? checkUniversalConnection(
          { clientId: target.clientId, clientSecret: target.clientSecret, apiHostname },
          clientOptions(),
        )
      : checkConnection(
          { integrationKey: target.integrationKey, secretKey: target.secretKey, apiHostname },
          clientOptions(),
        );
  };

  const view = async (connection?: ConnectionResult): Promise<SettingsView> => {
    const stored = await readStored();
    return {
      settings: toPublic(effectiveFrom(stored), stored),
      lockedFields: lockedFields(),
      lockedSources: lockedSources(),
      connection: connection ?? (await readConnection()),
    };
  };

  return {
    /** Settings for the login gates (cached for `settingsCacheSeconds`). */
    async get(): Promise<EffectiveSettings> {
      const now = Date.now();
      if (cache !== undefined && cache.expires > now) return cache.value;
      const value = effectiveFrom(await readStored());
      cache = { expires: now + (configured().settingsCacheSeconds ?? 5) * 1000, value };
      return value;
    },

    view: () => view(),

    /** Seals other secrets the plugin keeps (Duo Mobile activations) with the same key as the Secret Key. */
    seal: (plaintext: string): string => secretBox().seal(plaintext),
    open: (sealed: string): string | undefined => secretBox().open(sealed),

    lockedFields,
    lockedSources,

    clientOptions,

    async update(update: SettingsUpdate): Promise<SettingsView> {
      const stored = await readStored();
      const keep = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
      const secretKey = keep(update.secretKey);
      const clientSecret = keep(update.clientSecret);
      const next: StoredSettings = {
        ...stored,
        ...(update.activated === undefined ? {} : { activated: update.activated }),
        ...(update.integration === undefined ? {} : { integration: update.integration }),
        ...(update.integrationKey === undefined ? {} : { integrationKey: update.integrationKey }),
        ...(update.apiHostname === undefined ? {} : { apiHostname: update.apiHostname.trim() }),
        ...(secretKey === undefined ? {} : { secretKeyCiphertext: secretBox().seal(secretKey) }),
        ...(update.clientId === undefined ? {} : { clientId: update.clientId }),
        ...(clientSecret === undefined ? {} : { clientSecretCiphertext: secretBox().seal(clientSecret) }),
        ...(update.clientReturnUrls === undefined ? {} : { clientReturnUrls: [...update.clientReturnUrls] }),
        staff: { ...stored.staff, ...update.staff },
        clients: { ...stored.clients, ...update.clients },
      };
      const candidate = effectiveFrom(next);
      const fieldErrors = semanticErrors(update, candidate, {
        locked: lockedSources(),
        current: effectiveFrom({}),
        production: production(),
      });
      if (fieldErrors.length > 0) throw validationError(fieldErrors);

      const before = effectiveFrom(stored);
      const universal = candidate.integration === 'universal';
      const credentialsChanged =
        candidate.integration !== before.integration ||
        candidate.apiHostname !== before.apiHostname ||
        (universal
          ? candidate.clientId !== before.clientId || clientSecret !== undefined
          : candidate.integrationKey !== before.integrationKey || secretKey !== undefined);
      const secretSet = universal ? candidate.clientSecret !== '' : candidate.secretKey !== '';
      let connection: ConnectionResult | undefined;
      if (candidate.activated || (credentialsChanged && secretSet)) {
        connection = await runCheck({
          ...candidate,
          undecryptable: universal ? candidate.clientSecretUndecryptable : candidate.secretKeyUndecryptable,
        });
        // An active configuration is only replaced by one that works: a typo must not lock everyone out. Switching
        // the integration type is such a replacement: the logins read the type and its credentials together from
        // these settings, so if the new type's check failed, Duo-required logins would meet a Duo they cannot
        // reach (and a fail-open audience would let them through without Duo) from the moment this is saved.
        if (candidate.activated && !connection.ok) throw new DuoConnectionError(connection);
      }
      await store().set({ key: SETTINGS_KEY, value: next });
      if (connection !== undefined) await store().set({ key: CONNECTION_KEY, value: connection });
      cache = undefined;
      return view(connection);
    },

    /** "Test connection" with the stored settings, or with unsaved values from the form, for the type given. */
    async testConnection(values: ConnectionCheckValues): Promise<ConnectionResult> {
      const current = effectiveFrom(await readStored());
      const integration = values.integration ?? current.integration;
      const given = integration === 'universal' ? values.clientSecret : values.secretKey;
      const connection = await runCheck({
        integration,
        integrationKey: values.integrationKey || current.integrationKey,
        secretKey: values.secretKey || current.secretKey,
        apiHostname: values.apiHostname || current.apiHostname,
        clientId: values.clientId || current.clientId,
        clientSecret: values.clientSecret || current.clientSecret,
        undecryptable:
          (given ?? '') === '' &&
          (integration === 'universal' ? current.clientSecretUndecryptable : current.secretKeyUndecryptable),
      });
      await store().set({ key: CONNECTION_KEY, value: connection });
      return connection;
    },
  };
};

export type SettingsService = ReturnType<typeof settingsService>;
