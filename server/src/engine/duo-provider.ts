import { createHash } from 'node:crypto';

import type { Strapi } from '@strapi/strapi';

import { DuoAuthClient } from '../duo/client';
import type { ClientOptions } from '../settings/connection-check';
import type { EffectiveSettings } from '../settings/types';
import { pluginService } from '../plugin-services';

/** Login-sized timeouts: a password page must not hang on Duo. The status long-poll is the plugin's own ~25 s. */
const LOGIN_TIMEOUTS = { shortMs: 8_000, authMs: 65_000, statusMs: 30_000 };

/**
 * One Duo client per configuration, kept for as long as the settings stay the same, so every login reuses the
 * same connections to Duo. A replaced client is closed after in-flight calls had time to finish.
 */
export const duoProvider = ({ strapi }: { strapi: Strapi }) => {
  let current: { readonly fingerprint: string; readonly client: DuoAuthClient } | undefined;
  const settings = () => pluginService(strapi, 'settings');

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
  const fingerprint = (s: EffectiveSettings, options: ClientOptions): string =>
    createHash('sha256')
      .update(JSON.stringify([s.integrationKey, s.secretKey, s.apiHostname, options, lookupId(options.lookup)]))
      .digest('hex');

  return {
    client(s: EffectiveSettings): DuoAuthClient {
      const options = settings().clientOptions();
      const key = fingerprint(s, options);
      if (current?.fingerprint === key) return current.client;
      const previous = current?.client;
      const client = new DuoAuthClient({
        ...options,
        integrationKey: s.integrationKey,
        secretKey: s.secretKey,
        apiHostname: s.apiHostname,
        timeouts: { ...LOGIN_TIMEOUTS, ...options.timeouts },
      });
      current = { fingerprint: key, client };
      if (previous !== undefined) setTimeout(() => void previous.close(), LOGIN_TIMEOUTS.authMs).unref();
      return client;
    },

    async close(): Promise<void> {
      await current?.client.close();
      current = undefined;
    },
  };
};

export type DuoProvider = ReturnType<typeof duoProvider>;
