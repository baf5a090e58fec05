import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { dataOf, errorOf, expectBackupCodes, isRecord, stepFrom } from '../helpers/client-answers';
import { eventually, startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import {
  adminLogin,
  adminLoginWithPasscode,
  adminMe,
  adminTokenDuo,
  adminTokenUserId,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  expectStaffEnabled,
  setStaffSettings,
  staffStep,
  turnOnStaffDuo,
  type Admin,
} from '../helpers/staff';

/**
 * Issue 5, "Two-factor (Duo)" for the signed-in administrator (WHMCS "My Account"): status, enable (enrolment when
 * Duo does not know them, then one verification; the answer carries the new admin token), disable (a fresh
 * verification). Admin JWT, no permission needed.
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
});
after(async () => {
  await h?.close();
});

const me = (token: string) => h.app.api('/duo-security/me', { token });
const enable = (token: string, body?: unknown) =>
  h.app.api('/duo-security/me/enable', { method: 'POST', token, ...(body === undefined ? {} : { body }) });
const disable = (token: string, body?: unknown) =>
  h.app.api('/duo-security/me/disable', { method: 'POST', token, ...(body === undefined ? {} : { body }) });

async function signedIn(options: Parameters<typeof createAdmin>[1] = {}): Promise<{ admin: Admin; token: string }> {
  const admin = await createAdmin(h, options);
  return { admin, token: expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password)).token };
}

async function events(userId: number): Promise<string[]> {
  return (await auditEntries(h.strapi, { userId, audience: 'staff' })).map((e) => e.event);
}

describe('status', () => {
  it('tells whether Duo is offered, on for the account, and required', async () => {
    const { token } = await signedIn();
    assert.deepEqual(dataOf(await me(token)), {
      available: true,
      enabled: false,
      required: false,
      lastUsedAt: null,
      backupCodesRemaining: 0,
    });
  });

  it('needs an administrator signed in (401 otherwise, including with a client JWT)', async () => {
    assert.equal((await h.app.api('/duo-security/me')).status, 401);
    assert.equal((await h.app.api('/duo-security/me', { token: 'not-a-token' })).status, 401);
    const clientJwt = (h.strapi.plugin('users-permissions').service('jwt') as { issue(p: object): string }).issue({
      id: 1,
    });
    assert.equal((await h.app.api('/duo-security/me', { token: clientJwt })).status, 401);
    assert.equal((await enable('')).status, 401);
  });
});

describe('enable', () => {
  it('an administrator Duo knows: one approved push turns Duo on; the answer is { data: { enabled, token } }', async () => {
    const { admin, token } = await signedIn();
    const started = stepFrom(dataOf(await enable(token), 'enable'), 'enable');
    assert.equal(started.duo.result, 'auth');
    dataOf(await staffStep(h.app, 'push', { step: started.stepId }));
    const push = await eventually(
      () => h.sandbox.pendingPushes().find((p) => p.username === admin.email),
      3000,
      'the push',
    );
    h.sandbox.approve(push.txid);
    let status = await staffStep(h.app, 'status', { step: started.stepId });
    for (
      let i = 0;
      i < 3 && isRecord(status.body) && isRecord(status.body.data) && status.body.data.state === 'waiting';
      i += 1
    )
      status = await staffStep(h.app, 'status', { step: started.stepId });
    const renewed = await expectStaffEnabled(h.app, status, 'enable finished');

    // Enabling ended the session without the claim; the answer's token is the new one.
    assert.equal((await me(token)).status, 401, 'the session from before Duo ended');
    assert.equal((await adminMe(h.app, token)).status, 401);
    assert.equal(adminTokenUserId(h.app, renewed), admin.id);
    assert.equal(dataOf(await me(renewed)).enabled, true);
    assert.equal((await adminMe(h.app, renewed)).status, 200);
    // From now on every login asks for Duo.
    const fresh = await adminLoginWithPasscode(h, admin);
    const after = dataOf(await me(fresh.token));
    assert.equal(after.enabled, true);
    assert.equal(typeof after.lastUsedAt, 'string');
    assert.equal(errorOf(await staffStep(h.app, 'status', { step: started.stepId }), 400).name, 'DuoStepError');
    assert.ok((await events(admin.id)).includes('enroll.enabled'));
  });

  it('an administrator Duo does not know: QR code and activation, then one passcode turns Duo on', async () => {
    const { admin, token } = await signedIn({ duo: false });
    const started = stepFrom(dataOf(await enable(token), 'enable'), 'enable');
    assert.equal(started.duo.result, 'enroll');
    const { stepId } = started;
    const enrolling = dataOf(await staffStep(h.app, 'enroll', { step: stepId }), 'enroll');
    assert.equal(enrolling.state, 'enrolling');
    const activation = (enrolling.duo as { activation: Record<string, string> }).activation;
    for (const field of ['qrCodeUrl', 'activationUrl', 'activationCode', 'expiresAt'])
      assert.equal(typeof activation[field], 'string', field);
    h.sandbox.completeActivation(activation.activationCode ?? '');
    const activated = dataOf(await staffStep(h.app, 'status', { step: stepId }), 'status after activation');
    assert.equal(activated.state, 'pending');
    const done = await staffStep(h.app, 'passcode', { step: stepId, passcode: h.sandbox.currentPasscode(admin.email) });
    assert.equal(dataOf(await me(await expectStaffEnabled(h.app, done))).enabled, true);
    expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
  });

  it('a Duo bypass user: Duo is on at once, with a session claimed "bypass"', async () => {
    const { admin, token } = await signedIn({ duo: { status: 'bypass' } });
    const answer = await enable(token);
    const data = dataOf(answer);
    // With its first backup codes, as after a verified enable.
    assert.deepEqual(Object.keys(data).sort(), ['backupCodes', 'enabled', 'token']);
    expectBackupCodes(data.backupCodes);
    assert.equal(await adminTokenDuo(h.app, String(data.token)), 'bypass');
    assert.equal((await adminMe(h.app, String(data.token))).status, 200);
    assert.equal((await adminMe(h.app, token)).status, 401);
    assert.ok((await events(admin.id)).includes('enroll.enabled'));
  });

  it('refuses when Duo is already on, when Duo is not offered to staff, and bodies with fields', async () => {
    const { admin, token } = await signedIn();
    const bad = errorOf(await enable(token, { force: true }), 400);
    assert.equal(bad.name, 'ValidationError');
    assert.equal(errorOf(await enable(token, [1]), 400).name, 'ValidationError');
    const duoToken = await turnOnStaffDuo(h, admin, token);
    assert.match(errorOf(await enable(duoToken), 400).message, /already on/);

    const other = await signedIn();
    await setStaffSettings(h.strapi, { enabled: false });
    try {
      assert.equal(dataOf(await me(other.token)).available, false);
      assert.match(errorOf(await enable(other.token), 400).message, /not offered/);
    } finally {
      await setStaffSettings(h.strapi, { enabled: true });
    }
  });
});

describe('disable', () => {
  it('needs a fresh Duo verification, then Duo is off and the password is enough again', async () => {
    const { admin, token } = await signedIn();
    const duoToken = await turnOnStaffDuo(h, admin, token);
    const started = stepFrom(dataOf(await disable(duoToken), 'disable'), 'disable');
    assert.equal(started.duo.result, 'auth');
    assert.equal(dataOf(await me(duoToken)).enabled, true, 'nothing changes before the verification');
    const done = await staffStep(h.app, 'passcode', {
      step: started.stepId,
      passcode: h.sandbox.currentPasscode(admin.email),
    });
    assert.deepEqual(done.body, { data: { enabled: false } });
    assert.equal(dataOf(await me(duoToken)).enabled, false);
    const plain = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password));
    assert.equal(await adminTokenDuo(h.app, plain.token), undefined);
    assert.ok((await events(admin.id)).includes('enroll.disabled'));
  });

  it('refuses when Duo is off, when enforcement requires it, and bodies with fields', async () => {
    const { admin, token } = await signedIn();
    assert.match(errorOf(await disable(token), 400).message, /not on/);
    const duoToken = await turnOnStaffDuo(h, admin, token);
    assert.equal(errorOf(await disable(duoToken, { now: 1 }), 400).name, 'ValidationError');
    await setStaffSettings(h.strapi, { enforcement: 'required' });
    try {
      assert.match(errorOf(await disable(duoToken), 400).message, /requires/);
    } finally {
      await setStaffSettings(h.strapi, { enforcement: 'optional' });
    }
  });
});
