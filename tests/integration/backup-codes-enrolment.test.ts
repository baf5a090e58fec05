import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  expectDuoRequired,
  expectToken,
  takeBackupCodes,
  type DuoRequired,
} from '../helpers/client-answers';
import { createClient, login, startClientsHarness, step, type ClientsHarness } from '../helpers/clients-harness';
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
 *
 * And whether a backup code can finish the step (`duo.backupCodes`), over HTTP: an account that must enrol inside
 * its sign-in has no codes yet, so the step says false and the step page offers no form that could only fail; an
 * account with codes says true, also when Duo asks it to enrol again (its Duo user deleted at Duo), where a code is
 * its one way in. Client answers are checked against the client API document, which must describe the field.
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

/** A client API call, its answer matched against docs/openapi/client-api.json. */
async function clientCall(path: string, body: unknown): Promise<ApiResponse> {
  const response = await h.app.api(`/api${path}`, { method: 'POST', body });
  contract.check('post', path, response);
  return response;
}
const clientStep: Call = (action, body) => clientCall(`/duo-security/step/${action}`, body);
const clientSignIn = async (identifier: string, password: string) =>
  expectDuoRequired(await clientCall('/auth/local', { identifier, password }));

const offered = (required: Pick<DuoRequired, 'duo'>) => (required.duo as { backupCodes?: unknown }).backupCodes;

/** Enrols Duo Mobile inside the open step, then answers it with a passcode: the step's final answer. */
async function enrolInside(call: Call, stepId: string, duoUsername: string): Promise<ApiResponse> {
  const enrolling = dataOf(await call('enroll', { step: stepId }), 'enroll');
  assert.equal((enrolling.duo as { backupCodes?: unknown }).backupCodes, false, 'still none while enrolling');
  const activation = (enrolling.duo as { activation: { activationCode: string } }).activation;
  h.sandbox.completeActivation(activation.activationCode);
  const activated = dataOf(await call('status', { step: stepId, wait: false }), 'activated');
  assert.equal(activated.state, 'pending');
  // Now an ordinary check, but the codes only come with its answer: still nothing a code could finish.
  assert.deepEqual(
    [(activated.duo as { result: string }).result, (activated.duo as { backupCodes: unknown }).backupCodes],
    ['auth', false],
  );
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

describe('duo.backupCodes: whether a backup code can finish the step', () => {
  it('a client: false while enrolling without codes, true once it has them, true when Duo asks it to enrol again', async () => {
    const client = await createClient(h, { duo: false });
    const enrolling = await clientSignIn(client.email, client.password);
    assert.deepEqual([enrolling.duo.result, offered(enrolling)], ['enroll', false]);
    const { codes } = takeBackupCodes(
      await enrolInside(clientStep, enrolling.stepId, client.duoUsername),
      'client enrolment',
    );

    const ordinary = await clientSignIn(client.email, client.password);
    assert.deepEqual([ordinary.duo.result, offered(ordinary)], ['auth', true]);

    // Its Duo user deleted at Duo while the plugin's enrolment stays: Duo says enrol, and a code is the way in.
    h.sandbox.removeUser(client.duoUsername);
    const again = await clientSignIn(client.email, client.password);
    assert.deepEqual([again.duo.result, offered(again)], ['enroll', true]);
    expectToken(await clientStep('backup-code', { step: again.stepId, code: codes[0] }), 'a backup code at enrol');
  });

  it('an administrator: false while enrolling, and known to Duo without codes; true with codes', async () => {
    const admin = await createAdmin(h, { prefix: 'offer', duo: false });
    const enrolling = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assert.deepEqual([enrolling.duo.result, offered(enrolling)], ['enroll', false]);
    const finished = await enrolInside((a, b) => staffStep(h.app, a, b), enrolling.stepId, admin.email);
    const { response, codes } = takeBackupCodes(finished, 'staff enrolment');
    expectAdminSession(h.app, response, 'staff enrolment');
    assert.equal(codes.length, 10);

    const ordinary = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assert.deepEqual([ordinary.duo.result, offered(ordinary)], ['auth', true]);

    // Known to Duo already (a device, so `auth`) but never enrolled through the plugin: no codes to offer.
    const known = await createAdmin(h, { prefix: 'offerknown' });
    const plain = expectAdminDuoRequired(await adminLogin(h.app, known.email, known.password));
    assert.deepEqual([plain.duo.result, offered(plain)], ['auth', false]);
  });
});
