import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, it } from 'node:test';

import { dataOf, expectDuoRequired, stepFrom } from '../helpers/client-answers';
import {
  createClient,
  eventually,
  newCredentials,
  startClientsHarness,
  updateClientSettings,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { contractCalls, type ContractCalls } from '../helpers/contract-calls';
import { Contract, HTTP_METHODS, isObject } from '../helpers/openapi';
import { startOfflineProvider, type OfflineProvider } from '../helpers/social-sign-in';
import { describeOnV5, PLAYGROUND_V5_DIR, type ApiRequest } from '../helpers/strapi';
import {
  completionFrom,
  expectUniversalRequired,
  followCallback,
  RETURN_URL,
  throughPrompt,
  useUniversalPrompt,
} from '../helpers/universal-flow';

/**
 * docs/openapi/client-api.json against Strapi 5 with users-permissions `jwtManagement: 'refresh'`: every sign-in
 * path answers a session, the Duo step's final answers are sessions (or the cookie variant), `/auth/refresh`
 * rotates a session that passed Duo and refuses one from before (and /step/complete, under Duo's Universal Prompt,
 * answers a session too); each answer validated against the document. And
 * Strapi 5's own OpenAPI generator (@strapi/openapi) sees the same /duo-security routes as the document lists.
 */

describeOnV5("the client API document on Strapi 5, users-permissions jwtManagement: 'refresh'", () => {
  const contract = new Contract();
  let h: ClientsHarness;
  let provider: OfflineProvider;
  let c: ContractCalls;

  before(async () => {
    h = await startClientsHarness({ env: { UP_JWT_MANAGEMENT: 'refresh' }, sandbox: { longPollMs: 3000 } });
    provider = await startOfflineProvider(h.strapi, 'offline');
    c = contractCalls(h, contract, provider);
  });
  after(async () => {
    await provider?.close();
    await h?.close();
  });

  const refresh = (request: ApiRequest) => c.call('post', '/auth/refresh', { method: 'POST', ...request });
  const bodyOf = (checked: { response: { body: unknown } }) => checked.response.body as Record<string, string>;

  it('turning Duo on answers a session; the one from before cannot rotate', async () => {
    const client = await createClient(h);
    const before = await c.local(client);
    assert.equal(before.kind, 'SignInSession');
    const enable = await h.app.api('/api/duo-security/me/enable', { method: 'POST', token: bodyOf(before).jwt });
    const started = stepFrom(dataOf(enable), 'enable');
    const enabled = await c.passcode(started.stepId, client.duoUsername);
    assert.equal(enabled.kind, 'EnableAnswer');
    assert.equal(typeof dataOf(enabled.response).refreshToken, 'string');
    const refused = await refresh({ body: { refreshToken: bodyOf(before).refreshToken } });
    assert.equal(refused.kind, 'UnauthorizedError');

    const held = expectDuoRequired((await c.local(client)).response);
    const done = await c.passcode(held.stepId, client.duoUsername);
    assert.equal(done.kind, 'SignInSession');
    // A backup code from the guided setup opens a session too.
    const code = (dataOf(enabled.response).backupCodes as string[])[0];
    const lost = expectDuoRequired((await c.local(client)).response);
    const withCode = await c.call('post', '/duo-security/step/backup-code', { body: { step: lost.stepId, code } });
    assert.equal(withCode.kind, 'SignInSession');
    assert.equal((await refresh({ body: { refreshToken: bodyOf(done).refreshToken } })).kind, 'RefreshSession');

    const asksCookie = { 'x-strapi-refresh-cookie': 'httpOnly' };
    const heldCookie = expectDuoRequired((await c.local(client, asksCookie)).response);
    const cookieDone = await c.passcode(heldCookie.stepId, client.duoUsername);
    assert.equal(cookieDone.kind, 'SignInToken');
    const cookie = cookieDone.response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    assert.match(cookie, /strapi_up_refresh=/);
    assert.equal((await refresh({ headers: { cookie, ...asksCookie } })).kind, 'RefreshCookie');

    const polled = expectDuoRequired((await c.local(client)).response).stepId;
    assert.equal(dataOf(await h.app.api('/api/duo-security/step/push', { body: { step: polled } })).state, 'waiting');
    const push = await eventually(
      () => h.sandbox.pendingPushes().find((p) => p.username === client.duoUsername),
      3000,
      'the push',
    );
    h.sandbox.approve(push.txid);
    let status = await c.call('post', '/duo-security/step/status', { body: { step: polled } });
    for (let i = 0; i < 3 && status.kind === 'StepStateAnswer'; i += 1) {
      status = await c.call('post', '/duo-security/step/status', { body: { step: polled } });
    }
    assert.equal(status.kind, 'SignInSession');
  });

  it('register, reset-password, the provider callback and change-password answer sessions', async () => {
    assert.equal(await c.kindOf('post', '/auth/local/register', { body: newCredentials('v5reg') }), 'SignInSession');
    assert.equal(await c.reset(await createClient(h), 'code-v5'), 'SignInSession');
    provider.profile('social-v5', newCredentials('v5soc'));
    assert.equal((await c.social('social-v5')).kind, 'SignInSession');
    const client = await createClient(h);
    const session = bodyOf(await c.local(client));
    const body = { currentPassword: client.password, password: 'Changed-v5-1', passwordConfirmation: 'Changed-v5-1' };
    assert.equal(await c.kindOf('post', '/auth/change-password', { token: session.jwt, body }), 'SignInSession');
  });

  it("postponing enrolment within a required role's grace period answers a session marked postponed", async () => {
    const role = (await h.strapi.db!.query('plugin::users-permissions.role').create({
      data: { name: 'Duo grace v5', description: 'grace', type: 'duo-grace-v5' },
    })) as { id: number };
    await updateClientSettings(h, { roles: [{ role: role.id, enforcement: 'required', graceLogins: 1 }] });
    try {
      const client = await createClient(h, { duo: false });
      await h.strapi.db!.query('plugin::users-permissions.user').update({
        where: { id: client.id },
        data: { role: role.id },
      });
      const held = expectDuoRequired((await c.local(client)).response);
      const done = await c.call('post', '/duo-security/step/postpone', { body: { step: held.stepId } });
      assert.equal(done.kind, 'SignInSession');
      assert.equal((await refresh({ body: { refreshToken: bodyOf(done).refreshToken } })).kind, 'RefreshSession');
    } finally {
      await updateClientSettings(h, { roles: [] });
    }
  });

  it("under Duo's Universal Prompt, /step/complete answers a session", async () => {
    // Left switched on: the tests after this one sign no one in.
    await useUniversalPrompt(h.strapi, h.sandbox);
    await updateClientSettings(h, { enforcement: 'required' });
    try {
      const client = await createClient(h);
      const required = expectUniversalRequired((await c.local(client)).response);
      const back = await followCallback(await throughPrompt(h.sandbox, required.authorizeUrl, client.duoUsername));
      const completion = completionFrom(back, RETURN_URL);
      const done = await c.call('post', '/duo-security/step/complete', { body: { step: required.stepId, completion } });
      assert.equal(done.kind, 'SignInSession');
    } finally {
      await updateClientSettings(h, { enforcement: 'optional' });
    }
  });

  it("Strapi 5's own generator (@strapi/openapi) lists the same /duo-security operations", () => {
    const openapi = createRequire(join(PLAYGROUND_V5_DIR, 'package.json'))('@strapi/openapi') as {
      generate(strapi: unknown): { document: { paths: Record<string, Record<string, unknown>> } };
    };
    const operations = (paths: Record<string, unknown>) =>
      Object.entries(paths)
        .filter(([path]) => path.startsWith('/duo-security/'))
        .flatMap(([path, item]) =>
          HTTP_METHODS.filter((m) => isObject(item) && item[m] !== undefined).map((m) => `${m} ${path}`),
        )
        .sort();
    const generated = operations(openapi.generate(h.strapi).document.paths);
    assert.ok(generated.length > 0);
    assert.deepEqual(operations(contract.document.paths as Record<string, unknown>), generated);
  });

  it('every session answer the document lists was produced and matched', () => {
    contract.assertCovered(
      'users-permissions sessions (Strapi 5 refresh mode)',
      (answer) => answer.includes('SignInSession') || answer.includes(' /auth/refresh '),
      new Map(),
    );
  });
});
