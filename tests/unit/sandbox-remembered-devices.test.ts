import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import type { DuoAuthResult } from '../../server/src/duo/types';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';

/*
 * The sandbox's Remembered devices policy (issue 16, item 2): off by default as in Duo; on, an allow by a second
 * factor carries a trusted_device_token, and preauth with it allows the same user, within the period, and nobody else.
 */

const DAY = 86_400;
let sandbox: DuoSandbox;
let duo: DuoAuthClient;
/** Moves the sandbox's clock; the date tolerance is wide so signed requests still pass. */
let shiftMs = 0;
let userCounter = 0;

before(async () => {
  sandbox = await startDuoSandbox({ port: 0, now: () => Date.now() + shiftMs, dateToleranceSec: 400 * DAY });
  duo = new DuoAuthClient({
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: sandbox.url,
    production: false,
  });
  assert.deepEqual(sandbox.rememberedDevices(), { periodSec: null }, 'off by default, as in Duo');
});
after(async () => {
  await duo.close();
  await sandbox.close();
});
beforeEach(() => {
  shiftMs = 0;
  sandbox.setRememberedDevices(30 * DAY);
});

function newUser(): string {
  userCounter += 1;
  const username = `remembered${userCounter}@example.com`;
  sandbox.addUser({ username });
  return username;
}

async function passcodeAllow(username: string): Promise<DuoAuthResult> {
  const result = await duo.auth({ username, factor: 'passcode', passcode: sandbox.currentPasscode(username) });
  assert.equal(result.result, 'allow');
  return result;
}

async function trustedToken(username: string): Promise<string> {
  const token = (await passcodeAllow(username)).trustedDeviceToken;
  assert.ok(token !== undefined && token !== '', 'the allow carries a trusted-device token');
  return token;
}

describe('sandbox: Remembered devices policy', () => {
  it('off (the default, and after null): no token on allow, and an earlier token is forgotten', async () => {
    const username = newUser();
    const token = await trustedToken(username);
    sandbox.setRememberedDevices(null);
    assert.deepEqual(sandbox.rememberedDevices(), { periodSec: null });
    assert.equal((await passcodeAllow(username)).trustedDeviceToken, undefined);
    assert.equal((await duo.preauth({ username, trustedDeviceToken: token })).result, 'auth');
    sandbox.setRememberedDevices(30 * DAY);
    assert.equal((await duo.preauth({ username, trustedDeviceToken: token })).result, 'auth', 'still forgotten');
  });

  it('on: preauth with the token allows the same user without a prompt', async () => {
    const username = newUser();
    const token = await trustedToken(username);
    const preauth = await duo.preauth({ username, trustedDeviceToken: token });
    assert.equal(preauth.result, 'allow');
    assert.equal(sandbox.trustedDevices(username), 1);
    assert.equal((await duo.preauth({ username })).result, 'auth', 'without the token Duo asks');
  });

  it("another user's token, a made-up one, or one past the period gets a prompt", async () => {
    const owner = newUser();
    const other = newUser();
    const token = await trustedToken(owner);
    assert.equal((await duo.preauth({ username: other, trustedDeviceToken: token })).result, 'auth');
    assert.equal((await duo.preauth({ username: owner, trustedDeviceToken: 'f'.repeat(64) })).result, 'auth');
    shiftMs = 29 * DAY * 1000;
    assert.equal((await duo.preauth({ username: owner, trustedDeviceToken: token })).result, 'allow', 'day 29');
    shiftMs = 31 * DAY * 1000;
    assert.equal((await duo.preauth({ username: owner, trustedDeviceToken: token })).result, 'auth', 'day 31');
  });

  it('a push allowed through auth_status carries a token; a bypass user gets none', async () => {
    const username = newUser();
    const { txid } = await duo.auth({ username, factor: 'push', device: 'auto' }, { async: true });
    const push = sandbox.pendingPushes().find((p) => p.txid === txid);
    assert.ok(push);
    sandbox.approve(txid);
    const status = await duo.authStatus(txid);
    assert.equal(status.result, 'allow');
    assert.ok(status.trustedDeviceToken);
    assert.equal((await duo.preauth({ username, trustedDeviceToken: status.trustedDeviceToken })).result, 'allow');

    const bypass = newUser();
    sandbox.updateUser(bypass, { status: 'bypass' });
    const allowed = await duo.auth({ username: bypass, factor: 'passcode', passcode: '000000' });
    assert.equal(allowed.result, 'allow');
    assert.equal(allowed.trustedDeviceToken, undefined);
  });

  it('removing the user forgets its tokens; the control refuses a period out of range', async () => {
    const username = newUser();
    await trustedToken(username);
    sandbox.removeUser(username);
    sandbox.addUser({ username });
    assert.equal(sandbox.trustedDevices(username), 0);
    assert.throws(() => sandbox.setRememberedDevices(0), /period/);
    assert.throws(() => sandbox.setRememberedDevices(366 * DAY), /period/);
  });

  it('the HTTP control route reads and sets the policy', async () => {
    const put = await fetch(`${sandbox.url}/sandbox/policy/remembered-devices`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ periodSec: 7 * DAY }),
    });
    assert.equal(put.status, 200);
    assert.deepEqual(await put.json(), { periodSec: 7 * DAY });
    const bad = await fetch(`${sandbox.url}/sandbox/policy/remembered-devices`, {
      method: 'PUT',
      body: JSON.stringify({ periodSec: 'week' }),
    });
    assert.equal(bad.status, 400);
    const read = await fetch(`${sandbox.url}/sandbox/policy/remembered-devices`);
    assert.deepEqual(await read.json(), { periodSec: 7 * DAY });
  });
});
