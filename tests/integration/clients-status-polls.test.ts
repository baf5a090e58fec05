import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { dataOf, expectDuoRequired, expectToken } from '../helpers/client-answers';
import { createClient, login, startClientsHarness, step, type ClientsHarness } from '../helpers/clients-harness';

/**
 * A login waiting on a push re-polls the step's status (each poll a Duo long-poll). With hundreds waiting, a database
 * write per poll blocks the event loop (SQLite commits synchronously): a poll that brings no news writes nothing.
 */

const STEP_UID = 'plugin::duo-security.transaction';

let h: ClientsHarness;

before(async () => {
  // Short long-polls, so that a few polls run in the test's time.
  h = await startClientsHarness({ sandbox: { longPollMs: 200 }, clients: { enforcement: 'required' } });
});
after(async () => {
  await h?.close();
});

/** Counts the writes to the plugin's step table from now on. */
function countStepWrites(): { readonly count: () => number; readonly stop: () => void } {
  const db = h.strapi.db as unknown as { query(uid: string): Record<string, unknown> };
  const original = db.query;
  let writes = 0;
  db.query = function query(this: unknown, uid: string) {
    const q = original.call(this, uid) as Record<string, (...args: unknown[]) => unknown>;
    if (uid !== STEP_UID) return q;
    const counted =
      (name: string) =>
      (...args: unknown[]) => {
        writes += 1;
        return q[name]!.apply(q, args);
      };
    return { ...q, update: counted('update'), updateMany: counted('updateMany'), create: counted('create') };
  };
  return { count: () => writes, stop: () => void (db.query = original) };
}

describe('status polls while a push waits', () => {
  it('write nothing when Duo has no news, and the login still finishes when the push is approved', async () => {
    const client = await createClient(h, { duo: { pushResponse: 'manual' } });
    const started = expectDuoRequired(await login(h.app, client.email, client.password));
    dataOf(await step(h.app, 'push', { step: started.stepId }), 'push');
    // The first poll brings Duo's status message: news, recorded.
    dataOf(await step(h.app, 'status', { step: started.stepId, wait: true }), 'first status');

    const writes = countStepWrites();
    try {
      for (let i = 0; i < 3; i++) {
        const poll = dataOf(await step(h.app, 'status', { step: started.stepId, wait: true }), 'status');
        assert.equal(poll.state, 'waiting');
      }
      assert.equal(writes.count(), 0, 'database writes by status polls that brought no news');
    } finally {
      writes.stop();
    }

    for (const push of h.sandbox.pendingPushes()) h.sandbox.approve(push.txid);
    expectToken(await step(h.app, 'status', { step: started.stepId, wait: true }), 'approved');
  });
});
