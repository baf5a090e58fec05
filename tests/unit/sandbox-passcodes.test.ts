import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SandboxControlError, startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { call, freshNames, sandboxCalls, type AuthReply } from '../helpers/sandbox-calls';

/*
 * Passcodes, SMS passcodes and Verified Push as a client sees them. Requests are v5-signed here; other variants are covered in sandbox-signing.
 */

let sandbox: DuoSandbox;
const fresh = freshNames();
const { preauth, auth, asyncAuth, authStatus } = sandboxCalls(() => sandbox);

before(async () => {
  sandbox = await startDuoSandbox({ longPollMs: 200, phoneRingMs: 50 });
});

after(() => sandbox.close());

describe('sandbox: passcodes and SMS', () => {
  it('a Duo Mobile passcode works once and then rotates', async () => {
    const user = sandbox.addUser({ username: fresh() });
    const code = sandbox.currentPasscode(user.username);
    assert.match(code, /^\d{6}$/);
    assert.deepEqual(await auth({ username: user.username, factor: 'passcode', passcode: code }), {
      result: 'allow',
      status: 'allow',
      status_msg: 'Success. Logging you in...',
    });
    assert.deepEqual(await auth({ username: user.username, factor: 'passcode', passcode: code }), {
      result: 'deny',
      status: 'deny',
      status_msg: 'Incorrect passcode. Please try again.',
    });
    assert.notEqual(sandbox.currentPasscode(user.username), code);
  });

  it('token codes and bypass codes are single-use too', async () => {
    const user = sandbox.addUser({ username: fresh(), devices: [{ type: 'token' }], bypassCodes: ['123456789'] });
    const token = sandbox.currentPasscode(user.username, user.devices[0]?.device);
    assert.equal((await auth({ username: user.username, factor: 'passcode', passcode: token })).result, 'allow');
    assert.equal((await auth({ username: user.username, factor: 'passcode', passcode: '123456789' })).result, 'allow');
    assert.equal((await auth({ username: user.username, factor: 'passcode', passcode: '123456789' })).result, 'deny');
  });

  it('sms sends ten single-use codes and preauth shows sms_nextcode', async () => {
    const user = sandbox.addUser({ username: fresh() });
    assert.deepEqual(await auth({ username: user.username, factor: 'sms', device: 'auto' }), {
      result: 'deny',
      status: 'sent',
      status_msg: 'New SMS passcodes sent.',
    });
    const codes = sandbox.smsPasscodes(user.username);
    assert.equal(codes.length, 10);
    for (const code of codes) assert.match(code, /^\d{6}$/);
    assert.equal((await preauth({ username: user.username })).devices?.[0]?.sms_nextcode, '1');
    const first = codes[0] ?? '';
    assert.equal((await auth({ username: user.username, factor: 'passcode', passcode: first })).result, 'allow');
    assert.equal((await auth({ username: user.username, factor: 'passcode', passcode: first })).result, 'deny');
    assert.equal((await preauth({ username: user.username })).devices?.[0]?.sms_nextcode, '2');
    assert.equal(sandbox.state().smsMessages.filter((m) => m.username === user.username).length, 1);
  });

  it('async sms gives a txid whose first status is deny/sent', async () => {
    const user = sandbox.addUser({ username: fresh() });
    const txid = await asyncAuth({ username: user.username, factor: 'sms', device: 'auto' });
    assert.equal((await authStatus(txid)).status, 'sent');
  });

  it('ten wrong passcodes lock the user out', async () => {
    const user = sandbox.addUser({ username: fresh() });
    let last: AuthReply | undefined;
    for (let i = 0; i < 10; i += 1)
      last = await auth({ username: user.username, factor: 'passcode', passcode: '000000' });
    assert.equal(last?.status, 'locked_out');
    assert.equal((await preauth({ username: user.username })).result, 'deny');
  });

  it('passcodes are read over HTTP as strings', async () => {
    const user = sandbox.addUser({ username: fresh(), devices: [{ passcode: '012345' }] });
    const res = await fetch(`${sandbox.url}/sandbox/users/${user.username}/passcode`);
    assert.deepEqual(await res.json(), { passcode: '012345' });
  });
});

describe('sandbox: Verified Push', () => {
  it('preauth issues a code; approval must carry it', async () => {
    const user = sandbox.addUser({ username: fresh(), verifiedPush: true });
    const plain = await preauth({ username: user.username });
    assert.equal(plain.txid, undefined, 'no code unless the client says it supports Verified Push');

    const reply = await preauth({ username: user.username, client_supports_verified_push: '1' });
    assert.match(reply.verification_code ?? '', /^\d{6}$/);
    assert.ok(Math.abs((reply.expiration ?? 0) - (Date.now() / 1000 + 60)) < 3);
    const txid = await asyncAuth({ username: user.username, factor: 'push', device: 'auto', txid: reply.txid ?? '' });
    assert.equal(txid, reply.txid);
    assert.equal(sandbox.pendingPushes().find((p) => p.txid === txid)?.requiresVerificationCode, true);

    assert.throws(() => sandbox.approve(txid), SandboxControlError);
    const wrong = await fetch(`${sandbox.url}/sandbox/push/${txid}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verificationCode: '999999' === reply.verification_code ? '888888' : '999999' }),
    });
    assert.equal(wrong.status, 400);
    assert.equal((await authStatus(txid)).result, 'waiting');

    sandbox.approve(txid, { verificationCode: reply.verification_code ?? '' });
    assert.equal((await authStatus(txid)).result, 'allow');

    const reused = await call(sandbox, 'POST', '/auth/v2/auth', {
      username: user.username,
      factor: 'push',
      device: 'auto',
      txid: reply.txid ?? '',
    });
    assert.equal(reused.body.message_detail, 'txid', 'a Verified Push txid backs one push only');
  });
});
