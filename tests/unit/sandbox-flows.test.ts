import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { canonicalParams, formatRfc2822, sign } from '../../server/src/duo/signing';
import { SandboxControlError, startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';

/*
 * The Auth API flows as a client sees them: enrolment, preauth, push / phone / passcode / SMS, auth_status
 * long-polls and Verified Push. Requests are v5-signed here; other variants are covered in sandbox-signing.
 */

interface AuthReply {
  result: string;
  status: string;
  status_msg: string;
}

interface Device {
  device: string;
  type: string;
  display_name: string;
  name: string;
  number?: string;
  capabilities?: string[];
  sms_nextcode?: string;
}

interface PreauthReply {
  result: string;
  status_msg: string;
  devices?: Device[];
  enroll_portal_url?: string;
  txid?: string;
  verification_code?: string;
  expiration?: number;
}

interface Reply<T> {
  status: number;
  body: { stat: string; response: T; code?: number; message?: string; message_detail?: string };
}

async function call<T>(
  box: DuoSandbox,
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string> = {},
): Promise<Reply<T>> {
  const date = formatRfc2822(Date.now() + box.skew());
  const body = method === 'POST' ? JSON.stringify(params) : undefined;
  const query = method === 'GET' ? canonicalParams(params) : '';
  const { authorization } = sign(5, {
    date,
    method,
    host: '127.0.0.1',
    path,
    params: method === 'GET' ? params : {},
    body: body ?? '',
    integrationKey: box.ikey,
    secretKey: box.skey,
  });
  const res = await fetch(`${box.url}${path}${query ? `?${query}` : ''}`, {
    method,
    headers: { date, authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Reply<T>['body'] };
}

async function ok<T>(reply: Promise<Reply<T>>): Promise<T> {
  const { status, body } = await reply;
  assert.equal(status, 200, JSON.stringify(body));
  return body.response;
}

let sandbox: DuoSandbox;
let counter = 0;
const fresh = (prefix = 'user'): string => `${prefix}${(counter += 1)}`;

const preauth = (params: Record<string, string>, box = sandbox) =>
  ok<PreauthReply>(call(box, 'POST', '/auth/v2/preauth', params));
const auth = (params: Record<string, string>, box = sandbox) =>
  ok<AuthReply>(call(box, 'POST', '/auth/v2/auth', params));
const asyncAuth = (params: Record<string, string>, box = sandbox) =>
  ok<{ txid: string }>(call(box, 'POST', '/auth/v2/auth', { ...params, async: '1' })).then((r) => r.txid);
const authStatus = (txid: string, box = sandbox) => ok<AuthReply>(call(box, 'GET', '/auth/v2/auth_status', { txid }));

before(async () => {
  sandbox = await startDuoSandbox({ longPollMs: 200, phoneRingMs: 50 });
});

after(() => sandbox.close());

describe('sandbox: enrolment', () => {
  it('enroll → waiting → activation link → success, then preauth lists the new Duo Mobile', async () => {
    const username = fresh('enrol');
    const before = Math.floor(Date.now() / 1000);
    const enrolment = await ok<{
      activation_barcode: string;
      activation_code: string;
      activation_url: string;
      expiration: number;
      user_id: string;
      username: string;
    }>(call(sandbox, 'POST', '/auth/v2/enroll', { username }));
    assert.equal(enrolment.username, username);
    assert.match(enrolment.user_id, /^DU[A-Z0-9]{18}$/);
    assert.match(enrolment.activation_code, /^duo:\/\/[A-Za-z0-9]{20}-[A-Za-z0-9_-]+$/);
    assert.equal(
      enrolment.activation_barcode,
      `${sandbox.url}/frame/qr?value=${encodeURIComponent(enrolment.activation_code)}`,
    );
    assert.match(enrolment.activation_url, new RegExp(`^${sandbox.url}/activate/[A-Za-z0-9]{20}$`));
    assert.ok(Math.abs(enrolment.expiration - (before + 86_400)) <= 2);

    const status = () =>
      ok<string>(
        call(sandbox, 'POST', '/auth/v2/enroll_status', {
          user_id: enrolment.user_id,
          activation_code: enrolment.activation_code,
        }),
      );
    assert.equal(await status(), 'waiting');
    assert.equal((await preauth({ username })).result, 'enroll');

    const qr = await fetch(enrolment.activation_barcode);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.match(await qr.text(), /<svg/);

    const opened = await fetch(enrolment.activation_url);
    assert.equal(opened.status, 200);
    assert.equal(await status(), 'success');

    const after = await preauth({ username });
    assert.equal(after.result, 'auth');
    assert.equal(after.devices?.length, 1);
    assert.deepEqual(after.devices?.[0]?.capabilities, ['auto', 'push', 'mobile_otp']);
  });

  it('completeActivation takes the activation code or the user id', async () => {
    const first = await ok<{ activation_code: string; user_id: string }>(call(sandbox, 'POST', '/auth/v2/enroll', {}));
    assert.match(sandbox.state().users.find((u) => u.user_id === first.user_id)?.username ?? '', /^[0-9a-f]{32}$/);
    assert.equal(sandbox.completeActivation(first.activation_code).devices.length, 1);
    const second = await ok<{ user_id: string }>(call(sandbox, 'POST', '/auth/v2/enroll', { username: fresh() }));
    assert.equal(sandbox.completeActivation(second.user_id).user_id, second.user_id);
    assert.throws(() => sandbox.completeActivation(second.user_id), SandboxControlError);
  });

  it('refuses an existing username and reports invalid for a wrong user or an expired code', async () => {
    const username = fresh();
    const enrolment = await ok<{ activation_code: string; user_id: string }>(
      call(sandbox, 'POST', '/auth/v2/enroll', { username, valid_secs: '1' }),
    );
    const again = await call(sandbox, 'POST', '/auth/v2/enroll', { username });
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, {
      stat: 'FAIL',
      code: 40002,
      message: 'Invalid request parameters',
      message_detail: 'username',
    });
    const wrongUser = await ok<string>(
      call(sandbox, 'POST', '/auth/v2/enroll_status', {
        user_id: 'DU000000000000000000',
        activation_code: enrolment.activation_code,
      }),
    );
    assert.equal(wrongUser, 'invalid');
    sandbox.setSkew(5_000);
    try {
      const expired = await ok<string>(
        call(sandbox, 'POST', '/auth/v2/enroll_status', {
          user_id: enrolment.user_id,
          activation_code: enrolment.activation_code,
        }),
      );
      assert.equal(expired, 'invalid');
    } finally {
      sandbox.setSkew(0);
    }
  });
});

describe('sandbox: preauth', () => {
  it('lists devices the way Duo does', async () => {
    const username = fresh();
    sandbox.addUser({
      username,
      devices: [
        { number: '+15551234788' },
        { type: 'token', name: 'Yubikey' },
        { name: 'Work phone', capabilities: ['sms'] },
      ],
    });
    const reply = await preauth({ username });
    assert.equal(reply.result, 'auth');
    assert.equal(reply.status_msg, 'Account is active');
    const [phone, token, named] = reply.devices ?? [];
    assert.deepEqual(Object.keys(phone ?? {}), ['capabilities', 'device', 'display_name', 'name', 'number', 'type']);
    assert.match(phone?.device ?? '', /^DP[A-Z0-9]{18}$/);
    assert.equal(phone?.display_name, 'iOS (XXX-XXX-4788)');
    assert.equal(phone?.number, 'XXX-XXX-4788');
    assert.equal(phone?.name, '');
    assert.deepEqual(phone?.capabilities, ['auto', 'push', 'sms', 'phone', 'mobile_otp']);
    assert.equal(token?.type, 'token');
    assert.equal('capabilities' in (token ?? {}), false);
    assert.match(named?.display_name ?? '', /^Work phone \(XXX-XXX-\d{4}\)$/);
  });

  it('allows bypass users and denies disabled or locked-out ones', async () => {
    for (const [status, result] of [
      ['bypass', 'allow'],
      ['disabled', 'deny'],
      ['locked_out', 'deny'],
    ] as const) {
      const username = fresh();
      sandbox.addUser({ username, status });
      const reply = await preauth({ username });
      assert.equal(reply.result, result, status);
      assert.equal(reply.devices, undefined);
    }
  });

  it('sends unknown users and users without devices to enrolment, per the new-user policy', async () => {
    const unknown = await preauth({ username: fresh('nobody') });
    assert.equal(unknown.result, 'enroll');
    assert.equal(unknown.status_msg, 'Enroll an authentication device to proceed');
    assert.match(unknown.enroll_portal_url ?? '', new RegExp(`^${sandbox.url}/portal\\?[0-9a-f]{16}$`));
    const noDevice = fresh();
    sandbox.addUser({ username: noDevice, devices: [] });
    assert.equal((await preauth({ username: noDevice })).result, 'enroll');

    for (const policy of ['allow', 'deny'] as const) {
      const box = await startDuoSandbox({ newUserPolicy: policy });
      try {
        assert.equal((await preauth({ username: 'stranger' }, box)).result, policy);
      } finally {
        await box.close();
      }
    }
  });

  it('the enrolment portal creates the user with a phone', async () => {
    const username = fresh('portal');
    const { enroll_portal_url: url } = await preauth({ username });
    const page = await fetch(url ?? '');
    assert.match(await page.text(), new RegExp(username));
    const done = await fetch(url ?? '', { method: 'POST' });
    assert.equal(done.status, 200);
    assert.equal((await preauth({ username })).result, 'auth');
  });

  it('needs exactly one of username and user_id', async () => {
    const neither = await call(sandbox, 'POST', '/auth/v2/preauth', {});
    assert.equal(neither.status, 400);
    assert.equal(neither.body.code, 40001);
    const both = await call(sandbox, 'POST', '/auth/v2/preauth', { username: 'a', user_id: 'DU1' });
    assert.equal(both.body.code, 40002);
    const user = sandbox.addUser({ username: fresh() });
    assert.equal((await preauth({ user_id: user.user_id })).result, 'auth');
  });
});

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
