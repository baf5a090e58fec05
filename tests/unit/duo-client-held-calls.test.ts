import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';

// More logins waiting on a push than the client keeps connections for Duo's immediate calls (16 by default).
const WAITING = 24;

let sandbox: DuoSandbox;
let duo: DuoAuthClient;

before(async () => {
  // Long-polls are held far longer than the preauth below may take (its deadline is the client's short timeout).
  sandbox = await startDuoSandbox({ port: 0, longPollMs: 120_000 });
  duo = new DuoAuthClient({
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: sandbox.url,
    production: false,
    timeouts: { shortMs: 5_000 },
  });
});

after(async () => {
  await duo.close();
  await sandbox.close();
});

async function eventually(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(50);
  assert.ok(check(), what);
}

describe('calls Duo holds (auth_status long-polls)', () => {
  it('never hold up other calls: with more logins waiting than pooled connections, a preauth still answers', async () => {
    const username = 'waiting@example.com';
    sandbox.addUser({ username, pushResponse: 'manual' });
    const polls: Array<Promise<unknown>> = [];
    for (let i = 0; i < WAITING; i++) {
      const { txid } = await duo.auth({ username, factor: 'push', device: 'auto' }, { async: true });
      // The first answer is "pushed" at once; the next one long-polls until the user acts.
      assert.equal((await duo.authStatus(txid)).result, 'waiting');
      polls.push(duo.authStatus(txid));
    }
    await eventually(`all ${WAITING} long-polls reach Duo (none queued behind the others)`, () => {
      return (sandbox.stats().byPath['/auth/v2/auth_status'] ?? 0) === 2 * WAITING;
    });

    const other = sandbox.addUser({ username: 'other@example.com' });
    const preauth = await duo.preauth({ username: other.username });
    assert.equal(preauth.result, 'auth');

    for (const push of sandbox.pendingPushes()) sandbox.approve(push.txid);
    for (const result of await Promise.all(polls)) assert.equal((result as { result: string }).result, 'allow');
  });
});
