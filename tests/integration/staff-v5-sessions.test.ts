import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import jwt from 'jsonwebtoken';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { recordEmails } from '../helpers/clients-harness';
import {
  bootStrapi,
  describeOnV5,
  type ApiResponse,
  type BootedStrapi,
  type Row,
  type StrapiV5,
} from '../helpers/strapi';

/**
 * Issue 12, Strapi 5 staff: an administrator who must use Duo gets no session row, no refresh cookie and no access
 * token before Duo allows; after Duo the session is an ordinary Strapi 5 session (access-token rotation, logout,
 * remember me, device id); sessions that did not pass Duo are refused.
 */

const PASSWORD = 'Admin-Passw0rd';
const FIRST = { firstname: 'Ada', lastname: 'Admin', email: 'ada@example.com', password: PASSWORD };

let app: BootedStrapi<StrapiV5>;
let sandbox: DuoSandbox;
let superToken: string;
let counter = 0;

interface Answer extends ApiResponse {
  readonly cookies: string[];
}

/** A request with an optional bearer token and cookies; answers with the Set-Cookie lines. */
async function call(
  path: string,
  options: { body?: unknown; token?: string; cookie?: string; method?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'duo-tests/1.0' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  const response = await fetch(new URL(path, app.baseUrl), {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as unknown),
    cookies: response.headers.getSetCookie(),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what}: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** The refresh cookie pair (`strapi_admin_refresh` and its signature) as a Cookie header, or undefined. */
function refreshCookie(answer: Answer): string | undefined {
  const pairs = answer.cookies
    .filter((line) => line.startsWith('strapi_admin_refresh'))
    .map((line) => line.split(';')[0] ?? '');
  return pairs.length === 0 ? undefined : pairs.join('; ');
}

function duoStep(answer: Answer, what: string): string {
  assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
  const error = record(record(answer.body, what).error, what);
  assert.equal(error.name, 'DuoRequiredError', what);
  assert.equal(refreshCookie(answer), undefined, `${what}: a refresh cookie before Duo`);
  assert.doesNotMatch(JSON.stringify(answer.body), /eyJ[A-Za-z0-9_-]+\./, `${what}: a token before Duo`);
  return String(record(record(error.details, what).step, what).id);
}

async function sessionsOf(userId: number): Promise<Row[]> {
  return app.strapi.db.query('admin::session').findMany({ where: { userId: String(userId), origin: 'admin' } });
}

interface Admin {
  readonly id: number;
  readonly email: string;
}

/** An active administrator (Editor role) made straight in the database; Duo knows them by e-mail. */
async function newAdmin(duo = true): Promise<Admin> {
  counter += 1;
  const email = `staff${counter}@example.com`;
  const users = app.strapi as unknown as {
    service(uid: 'admin::user'): { create(data: Record<string, unknown>): Promise<{ id: number }> };
  };
  const roles = app.strapi.db.query('admin::role');
  const [editor] = await roles.findMany({ where: { code: 'strapi-editor' } });
  const user = await users.service('admin::user').create({
    firstname: 'Staff',
    lastname: String(counter),
    email,
    password: PASSWORD,
    isActive: true,
    roles: [editor?.id],
  });
  if (duo) sandbox.addUser({ username: email });
  return { id: user.id, email };
}

async function passStep(stepId: string, admin: Admin): Promise<Answer> {
  return call('/duo-security/step/passcode', {
    body: { step: stepId, passcode: sandbox.currentPasscode(admin.email) },
  });
}

/** Through the settings service: under `required` the super admin's own session (no Duo yet) is refused too. */
async function setStaff(enforcement: 'optional' | 'required'): Promise<void> {
  const settings = (app.strapi.plugin('duo-security') as { service(name: 'settings'): unknown }).service(
    'settings',
  ) as { update(update: Record<string, unknown>): Promise<unknown> };
  await settings.update({ staff: { enabled: true, enforcement } });
}

describeOnV5('Strapi 5 admin sessions and Duo', () => {
  before(async () => {
    sandbox = await startDuoSandbox({ port: 0 });
    app = await bootStrapi({ host: 'v5' });
    recordEmails(app.strapi as unknown as Parameters<typeof recordEmails>[0]);
    const registered = await call('/admin/register-admin', { body: FIRST });
    superToken = String(record(record(registered.body, 'register-admin').data, 'register-admin').token);
    sandbox.addUser({ username: FIRST.email });
    const activated = await call('/duo-security/settings', {
      token: superToken,
      method: 'PUT',
      body: {
        activated: true,
        integrationKey: sandbox.ikey,
        secretKey: sandbox.skey,
        apiHostname: sandbox.url,
        // Optional: the super admin's session keeps working; the administrators below are required by the policy.
        staff: { enabled: true, enforcement: 'optional' },
      },
    });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
  });

  after(async () => {
    await app?.close();
    await sandbox?.close();
  });

  describe('Strapi 5: an administrator who must use Duo', () => {
    let admin: Admin;
    let earlier: Answer;

    before(async () => {
      admin = await newAdmin();
      // A session from before Duo was required of them.
      earlier = await call('/admin/login', { body: { email: admin.email, password: PASSWORD } });
      assert.equal(earlier.status, 200, JSON.stringify(earlier.body));
      await setStaff('required');
    });

    after(async () => {
      await setStaff('optional');
    });

    it('signs in to a Duo step: no session row, no refresh cookie, no token', async () => {
      const rows = (await sessionsOf(admin.id)).length;
      duoStep(await call('/admin/login', { body: { email: admin.email, password: PASSWORD } }), 'login');
      assert.equal((await sessionsOf(admin.id)).length, rows, 'a session row was made before Duo');
    });

    it('loses the session it had before Duo was required: its token and its refresh cookie', async () => {
      const token = String(record(record(earlier.body, 'login').data, 'login').token);
      assert.equal((await call('/admin/users/me', { token })).status, 401);
      const cookie = refreshCookie(earlier);
      assert.ok(cookie !== undefined);
      const rotated = await call('/admin/access-token', { method: 'POST', cookie });
      assert.equal(rotated.status, 401, JSON.stringify(rotated.body));
      assert.equal(refreshCookie(rotated), undefined);
    });

    it('after Duo: a normal Strapi 5 session (token, cookie, rotation, logout), with remember me and the device id', async () => {
      const deviceId = randomUUID();
      const stepId = duoStep(
        await call('/admin/login', { body: { email: admin.email, password: PASSWORD, rememberMe: true, deviceId } }),
        'login',
      );
      const done = await passStep(stepId, admin);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const data = record(record(done.body, 'after Duo').data, 'after Duo');
      assert.deepEqual(Object.keys(data).sort(), ['accessToken', 'token', 'user']);
      assert.equal(data.token, data.accessToken);
      assert.equal(record(data.user, 'user').email, admin.email);
      const line = done.cookies.find((c) => c.startsWith('strapi_admin_refresh='));
      assert.ok(line !== undefined, 'no refresh cookie after Duo');
      assert.match(line, /path=\/admin/);
      assert.match(line, /httponly/i);
      assert.match(line, /expires=/i, 'remember me: the cookie outlives the browser session');

      const rows = await sessionsOf(admin.id);
      const row = rows.find((r) => r.deviceId === deviceId);
      assert.ok(row !== undefined, 'the session keeps the device id of the login');
      assert.equal(row.type, 'refresh');

      const token = String(data.token);
      assert.equal((await call('/admin/users/me', { token })).status, 200);
      const cookie = refreshCookie(done);
      assert.ok(cookie !== undefined);
      const rotated = await call('/admin/access-token', { method: 'POST', cookie });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const fresh = String(record(record(rotated.body, 'rotated').data, 'rotated').token);
      assert.equal((await call('/admin/users/me', { token: fresh })).status, 200);

      const out = await call('/admin/logout', { method: 'POST', token: fresh, body: { deviceId } });
      assert.equal(out.status, 200, JSON.stringify(out.body));
      assert.equal((await call('/admin/users/me', { token: fresh })).status, 401, 'logout ends the session');
    });

    it('without remember me the cookie is a browser-session cookie', async () => {
      const stepId = duoStep(await call('/admin/login', { body: { email: admin.email, password: PASSWORD } }), 'login');
      const done = await passStep(stepId, admin);
      const line = done.cookies.find((c) => c.startsWith('strapi_admin_refresh='));
      assert.ok(line !== undefined);
      assert.doesNotMatch(line, /expires=/i);
    });

    it('an abandoned Duo step leaves no session row', async () => {
      const rows = (await sessionsOf(admin.id)).length;
      const stepId = duoStep(await call('/admin/login', { body: { email: admin.email, password: PASSWORD } }), 'login');
      await call('/duo-security/step/cancel', { body: { step: stepId } });
      assert.equal((await sessionsOf(admin.id)).length, rows);
    });

    it('a session made without Duo, by any path, is refused where sessions are made', async () => {
      const manager = app.strapi.sessionManager as (origin: string) => {
        generateRefreshToken(userId: string, deviceId: string, options: object): Promise<unknown>;
      };
      const rows = (await sessionsOf(admin.id)).length;
      await assert.rejects(manager('admin').generateRefreshToken(String(admin.id), randomUUID(), { type: 'session' }));
      assert.equal((await sessionsOf(admin.id)).length, rows);
    });

    it('a password reset answers the Duo step and ends the sessions the account had', async () => {
      const stepId = duoStep(await call('/admin/login', { body: { email: admin.email, password: PASSWORD } }), 'login');
      const signedIn = await passStep(stepId, admin);
      const token = String(record(record(signedIn.body, 'signed in').data, 'signed in').token);
      assert.equal((await call('/admin/users/me', { token })).status, 200);

      await call('/admin/forgot-password', { body: { email: admin.email } });
      const [row] = await app.strapi.db.query('admin::user').findMany({ where: { id: admin.id } });
      const code = String(row?.resetPasswordToken);
      const reset = await call('/admin/reset-password', {
        body: { resetPasswordToken: code, password: PASSWORD },
      });
      const step = duoStep(reset, 'reset-password');
      assert.equal((await call('/admin/users/me', { token })).status, 401, 'the old session survived the reset');
      const done = await passStep(step, admin);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(Object.keys(record(record(done.body, 'reset').data, 'reset')).sort(), ['token', 'user']);
    });

    it('a session that did not pass Duo cannot make API, transfer or admin tokens (nor do anything else)', async () => {
      const token = String(record(record(earlier.body, 'login').data, 'login').token);
      const attempts: Array<[string, unknown]> = [
        ['/admin/api-tokens', { name: `api${counter}`, type: 'read-only', lifespan: null }],
        ['/admin/transfer/tokens', { name: `transfer${counter}`, permissions: ['push'], lifespan: null }],
        ['/admin/admin-tokens', { name: `admin${counter}`, lifespan: null }],
      ];
      // The same administrator after Duo is authenticated there (an Editor: 403, not allowed; never 401).
      const stepId = duoStep(await call('/admin/login', { body: { email: admin.email, password: PASSWORD } }), 'login');
      const passed = String(record(record((await passStep(stepId, admin)).body, 'after Duo').data, 'data').token);
      for (const [path, body] of attempts) {
        const created = await call(path, { token, body });
        assert.equal(created.status, 401, `${path}: ${JSON.stringify(created.body)}`);
        const allowed = await call(path, { token: passed, body });
        assert.notEqual(allowed.status, 401, `${path} after Duo: ${JSON.stringify(allowed.body)}`);
        assert.ok(allowed.status < 500, `${path} after Duo: ${allowed.status}`);
      }
    });
  });

  describe('Strapi 5: an administrator turning Duo on for themselves (enforcement optional)', () => {
    it('after one Duo check gets a marked session; the session they had stops working', async () => {
      const admin = await newAdmin();
      const signedIn = await call('/admin/login', { body: { email: admin.email, password: PASSWORD } });
      const token = String(record(record(signedIn.body, 'login').data, 'login').token);
      const started = await call('/duo-security/me/enable', { token, body: {} });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const stepId = String(record(record(record(started.body, 'enable').data, 'enable').step, 'enable').id);
      const done = await passStep(stepId, admin);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const data = record(record(done.body, 'enabled').data, 'enabled');
      assert.equal(data.enabled, true);
      assert.ok(refreshCookie(done) !== undefined, 'no refresh cookie for the marked session');
      assert.equal((await call('/admin/users/me', { token })).status, 401, 'the session without Duo survived');
      assert.equal((await call('/admin/users/me', { token: String(data.token) })).status, 200);
      // From now on every sign-in asks Duo.
      duoStep(await call('/admin/login', { body: { email: admin.email, password: PASSWORD } }), 'login after enabling');
    });
  });

  describe('Strapi 5: a session belongs to its administrator', () => {
    it("an access token naming another administrator on one's own Duo-passed session is refused", async () => {
      const attacker = await newAdmin();
      const victim = await newAdmin();
      await setStaff('required');
      try {
        const transaction = duoStep(
          await call('/admin/login', { body: { email: attacker.email, password: PASSWORD } }),
          'login',
        );
        const done = await passStep(transaction, attacker);
        const token = String(record(record(done.body, 'after Duo').data, 'data').token);
        const { sessionId } = jwt.decode(token) as { sessionId: string };
        const secret = String(app.strapi.config.get('admin.auth.secret'));
        const forge = (userId: number) =>
          jwt.sign({ userId: String(userId), sessionId, type: 'access' }, secret, { expiresIn: 600 });
        // The control: the same forgery for the session's own administrator is accepted (Strapi checks no more).
        assert.equal((await call('/admin/users/me', { token: forge(attacker.id) })).status, 200);
        assert.equal((await call('/admin/users/me', { token: forge(victim.id) })).status, 401);
      } finally {
        await setStaff('optional');
      }
    });
  });

  describe('Strapi 5: an administrator who needs no Duo', () => {
    it('signs in exactly as without the plugin: answer, cookie and one session row', async () => {
      const admin = await newAdmin(false);
      const answer = await call('/admin/login', { body: { email: admin.email, password: PASSWORD } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(Object.keys(record(record(answer.body, 'login').data, 'login')).sort(), [
        'accessToken',
        'token',
        'user',
      ]);
      assert.ok(refreshCookie(answer) !== undefined);
      assert.equal((await sessionsOf(admin.id)).length, 1);
      const errors = app.logs.filter((entry) => entry.level === 'error');
      assert.deepEqual(errors, [], 'Strapi logged errors');
    });
  });
});
