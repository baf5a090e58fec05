import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertNoToken, errorOf, expectToken, jwtPayload, type DuoRequired } from '../helpers/client-answers';
import { createClient, login, startClientsHarness, step, type ClientsHarness } from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import type { AudienceConfig } from '../helpers/duo-setup';
import { adminLogin, adminTokenDuo, createAdmin, expectAdminSession, roleId, staffStep } from '../helpers/staff';
import {
  RETURN_URL,
  callbackError,
  completionFrom,
  expectUniversalRequired,
  followCallback,
  throughPrompt,
  useUniversalPrompt,
} from '../helpers/universal-flow';

/*
 * A required role's grace period under Duo's Universal Prompt, on the running host, over HTTP: the universal step
 * of a user without Duo carries `duo.grace` beside the authorize URL, `postpone` finishes it without Duo while the
 * grace lasts (decided again from the settings and roles of that moment) and uses the step up, so Duo's callback
 * for it signs no one in. Once the grace is over only the authorize URL is left; enrolling there ends the offers.
 * "Without Duo" is the plugin's notion, as on the Auth API path: no active enrolment recorded by a sign-in through
 * Duo. The accounts are known to the sandbox so that its prompt approves them (it stands for Duo's own enrolment).
 */

let h: ClientsHarness;
let stepPage: string;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
  await useUniversalPrompt(h.strapi, h.sandbox);
  stepPage = `${h.app.baseUrl}/duo-security/login`;
});
after(async () => {
  await h?.close();
});

async function putSettings(body: { staff?: AudienceConfig; clients?: AudienceConfig }): Promise<void> {
  const response = await h.app.api('/duo-security/settings', { token: h.adminToken, method: 'PUT', body });
  assert.equal(response.status, 200, `settings: ${JSON.stringify(response.body)}`);
}

const graceOf = (required: DuoRequired): unknown => (required.duo as unknown as { grace?: unknown }).grace;

let roleCounter = 0;
async function clientRole(): Promise<number> {
  roleCounter += 1;
  const name = `Duo universal role ${roleCounter} ${process.pid}`;
  const role = (await h.strapi.db!.query('plugin::users-permissions.role').create({
    data: { name, description: name, type: `duo-universal-role-${roleCounter}-${process.pid}` },
  })) as { id: number };
  return role.id;
}

describe('Grace period under the Universal Prompt, clients', () => {
  it('a required role with 2 sign-ins of grace: two postponed (their callbacks sign no one in), then Duo only', async () => {
    const role = await clientRole();
    await putSettings({ clients: { roles: [{ role, enforcement: 'required', graceLogins: 2 }] } });
    try {
      const client = await createClient(h);
      await h.strapi.db!.query('plugin::users-permissions.user').update({ where: { id: client.id }, data: { role } });
      const signIn = async (what: string) =>
        expectUniversalRequired(await login(h.app, client.email, client.password), what);

      for (const left of [2, 1]) {
        const required = await signIn(`${left} left`);
        assert.deepEqual(graceOf(required), { loginsLeft: left });
        const postponed = await step(h.app, 'postpone', { step: required.stepId });
        const token = expectToken(postponed, `postponed, ${left} left`);
        assert.equal(jwtPayload(token.jwt).duo, 'postponed');
        assert.equal(postponed.headers.get('x-duo-grace-logins-left'), String(left - 1));
        assert.equal((await h.app.api('/api/duo-security/me', { token: token.jwt })).status, 200);
        // The step is used up: postponing again, or Duo's callback for it, gives no second session.
        assert.equal(errorOf(await step(h.app, 'postpone', { step: required.stepId }), 400).name, 'DuoStepError');
        const callback = await throughPrompt(h.sandbox, required.authorizeUrl, client.duoUsername);
        assert.equal(callbackError(await followCallback(callback), RETURN_URL), 'consumed');
      }

      const over = await signIn('grace used up');
      assert.equal(graceOf(over), undefined);
      const refused = await step(h.app, 'postpone', { step: over.stepId });
      assertNoToken(refused);
      assert.equal(errorOf(refused, 400).name, 'DuoFactorError');
      // The step is still open for Duo: through the prompt, the client enrols and signs in with Duo.
      const callback = await throughPrompt(h.sandbox, over.authorizeUrl, client.duoUsername);
      const completion = completionFrom(await followCallback(callback), RETURN_URL);
      const complete = await h.app.api('/api/duo-security/step/complete', {
        method: 'POST',
        body: { step: over.stepId, completion },
      });
      assert.equal(jwtPayload(expectToken(complete, 'through Duo').jwt).duo, 'allow');

      // Enrolled at Duo's prompt (as the Auth API path counts it): no grace offered, nothing to postpone.
      const enrolled = await signIn('enrolled');
      assert.equal(graceOf(enrolled), undefined);
      assert.equal(errorOf(await step(h.app, 'postpone', { step: enrolled.stepId }), 400).name, 'DuoStepError');

      const audited = await auditEntries(h.strapi, { userId: client.id, event: 'login.postponed' });
      assert.deepEqual(
        audited.map((e) => [e.audience, e.detail?.loginsLeft]),
        [
          ['clients', 1],
          ['clients', 0],
        ],
      );
    } finally {
      await putSettings({ clients: { roles: [] } });
    }
  });

  it('Duo allowed first: postponing that step is refused and its completion gives the one session', async () => {
    const role = await clientRole();
    await putSettings({ clients: { roles: [{ role, enforcement: 'required', graceLogins: 2 }] } });
    try {
      const client = await createClient(h);
      await h.strapi.db!.query('plugin::users-permissions.user').update({ where: { id: client.id }, data: { role } });
      const required = expectUniversalRequired(await login(h.app, client.email, client.password));
      assert.deepEqual(graceOf(required), { loginsLeft: 2 });
      const callback = await throughPrompt(h.sandbox, required.authorizeUrl, client.duoUsername);
      const completion = completionFrom(await followCallback(callback), RETURN_URL);
      const refused = await step(h.app, 'postpone', { step: required.stepId });
      assertNoToken(refused);
      assert.equal(errorOf(refused, 400).name, 'DuoStepError');
      const complete = await h.app.api('/api/duo-security/step/complete', {
        method: 'POST',
        body: { step: required.stepId, completion },
      });
      assert.equal(jwtPayload(expectToken(complete).jwt).duo, 'allow');
    } finally {
      await putSettings({ clients: { roles: [] } });
    }
  });
});

