import { createHash } from 'node:crypto';

import type { Strapi } from '@strapi/strapi';

import { DuoAuthClient } from '../duo/client';
import { DuoUniversalClient } from '../duo/universal';
import type { ClientOptions } from '../settings/connection-check';
import { universalClientOptions } from '../settings/universal-check';
import type { EffectiveSettings } from '../settings/types';
import { pluginService } from '../plugin-services';

/** Login-sized timeouts: a password page must not hang on Duo. The status long-poll is the plugin's own ~25 s. */
const LOGIN_TIMEOUTS = { shortMs: 8_000, authMs: 65_000, statusMs: 30_000 };

interface Closable {
  close(): Promise<void>;
}

/**
 * One client per configuration, kept for as long as its settings stay the same, so every login reuses the same
 * connections to Duo. A replaced client is closed after in-flight calls had time to finish.
 */
function clientCache<C extends Closable>() {
  let current: { readonly fingerprint: string; readonly client: C } | undefined;
  return {
    get(fingerprint: string, create: () => C): C {
      if (current?.fingerprint === fingerprint) return current.client;
      const previous = current?.client;
      const client = create();
      current = { fingerprint, client };
      if (previous !== undefined) setTimeout(() => void previous.close(), LOGIN_TIMEOUTS.authMs).unref();
      return client;
    },
    async close(): Promise<void> {
      await current?.client.close();
      current = undefined;
    },
  };
}

/** The Duo clients of the current settings: the Auth API's, and the Universal Prompt's (Web SDK). */
export const duoProvider = ({ strapi }: { strapi: Strapi }) => {
  const settings = () => pluginService(strapi, 'settings');
  const authApi = clientCache<DuoAuthClient>();
  const universal = clientCache<DuoUniversalClient>();

  // A function has no JSON: each `lookup` the config ever held gets a number, so a new one means a new client.
  const lookups = new WeakMap<object, number>();
  let lookupsSeen = 0;
  const lookupId = (lookup: object | undefined): number | null => {
    if (lookup === undefined) return null;
    const known = lookups.get(lookup);
    if (known !== undefined) return known;
    lookupsSeen += 1;
    lookups.set(lookup, lookupsSeen);
    return lookupsSeen;
  };
  const fingerprint = (credentials: readonly string[], options: ClientOptions): string =>
    createHash('sha256')
      .update(JSON.stringify([...credentials, options, lookupId(options.lookup)]))
      .digest('hex');

  return {
    client(s: EffectiveSettings): DuoAuthClient {
      const options = settings().clientOptions();
      const key = fingerprint([s.integrationKey, s.secretKey, s.apiHostname], options);
      return authApi.get(
        key,
        () =>
          new DuoAuthClient({
            ...options,
            integrationKey: s.integrationKey,
            secretKey: s.secretKey,
            apiHostname: s.apiHostname,
            timeouts: { ...LOGIN_TIMEOUTS, ...options.timeouts },
          }),
      );
    },

    universal(s: EffectiveSettings): DuoUniversalClient {
      const options = settings().clientOptions();
      const key = fingerprint([s.clientId, s.clientSecret, s.apiHostname], options);
      return universal.get(
        key,
        () =>
          new DuoUniversalClient({
            clientId: s.clientId,
            clientSecret: s.clientSecret,
            apiHostname: s.apiHostname,
            timeoutMs: LOGIN_TIMEOUTS.shortMs,
            ...universalClientOptions(options),
          }),
      );
    },

    async close(): Promise<void> {
      await Promise.all([authApi.close(), universal.close()]);
    },
  };
};

export type DuoProvider = ReturnType<typeof duoProvider>;
