import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { assertNoToken, dataOf, errorOf, takeBackupCodes } from '../helpers/client-answers';
import {
  adminLogin,
  adminMe,
  adminTokenDuo,
  expectAdminDuoRequired,
  expectAdminSession,
  staffStep,
} from '../helpers/staff';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { DEFAULT_ADMIN } from '../helpers/users';

/**
 * Issue 5: the very first administrator (POST /admin/register-admin) when Duo is already required for staff
 * (settings from config or set before anyone signed up): no token until they have enrolled and verified with Duo.
 */

let app: BootedStrapi;
let sandbox: DuoSandbox;

before(async () => {
  sandbox = await startDuoSandbox({ port: 0 });
  app = await bootStrapi();
  const settings = app.strapi.plugin('duo-security').service('settings') as {
    update(update: Record<string, unknown>): Promise<unknown>;
  };
  await settings.update({
    activated: true,
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: sandbox.url,
    staff: { enabled: true, enforcement: 'required' },
  });
});
after(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('register-admin with enforcement required', () => {
  it('answers with a Duo step (enrolment), not a token; enrolling and verifying gives { data: { token, user } }', async () => {
    const required = expectAdminDuoRequired(
      await app.api('/admin/register-admin', { body: DEFAULT_ADMIN }),
      'register-admin',
    );
    assert.equal(required.duo.result, 'enroll');
    // Strapi's own step ran: the administrator exists, so nobody else can register as the first one.
    const second = await app.api('/admin/register-admin', {
      body: { ...DEFAULT_ADMIN, email: 'intruder@example.com' },
    });
    assertNoToken(second);
    assert.equal(errorOf(second, 400).message, 'You cannot register a new super admin');

    const { stepId } = required;
    const enrolling = dataOf(await staffStep(app, 'enroll', { step: stepId }), 'enroll');
    assert.equal(enrolling.state, 'enrolling');
    const activation = (enrolling.duo as { activation: Record<string, string> }).activation;
    assert.match(activation.qrCodeUrl ?? '', /^https?:\/\//);
    sandbox.completeActivation(activation.activationCode ?? '');
    const activated = dataOf(await staffStep(app, 'status', { step: stepId }), 'status after activation');
    assert.equal(activated.state, 'pending');
    // Duo turned on inside the sign-in: the answer carries the first backup codes too.
    const finished = takeBackupCodes(
      await staffStep(app, 'passcode', { step: stepId, passcode: sandbox.currentPasscode(DEFAULT_ADMIN.email) }),
    );
    const answer = expectAdminSession(app, finished.response, 'finished');
    assert.equal(answer.user.email, DEFAULT_ADMIN.email);
    assert.equal(await adminTokenDuo(app, answer.token), 'allow');
    assert.equal((await adminMe(app, answer.token)).status, 200);

    // From now on the password alone is not enough.
    expectAdminDuoRequired(await adminLogin(app, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password));
  });
});
