import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { dataOf, expectDuoRequired, expectToken, isRecord, jwtPayload, stepFrom } from '../helpers/client-answers';
import {
  createClient,
  GQL,
  login,
  startClientsHarness,
  step,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { Contract } from '../helpers/openapi';
import type { ApiResponse } from '../helpers/strapi';
import {
  adminLogin,
  adminTokenDuo,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  setCookie,
  staffStep,
  turnOnStaffDuo,
  type Admin,
} from '../helpers/staff';

/*
 * Remembered devices (issue 16, item 2), on the running host, through the HTTP API, with the sandbox's Remembered
 * devices policy on: a Duo step's allow hands the browser (staff: an httpOnly cookie) or the app (clients: the
 * answer's `duoRememberToken`) a sealed token; the next sign-in with it is allowed by Duo's preauth without a prompt.
 * Another account's token, one from before a reset or from before Duo was turned off, is refused by the plugin
 * (audited) and Duo asks as usual; the audience's `rememberDevices` setting turns it off.
 */

const REMEMBER_COOKIE = 'duo_remember';
/** The sandbox's trusted-device tokens are 64 hex characters: never to be seen outside the server. */
const RAW_DUO_TOKEN = /\b[0-9a-f]{64}\b/;

let h: ClientsHarness;
/** docs/openapi/client-api.json: the step answer with `duoRememberToken` and the sign-in with `X-Duo-Remember`. */
const contract = new Contract();
const SIGNED_IN = ['SignInToken', 'SignInSession'];

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
  h.sandbox.setRememberedDevices(30 * 86_400);
});
after(async () => {
  await h?.close();
});

/** A client who turned Duo on through the account API (one passcode). */
async function clientWithDuo(): Promise<Client> {
  const client = await createClient(h);
  await turnOnClientDuo(client, expectToken(await login(h.app, client.email, client.password)).jwt);
  return client;
}

async function turnOnClientDuo(client: Client, jwt: string): Promise<void> {
  const started = stepFrom(
    dataOf(await h.app.api('/api/duo-security/me/enable', { method: 'POST', token: jwt }), 'enable'),
    'enable',
  );
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const done = dataOf(await step(h.app, 'passcode', { step: started.stepId, passcode }), 'enable step');
  assert.equal(done.enabled, true);
  assert.equal(done.duoRememberToken, undefined, 'turning Duo on remembers nothing');
}

function clientLogin(client: Client, remember?: string): Promise<ApiResponse> {
  return h.app.api('/api/auth/local', {
    body: { identifier: client.email, password: client.password },
    ...(remember === undefined ? {} : { headers: { 'x-duo-remember': remember } }),
  });
}

/** A sign-in with a Duo step passed by passcode: the answer, and the token the app is to keep. */
async function rememberedClient(client: Client): Promise<{ jwt: string; remember: string }> {
  const required = expectDuoRequired(await clientLogin(client));
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const answer = await step(h.app, 'passcode', { step: required.stepId, passcode });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.ok(isRecord(answer.body));
  assert.deepEqual(Object.keys(answer.body).sort(), ['duoRememberToken', 'jwt', 'user']);
  assert.ok(SIGNED_IN.includes(contract.check('post', '/duo-security/step/passcode', answer)));
  const remember = answer.body.duoRememberToken;
  assert.equal(typeof remember, 'string');
  assert.doesNotMatch(String(remember), RAW_DUO_TOKEN, "Duo's own token is never handed out");
  return { jwt: String(answer.body.jwt), remember: String(remember) };
}

/** A sign-in answered at once with a token: no step, no push, no passcode. */
function expectRememberedSignIn(response: ApiResponse, what: string): string {
  const pushes = h.sandbox.pendingPushes().length;
  const token = expectToken(response, what).jwt;
  assert.ok(SIGNED_IN.includes(contract.check('post', '/auth/local', response, what)));
  assert.equal(jwtPayload(token).duo, 'bypass', `${what}: Duo's preauth allowed it`);
  assert.equal(h.sandbox.pendingPushes().length, pushes, `${what}: no push`);
  return token;
}

async function refusals(userId: number, audience: 'staff' | 'clients'): Promise<unknown[]> {
  return (await auditEntries(h.strapi, { userId, audience, event: 'remember.refused' })).map((e) => e.detail);
}

