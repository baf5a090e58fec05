import assert from 'node:assert/strict';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { makeTestCertificates } from '../helpers/test-ca';

const CONNECTIONS = 6;

let sandbox: DuoSandbox;
let ca: string;

before(async () => {
  const certs = makeTestCertificates();
  ca = certs.ca;
  sandbox = await startDuoSandbox({ port: 0, tls: { key: certs.key, cert: certs.cert }, longPollMs: 60_000 });
});

after(async () => {
  await sandbox.close();
});

describe('TLS with an extra CA', () => {
  it('builds the TLS context once per client, not once per connection (each parses every root certificate)', async () => {
    const original = tls.createSecureContext;
    let built = 0;
    tls.createSecureContext = (options) => {
      built += 1;
      return original(options);
    };
    const duo = new DuoAuthClient({
      integrationKey: sandbox.ikey,
      secretKey: sandbox.skey,
      apiHostname: `https://localhost:${sandbox.port}`,
      production: false,
      ca,
    });
    try {
      const atStart = built;
      const username = 'many-connections@example.com';
      sandbox.addUser({ username, pushResponse: 'manual' });
      // Long-polls held at once: one connection each.
      const polls: Array<Promise<unknown>> = [];
      for (let i = 0; i < CONNECTIONS; i++) {
        const { txid } = await duo.auth({ username, factor: 'push', device: 'auto' }, { async: true });
        await duo.authStatus(txid);
        polls.push(duo.authStatus(txid));
      }
      for (let i = 0; i < 100 && sandbox.stats().connections < CONNECTIONS; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(sandbox.stats().connections >= CONNECTIONS, `${sandbox.stats().connections} connections`);
      assert.equal(built - atStart, 0, `TLS contexts built for ${sandbox.stats().connections} connections`);
      for (const push of sandbox.pendingPushes()) sandbox.approve(push.txid);
      await Promise.all(polls);
    } finally {
      tls.createSecureContext = original;
      await duo.close();
    }
  });
});
