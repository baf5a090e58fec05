import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { assertNoToken, errorOf } from '../helpers/client-answers';
import { startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import {
  adminLogin,
  adminMe,
  adminTokenDuo,
  createAdmin,
  expectAdminSession,
  setStaffSettings,
  staffStep,
  type Admin,
} from '../helpers/staff';
import {
  callbackError,
  completionFrom,
  expectUniversalRequired,
  followCallback,
  throughPrompt,
  useUniversalPrompt,
} from '../helpers/universal-flow';

/*
 * Administrators through Duo's Universal Prompt, on the running host, over HTTP as the admin app and the step page
 * make the calls: the password, Duo's prompt, the plugin's admin callback, back to the step page with a completion
 * code, and the step page trades it for what /admin/login answers (Strapi 5: a session and its cookie). Then the
 * fail mode: only Duo out of reach before the browser left may let a login through, and only when set to open.
 */

let h: ClientsHarness;
let stepPage: string;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'required' } });
  await useUniversalPrompt(h.strapi, h.sandbox);
  stepPage = `${h.app.baseUrl}/duo-security/login`;
});
after(async () => {
  await h?.close();
});
afterEach(async () => {
  h.sandbox.clearFaults();
  h.sandbox.setOAuthSwitches({ denyRedirect: false });
  await setStaffSettings(h.strapi, { failMode: 'closed' });
});

const complete = (body: unknown) => h.app.api('/duo-security/step/complete', { method: 'POST', body });

async function startLogin(admin: Admin) {
  return expectUniversalRequired(await adminLogin(h.app, admin.email, admin.password), 'admin login');
}

describe('Universal Prompt, staff', () => {
  it("password → Duo → the admin callback → the step page's completion → what /admin/login answers", async () => {
    const admin = await createAdmin(h);
    const required = await startLogin(admin);
    const callback = await throughPrompt(h.sandbox, required.authorizeUrl, admin.email);
    assert.equal(callback.pathname, '/duo-security/universal/callback', 'Duo returns to the admin callback');
    const completion = completionFrom(await followCallback(callback), stepPage);
    const session = expectAdminSession(h.app, await complete({ step: required.stepId, completion }), 'complete');
    assert.equal((await adminMe(h.app, session.token)).status, 200, 'the session works');
    assert.equal(await adminTokenDuo(h.app, session.token), 'allow', 'and it passed Duo');
    assertNoToken(await complete({ step: required.stepId, completion }), 'the completion again');
  });

  it('the clients endpoints and callback finish nothing of a staff step, and the Auth API step is refused', async () => {
    const admin = await createAdmin(h);
    const required = await startLogin(admin);
    const callback = await throughPrompt(h.sandbox, required.authorizeUrl, admin.email);
    const atClients = new URL(callback);
    atClients.pathname = '/api/duo-security/universal/callback';
    const clientsAnswer = await followCallback(atClients);
    assert.equal(clientsAnswer.fragment.get('duo_completion'), null, JSON.stringify(clientsAnswer));

    const passcode = h.sandbox.currentPasscode(admin.email);
    const viaAuthApi = await staffStep(h.app, 'passcode', { step: required.stepId, passcode });
    assertNoToken(viaAuthApi);
    assert.deepEqual(errorOf(viaAuthApi, 400).details, { state: 'wrong-purpose' });

    const completion = completionFrom(await followCallback(callback), stepPage);
    const elsewhere = await h.app.api('/api/duo-security/step/complete', {
      method: 'POST',
      body: { step: required.stepId, completion },
    });
    assertNoToken(elsewhere);
    assert.equal(errorOf(elsewhere, 400).name, 'DuoStepError');
    expectAdminSession(h.app, await complete({ step: required.stepId, completion }));
  });

  it('Duo denies: back to the step page with the reason, no session', async () => {
    const admin = await createAdmin(h);
    h.sandbox.setOAuthSwitches({ denyRedirect: true });
    const required = await startLogin(admin);
    const callback = await throughPrompt(h.sandbox, required.authorizeUrl, admin.email, 'deny');
    assert.equal(callbackError(await followCallback(callback), stepPage), 'denied');
    const denied = await auditEntries(h.strapi, { userId: admin.id, event: 'step.denied' });
    assert.equal(denied.length, 1);
  });
});

describe('Universal Prompt, staff: the fail mode', () => {
  it('Duo out of reach at the health check: closed refuses, open lets the password through (audited)', async () => {
    const admin = await createAdmin(h);
    h.sandbox.setFault({ kind: 'status', status: 503, path: '/oauth/v1/health_check' });
    const closed = await adminLogin(h.app, admin.email, admin.password);
    assertNoToken(closed);
    assert.equal(errorOf(closed, 400).name, 'DuoUnavailableError');

    // A save of an active configuration runs the health check first (an unreachable Duo refuses the save).
    h.sandbox.clearFaults();
    await setStaffSettings(h.strapi, { failMode: 'open' });
    h.sandbox.setFault({ kind: 'status', status: 503, path: '/oauth/v1/health_check' });
    const open = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'fail open');
    assert.equal(await adminTokenDuo(h.app, open.token), 'fail-open', 'the session says Duo was skipped');
    const audited = await auditEntries(h.strapi, { userId: admin.id, event: 'login.fail-open' });
    assert.equal(audited.length, 1);
  });

  it('a health check Duo answers with a refusal (wrong application type) refuses even when open', async () => {
    const admin = await createAdmin(h);
    await setStaffSettings(h.strapi, { failMode: 'open' });
    h.sandbox.setFault({ kind: 'wrong-app-type', path: '/oauth/v1/health_check' });
    const refused = await adminLogin(h.app, admin.email, admin.password);
    assertNoToken(refused);
    assert.equal(errorOf(refused, 400).name, 'DuoUnavailableError', JSON.stringify(refused.body));
  });

  it('once the browser went to Duo nothing fails open: Duo out of reach at the token exchange refuses', async () => {
    const admin = await createAdmin(h);
    await setStaffSettings(h.strapi, { failMode: 'open' });
    const required = await startLogin(admin);
    const callback = await throughPrompt(h.sandbox, required.authorizeUrl, admin.email);
    h.sandbox.setFault({ kind: 'status', status: 503, path: '/oauth/v1/token' });
    assert.equal(callbackError(await followCallback(callback), stepPage), 'unavailable');
    assertNoToken(await staffStep(h.app, 'status', { step: required.stepId, wait: false }));
  });
});
