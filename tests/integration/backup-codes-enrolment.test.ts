import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  createClient,
  dataOf,
  expectDuoRequired,
  expectToken,
  login,
  startClientsHarness,
  step,
  takeBackupCodes,
  type ClientsHarness,
} from '../helpers/clients-harness';
import {
  adminLogin,
  adminTokenDuo,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  setStaffSettings,
  staffStep,
  type StepAction,
} from '../helpers/staff';
import { Contract } from '../helpers/openapi';
import type { ApiResponse } from '../helpers/strapi';

/*
 * Backup codes (issue 16, item 1) for accounts that enrol inside a sign-in (enforcement `required`, an account Duo
 * does not know yet): the answer that finishes the enrolment carries the first set, once, as the guided setup's
 * answer does; a later sign-in does not; a code from it finishes one Duo step and not two.
 */

let h: ClientsHarness;
const contract = new Contract();

before(async () => {
  h = await startClientsHarness({ clients: { enforcement: 'required' } });
  await setStaffSettings(h.strapi, { enabled: true, enforcement: 'required' });
});
after(async () => {
  await h?.close();
});

type Call = (action: StepAction, body: unknown) => Promise<ApiResponse>;

/** Enrols Duo Mobile inside the open step and answers it with a passcode: the step's final answer. */
async function enrolInside(call: Call, stepId: string, duoUsername: string): Promise<ApiResponse> {
  const enrolling = dataOf(await call('enroll', { step: stepId }), 'enroll');
  const activation = (enrolling.duo as { activation: { activationCode: string } }).activation;
  h.sandbox.completeActivation(activation.activationCode);
  assert.equal(dataOf(await call('status', { step: stepId, wait: false }), 'activated').state, 'pending');
  return call('passcode', { step: stepId, passcode: h.sandbox.currentPasscode(duoUsername) });
}

describe('Backup codes at enrolment inside a sign-in', () => {
  it('a client: the answer carries the first set beside { jwt, user }; /me counts 10; the next sign-in none', async () => {
    const client = await createClient(h, { duo: false });
    const required = expectDuoRequired(await login(h.app, client.email, client.password));
    assert.equal(required.duo.result, 'enroll');
    const finished = await enrolInside((a, b) => step(h.app, a, b), required.stepId, client.duoUsername);
    // As the client API document says: the sign-in answer with `backupCodes` beside the token.
    assert.equal(contract.check('post', '/duo-security/step/passcode', finished), 'SignInToken');
    const { response, codes } = takeBackupCodes(finished, 'client enrolment');
    const { jwt } = expectToken(response, 'client enrolment');
    assert.equal(dataOf(await h.app.api('/api/duo-security/me', { token: jwt }), 'me').backupCodesRemaining, 10);

    // Enrolled now: the next sign-in with Duo answers the plain { jwt, user }, no new set.
    const next = expectDuoRequired(await login(h.app, client.email, client.password));
    assert.equal(next.duo.result, 'auth');
    const passcode = h.sandbox.currentPasscode(client.duoUsername);
    expectToken(await step(h.app, 'passcode', { step: next.stepId, passcode }), 'sign-in after enrolment');

    // A code from the set finishes one Duo step, once.
    const lost = expectDuoRequired(await login(h.app, client.email, client.password));
    expectToken(await step(h.app, 'backup-code', { step: lost.stepId, code: codes[2] }), 'with a backup code');
    const again = expectDuoRequired(await login(h.app, client.email, client.password));
    assertNoToken(await step(h.app, 'backup-code', { step: again.stepId, code: codes[2] }));
  });

  it('an administrator: the answer carries the first set in data; a code from it opens one session, once', async () => {
    const admin = await createAdmin(h, { prefix: 'enrolsignin', duo: false });
    const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assert.equal(required.duo.result, 'enroll');
    const finished = await enrolInside((a, b) => staffStep(h.app, a, b), required.stepId, admin.email);
    const { response, codes } = takeBackupCodes(finished, 'staff enrolment');
    const session = expectAdminSession(h.app, response, 'staff enrolment');
    assert.equal(await adminTokenDuo(h.app, session.token), 'allow');

    const next = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    expectAdminSession(
      h.app,
      await staffStep(h.app, 'passcode', { step: next.stepId, passcode: h.sandbox.currentPasscode(admin.email) }),
      'sign-in after enrolment',
    );
    const lost = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    const withCode = expectAdminSession(
      h.app,
      await staffStep(h.app, 'backup-code', { step: lost.stepId, code: codes[7] }),
      'with a backup code',
    );
    assert.equal(await adminTokenDuo(h.app, withCode.token), 'backup-code');
    const again = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assertNoToken(await staffStep(h.app, 'backup-code', { step: again.stepId, code: codes[7] }));
  });
});
