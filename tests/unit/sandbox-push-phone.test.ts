import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SandboxControlError, startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { call, freshNames, sandboxCalls } from '../helpers/sandbox-calls';

/*
 * Push and phone calls as a client sees them, and the auth_status long-poll that follows them. Requests are v5-signed here; other variants are covered in sandbox-signing.
 */

let sandbox: DuoSandbox;
const fresh = freshNames();
const { auth, asyncAuth, authStatus } = sandboxCalls(() => sandbox);

before(async () => {
  sandbox = await startDuoSandbox({ longPollMs: 200, phoneRingMs: 50 });
});

after(() => sandbox.close());

describe('sandbox: push and phone', () => {
  it('async push approved in code: pushed, then allow', async () => {
    const user = sandbox.addUser({ username: fresh() });
    const txid = await asyncAuth({
      username: user.username,
      factor: 'push',
      device: 'auto',
      pushinfo: 'from=login%20page',
    });
    assert.match(txid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await authStatus(txid), {
      result: 'waiting',
      status: 'pushed',
      status_msg: 'Pushed a login request to your device...',
    });
    const pending = sandbox.pendingPushes().find((p) => p.txid === txid);
    assert.equal(pending?.username, user.username);
    assert.deepEqual(pending?.pushinfo, { from: 'login page' });
    sandbox.approve(txid);
    assert.deepEqual(await authStatus(txid), {
      result: 'allow',
      status: 'allow',
      status_msg: 'Success. Logging you in...',
    });
    assert.equal(
      sandbox.pendingPushes().find((p) => p.txid === txid),
      undefined,
    );
    assert.throws(() => sandbox.approve(txid), SandboxControlError);
  });

  it('deny and fraud through the HTTP control API', async () => {
    for (const [body, status] of [
      [{}, 'deny'],
      [{ fraud: true }, 'fraud'],
    ] as const) {
      const user = sandbox.addUser({ username: fresh() });
      const txid = await asyncAuth({ username: user.username, factor: 'push', device: 'auto' });
      const res = await fetch(`${sandbox.url}/sandbox/push/${txid}/deny`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200);
      const reply = await authStatus(txid);
      assert.equal(reply.result, 'deny');
      assert.equal(reply.status, status);
    }
  });

  it('approve through the HTTP control API; unknown txids are 404', async () => {
    const user = sandbox.addUser({ username: fresh() });
    const txid = await asyncAuth({ username: user.username, factor: 'push', device: 'auto' });
    const res = await fetch(`${sandbox.url}/sandbox/push/${txid}/approve`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal((await authStatus(txid)).result, 'allow');
    const missing = await fetch(`${sandbox.url}/sandbox/push/nope/approve`, { method: 'POST' });
    assert.equal(missing.status, 404);
  });

  it('a sync push holds until approved', async () => {
    const user = sandbox.addUser({ username: fresh() });
    const reply = auth({ username: user.username, factor: 'push', device: 'auto' });
    let pending = sandbox.pendingPushes().find((p) => p.username === user.username);
    for (let i = 0; !pending && i < 100; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      pending = sandbox.pendingPushes().find((p) => p.username === user.username);
    }
    assert.ok(pending, 'the push reached the phone');
    sandbox.approve(pending.txid);
    assert.equal((await reply).result, 'allow');
  });

  it('an unanswered push times out: deny / timeout', async () => {
    const box = await startDuoSandbox({ pushTimeoutMs: 150 });
    try {
      box.addUser({ username: 'slow' });
      const reply = await auth({ username: 'slow', factor: 'push', device: 'auto' }, box);
      assert.deepEqual(reply, { result: 'deny', status: 'timeout', status_msg: 'Login timed out.' });
    } finally {
      await box.close();
    }
  });

  it('auth_status without a change answers after longPollMs', async () => {
    const user = sandbox.addUser({ username: fresh() });
    const txid = await asyncAuth({ username: user.username, factor: 'push', device: 'auto' });
    assert.equal((await authStatus(txid)).status, 'pushed');

    const started = Date.now();
    const idle = await authStatus(txid);
    const idleMs = Date.now() - started;
    assert.equal(idle.result, 'waiting');
    assert.ok(idleMs >= 180, `held ${idleMs} ms, expected about longPollMs (200)`);
  });

  it('a held auth_status is woken by the change, and a decided transaction is not held', async () => {
    // A long hold (10 s) so that "woken" and "held to the end" are seconds apart: the bounds below keep under load.
    const box = await startDuoSandbox({ longPollMs: 10_000 });
    try {
      const user = box.addUser({ username: fresh() });
      const txid = await asyncAuth({ username: user.username, factor: 'push', device: 'auto' }, box);
      assert.equal((await authStatus(txid, box)).status, 'pushed');

      let started = Date.now();
      const held = authStatus(txid, box);
      setTimeout(() => box.approve(txid), 50);
      const changed = await held;
      const changedMs = Date.now() - started;
      assert.equal(changed.result, 'allow');
      assert.ok(changedMs < 5_000, `answered after ${changedMs} ms, not on the approval (held for 10 s otherwise)`);

      started = Date.now();
      assert.equal((await authStatus(txid, box)).result, 'allow');
      assert.ok(Date.now() - started < 5_000, 'a decided transaction answers at once, not after the 10 s hold');
    } finally {
      await box.close();
    }
  });

  it('unknown txid is 40002', async () => {
    const reply = await call(sandbox, 'GET', '/auth/v2/auth_status', { txid: 'nope' });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, 40002);
  });

  it('phone: calling, answered, then allow when approved', async () => {
    const user = sandbox.addUser({ username: fresh(), devices: [{ number: '+15550001111' }] });
    const txid = await asyncAuth({ username: user.username, factor: 'phone', device: 'auto' });
    const first = await authStatus(txid);
    assert.equal(first.status, 'calling');
    assert.equal(first.status_msg, 'Dialing XXX-XXX-1111...');
    assert.equal((await authStatus(txid)).status, 'answered');
    sandbox.approve(txid);
    assert.equal((await authStatus(txid)).result, 'allow');
  });

  it('automatic answers (pushResponse) decide by themselves', async () => {
    sandbox.addUser({ username: 'yes-man', pushResponse: 'approve', pushDelayMs: 20 });
    sandbox.addUser({ username: 'no-man', pushResponse: 'deny' });
    assert.equal((await auth({ username: 'yes-man', factor: 'push', device: 'auto' })).result, 'allow');
    assert.equal((await auth({ username: 'no-man', factor: 'auto', device: 'auto' })).result, 'deny');
  });

  it('auto needs a device; a device without the capability is 40002 no capable device', async () => {
    const user = sandbox.addUser({ username: fresh(), devices: [{ capabilities: ['sms'] }, { type: 'token' }] });
    const noDevice = await call(sandbox, 'POST', '/auth/v2/auth', { username: user.username, factor: 'auto' });
    assert.equal(noDevice.status, 400);
    assert.deepEqual(noDevice.body, {
      stat: 'FAIL',
      code: 40001,
      message: 'Missing required request parameters',
      message_detail: 'device',
    });
    const incapable = await call(sandbox, 'POST', '/auth/v2/auth', {
      username: user.username,
      factor: 'push',
      device: 'auto',
    });
    assert.deepEqual(incapable.body, {
      stat: 'FAIL',
      code: 40002,
      message: 'Invalid request parameters',
      message_detail: 'no capable device',
    });
    const tokenPush = await call(sandbox, 'POST', '/auth/v2/auth', {
      username: user.username,
      factor: 'push',
      device: user.devices[1]?.device ?? '',
    });
    assert.equal(tokenPush.body.message_detail, 'no capable device');
  });

  it('close() ends a pending long-poll', async () => {
    const box = await startDuoSandbox({ longPollMs: 20_000 });
    box.addUser({ username: 'x' });
    const txid = await asyncAuth({ username: 'x', factor: 'push', device: 'auto' }, box);
    await authStatus(txid, box);
    const held = authStatus(txid, box).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await box.close();
    assert.ok(['answered', 'dropped'].includes(await held));
    // Well under the 20 s hold: close() did not wait for the poll to run out.
    assert.ok(Date.now() - started < 10_000);
  });
});
