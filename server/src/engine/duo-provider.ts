import { createHash } from 'node:crypto';

import type { Strapi } from '@strapi/strapi';

import { DuoAuthClient } from '../duo/client';
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

  const fingerprint = (s: EffectiveSettings, options: object): string =>
    createHash('sha256')
      .update(JSON.stringify([s.integrationKey, s.secretKey, s.apiHostname, options]))
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
        timeouts: LOGIN_TIMEOUTS,
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
