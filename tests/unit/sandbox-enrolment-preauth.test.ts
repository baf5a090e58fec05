import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SandboxControlError, startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { call, freshNames, ok, sandboxCalls } from '../helpers/sandbox-calls';

/*
 * Enrolment and preauth as a client sees them: an unknown user enrols, a known one gets its devices. Requests are v5-signed here; other variants are covered in sandbox-signing.
 */

let sandbox: DuoSandbox;
const fresh = freshNames();
const { preauth } = sandboxCalls(() => sandbox);

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