describe('Grace period under the Universal Prompt, staff', () => {
  it('a required role with 2 sign-ins of grace: two postponed (their callbacks sign no one in), then Duo only', async () => {
    const editor = await roleId(h.strapi, 'strapi-editor');
    await putSettings({ staff: { roles: [{ role: editor, enforcement: 'required', graceLogins: 2 }] } });
    try {
      const admin = await createAdmin(h, { role: 'strapi-editor' });
      const signIn = async (what: string) =>
        expectUniversalRequired(await adminLogin(h.app, admin.email, admin.password), what);

      for (const left of [2, 1]) {
        const required = await signIn(`${left} left`);
        assert.deepEqual(graceOf(required), { loginsLeft: left });
        const answer = await staffStep(h.app, 'postpone', { step: required.stepId });
        const session = expectAdminSession(h.app, answer, `postponed, ${left} left`);
        assert.equal(await adminTokenDuo(h.app, session.token), 'postponed');
        assert.equal(answer.headers.get('x-duo-grace-logins-left'), String(left - 1));
        const again = await staffStep(h.app, 'postpone', { step: required.stepId });
        assertNoToken(again);
        assert.equal(errorOf(again, 400).name, 'DuoStepError');
        const callback = await throughPrompt(h.sandbox, required.authorizeUrl, admin.email);
        assert.equal(callbackError(await followCallback(callback), stepPage), 'consumed');
      }

      const over = await signIn('grace used up');
      assert.equal(graceOf(over), undefined);
      assert.equal(errorOf(await staffStep(h.app, 'postpone', { step: over.stepId }), 400).name, 'DuoFactorError');
      const callback = await throughPrompt(h.sandbox, over.authorizeUrl, admin.email);
      const completion = completionFrom(await followCallback(callback), stepPage);
      const complete = await h.app.api('/duo-security/step/complete', {
        method: 'POST',
        body: { step: over.stepId, completion },
      });
      const session = expectAdminSession(h.app, complete, 'through Duo');
      assert.equal(await adminTokenDuo(h.app, session.token), 'allow');

      const enrolled = await signIn('enrolled');
      assert.equal(graceOf(enrolled), undefined);
      assert.equal(errorOf(await staffStep(h.app, 'postpone', { step: enrolled.stepId }), 400).name, 'DuoStepError');
    } finally {
      await putSettings({ staff: { roles: [] } });
    }
  });
});
