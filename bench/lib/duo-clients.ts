import { createRequire } from 'node:module';

import { DuoAuthClient } from '../../server/src/duo/client';
import { DUO_HOSTNAME, type Environment } from '../setup/environment';

/**
 * A Duo client configured as the plugin app's is (production hostname policy, the run's CA, the proxy), for
 * timing Duo's part of a login from outside Strapi.
 */
export function productionPathClient(env: Environment, connections?: number): DuoAuthClient {
  return new DuoAuthClient({
    integrationKey: env.duo.info.ikey,
    secretKey: env.duo.info.skey,
    apiHostname: DUO_HOSTNAME,
    production: true,
    ca: env.certs.ca,
    proxy: env.duo.info.proxyUrl,
    ...(connections === undefined ? {} : { connections }),
  });
}

/** A Duo client to the plain-HTTP sandbox on loopback (outside the production policy: no TLS, no proxy). */
export function loopbackClient(env: Environment, connections?: number): DuoAuthClient {
  return new DuoAuthClient({
    integrationKey: env.duo.info.ikey,
    secretKey: env.duo.info.skey,
    apiHostname: env.duo.info.httpUrl,
    production: false,
    ...(connections === undefined ? {} : { connections }),
  });
}

/** The Duo calls of one push login, as the plugin makes them: preauth, async push, status until decided. */
export async function duoCallsOfOneLogin(client: DuoAuthClient, username: string): Promise<void> {
  const preauth = await client.preauth({ username, clientSupportsVerifiedPush: true, ipaddr: '127.0.0.1' });
  if (preauth.result !== 'auth') throw new Error(`preauth answered ${preauth.result}`);
  const device = preauth.devices.find((d) => d.capabilities.includes('push'));
  if (device === undefined) throw new Error('no push device');
  const { txid } = await client.auth(
    {
      username,
      factor: 'push',
      device: device.device,
      ipaddr: '127.0.0.1',
      type: 'Login request',
      pushinfo: { from: 'Strapi', audience: 'clients' },
    },
    { async: true },
  );
  // As the plugin's status step does: a first answer may still be "pushed"; the next one long-polls.
  for (;;) {
    const status = await client.authStatus(txid);
    if (status.result === 'allow') return;
    if (status.result !== 'waiting') throw new Error(`auth_status answered ${status.result}`);
  }
}

interface Bcrypt {
  hash(password: string, rounds: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

/** bcryptjs, the library and cost users-permissions hashes passwords with (10 rounds). */
export function bcrypt(): Bcrypt {
  const require = createRequire(__filename);
  return require('bcryptjs') as Bcrypt;
}