describe('Remembered devices, clients', () => {
  it('a remembered app signs in without a prompt (audited login.remembered); without the token Duo asks', async () => {
    const client = await clientWithDuo();
    const issued = h.sandbox.trustedDevices(client.duoUsername);
    const { remember } = await rememberedClient(client);
    assert.equal(h.sandbox.trustedDevices(client.duoUsername), issued + 1, 'Duo issued a trusted-device token');
    expectRememberedSignIn(await clientLogin(client, remember), 'remembered sign-in');
    expectRememberedSignIn(await clientLogin(client, remember), 'again, within the period');
    const audited = await auditEntries(h.strapi, { userId: client.id, event: 'login.remembered' });
    assert.equal(audited.length, 2);
    for (const entry of audited) assert.doesNotMatch(JSON.stringify(entry), /remember(Token)?":/);
    expectDuoRequired(await clientLogin(client), 'another app (no token)');
    // GraphQL's login reads the same header.
    const gql = await h.app.api('/graphql', {
      body: { query: GQL.login, variables: { input: { identifier: client.email, password: client.password } } },
      headers: { 'x-duo-remember': remember },
    });
    const loggedIn = isRecord(gql.body) && isRecord(gql.body.data) ? gql.body.data.login : undefined;
    assert.ok(isRecord(loggedIn) && typeof loggedIn.jwt === 'string', `graphql: ${JSON.stringify(gql.body)}`);
    assert.equal(jwtPayload(loggedIn.jwt).duo, 'bypass');
    for (const body of h.responses) assert.doesNotMatch(body, RAW_DUO_TOKEN);
  });

  it("another client's token or a damaged one is refused (audited) before Duo is asked", async () => {
    const owner = await clientWithDuo();
    const { remember } = await rememberedClient(owner);
    const other = await clientWithDuo();
    expectDuoRequired(await clientLogin(other, remember), "another client's token");
    expectDuoRequired(await clientLogin(other, `${remember.slice(0, -4)}AAAA`), 'a damaged token');
    expectDuoRequired(await clientLogin(other, 'x'.repeat(5000)), 'an oversized token');
    assert.deepEqual(await refusals(other.id, 'clients'), [
      { reason: 'another-account' },
      { reason: 'unreadable' },
      { reason: 'unreadable' },
    ]);
    // Still good for its owner.
    expectRememberedSignIn(await clientLogin(owner, remember), 'the owner');
  });

  it("an administrator's reset forgets the app: after Duo is on again, the old token is refused", async () => {
    const client = await clientWithDuo();
    const { remember } = await rememberedClient(client);
    const reset = await h.app.api('/duo-security/users/reset', {
      token: h.adminToken,
      body: { audience: 'clients', userId: client.id },
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    // Duo is off for the account now (enforcement optional): the password alone signs in, the token plays no part.
    await turnOnClientDuo(client, expectToken(await clientLogin(client, remember)).jwt);
    expectDuoRequired(await clientLogin(client, remember), 'the token from before the reset');
    assert.deepEqual(await refusals(client.id, 'clients'), [{ reason: 'forgotten' }]);
  });

  it('turning Duo off (and on again) forgets the app', async () => {
    const client = await clientWithDuo();
    const { remember, jwt } = await rememberedClient(client);
    const started = stepFrom(
      dataOf(await h.app.api('/api/duo-security/me/disable', { method: 'POST', token: jwt }), 'disable'),
      'disable',
    );
    const passcode = h.sandbox.currentPasscode(client.duoUsername);
    assert.equal(dataOf(await step(h.app, 'passcode', { step: started.stepId, passcode })).enabled, false);
    await turnOnClientDuo(client, expectToken(await clientLogin(client)).jwt);
    expectDuoRequired(await clientLogin(client, remember), 'the token from before Duo was turned off');
    assert.deepEqual(await refusals(client.id, 'clients'), [{ reason: 'forgotten' }]);
  });

  it("Duo's policy decides: with Remembered devices off in Duo, the plugin's token gets a prompt", async () => {
    const client = await clientWithDuo();
    const { remember } = await rememberedClient(client);
    h.sandbox.setRememberedDevices(null);
    try {
      expectDuoRequired(await clientLogin(client, remember), 'policy off in Duo');
      assert.deepEqual(await refusals(client.id, 'clients'), [], 'the plugin passed it on; Duo refused it');
    } finally {
      h.sandbox.setRememberedDevices(30 * 86_400);
    }
  });

  it('the setting rememberDevices off: no token handed out, and one presented is not used', async () => {
    const client = await clientWithDuo();
    const { remember } = await rememberedClient(client);
    await putSettings({ clients: { rememberDevices: false } });
    try {
      expectDuoRequired(await clientLogin(client, remember), 'setting off');
      const required = expectDuoRequired(await clientLogin(client));
      const passcode = h.sandbox.currentPasscode(client.duoUsername);
      expectToken(await step(h.app, 'passcode', { step: required.stepId, passcode }), 'no duoRememberToken');
    } finally {
      await putSettings({ clients: { rememberDevices: true } });
    }
    expectRememberedSignIn(await clientLogin(client, remember), 'setting back on');
  });
});

describe('Remembered devices, staff', () => {
  it('the step sets an httpOnly SameSite=Strict cookie for /admin; the next admin sign-in with it needs no push', async () => {
    const admin = await adminWithDuo();
    const cookie = await rememberedBrowser(admin);
    const session = expectAdminSession(h.app, await adminLoginWith(admin, cookie), 'remembered admin sign-in');
    assert.equal(await adminTokenDuo(h.app, session.token), 'bypass');
    expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password), 'another browser');
    const audited = await auditEntries(h.strapi, { userId: admin.id, audience: 'staff', event: 'login.remembered' });
    assert.equal(audited.length, 1);
  });

  it("another administrator's cookie is refused; after a reset the browser is forgotten", async () => {
    const admin = await adminWithDuo();
    const cookie = await rememberedBrowser(admin);
    const other = await adminWithDuo();
    const others = await adminLoginWith(other, cookie);
    expectAdminDuoRequired(others, "another administrator's cookie");
    assert.deepEqual(await refusals(other.id, 'staff'), [{ reason: 'another-account' }]);
    // Still the first administrator's (a shared browser): kept.
    assert.equal(setCookie(others, REMEMBER_COOKIE), undefined);
    // Another audience: the administrator's envelope as a client app's token.
    const client = await clientWithDuo();
    expectDuoRequired(await clientLogin(client, cookie.slice(`${REMEMBER_COOKIE}=`.length)), 'a staff cookie');
    assert.deepEqual(await refusals(client.id, 'clients'), [{ reason: 'another-account' }]);

    const reset = await h.app.api('/duo-security/users/reset', {
      token: h.adminToken,
      body: { audience: 'staff', userId: admin.id },
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const plain = expectAdminSession(h.app, await adminLoginWith(admin, cookie), 'Duo off after the reset');
    await turnOnStaffDuo(h, admin, plain.token);
    const stale = await adminLoginWith(admin, cookie);
    expectAdminDuoRequired(stale, 'the cookie from before the reset');
    assert.deepEqual(await refusals(admin.id, 'staff'), [{ reason: 'forgotten' }]);
    // It can never work again: the browser is told to drop it (same name and path, empty, expired), so later
    // sign-ins do not present it and get refused (and audited) each time.
    const dropped = setCookie(stale, REMEMBER_COOKIE);
    assert.ok(dropped !== undefined, 'the dead cookie is cleared');
    assert.match(dropped, /^duo_remember=;/);
    assert.match(dropped, /;\s*path=\/admin(;|$)/i);
    assert.match(dropped, /;\s*expires=Thu, 01 Jan 1970/i);
  });
});

async function putSettings(body: Record<string, unknown>): Promise<void> {
  const saved = await h.app.api('/duo-security/settings', { token: h.adminToken, method: 'PUT', body });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
}

async function adminWithDuo(): Promise<Admin> {
  const admin = await createAdmin(h);
  const session = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'plain');
  await turnOnStaffDuo(h, admin, session.token);
  return admin;
}

function adminLoginWith(admin: Admin, cookie: string): Promise<ApiResponse> {
  return h.app.api('/admin/login', {
    body: { email: admin.email, password: admin.password },
    headers: { cookie },
  });
}

/** An admin sign-in with a passcode: the `Cookie` header the browser will send back to /admin. */
async function rememberedBrowser(admin: Admin): Promise<string> {
  const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
  const passcode = h.sandbox.currentPasscode(admin.email);
  const answer = await staffStep(h.app, 'passcode', { step: required.stepId, passcode });
  expectAdminSession(h.app, answer, 'staff step');
  assert.doesNotMatch(JSON.stringify(answer.body), /duoRememberToken/, 'staff: a cookie, not the body');
  const set = setCookie(answer, REMEMBER_COOKIE);
  assert.ok(set !== undefined, 'the step set the remembered-device cookie');
  assert.match(set, /;\s*httponly/i);
  assert.match(set, /;\s*samesite=strict/i);
  assert.match(set, /;\s*path=\/admin(;|$)/i);
  assert.doesNotMatch(set, /;\s*secure/i, 'plain HTTP: not Secure');
  assert.equal(setCookie(answer, `${REMEMBER_COOKIE}.sig`), undefined, 'sealed, so not signed');
  assert.doesNotMatch(set, RAW_DUO_TOKEN);
  return set.split(';')[0]!;
}
