/**
 * Both playgrounds boot in-process through the same harness and answer the stock login flows, without the plugin.
 * What each Strapi major answers is what the plugin's host adapters must keep: v4 `{data: {token, user}}`; v5 adds
 * `accessToken`, the httpOnly `strapi_admin_refresh` cookie and one `admin::session` row per login, and, with
 * users-permissions in `refresh` mode, `{jwt, refreshToken, user}` plus a `users-permissions` session row.
 *
 * The suite runs once per host (scripts/run-suite.js sets `STRAPI_HOST`); each run checks its own major.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bootStrapi, defaultHost, type ApiResponse, type BootedStrapi, type StrapiV5 } from '../helpers/strapi';

const HOST = defaultHost();
const ADMIN = { firstname: 'Ada', lastname: 'Admin', email: 'admin@example.com', password: 'Admin-Passw0rd' };
const ADMIN_LOGIN = { email: ADMIN.email, password: ADMIN.password };
const PLUGIN_OFF = { DUO_PLUGIN_ENABLED: 'false' };

type Api = BootedStrapi['api'];

function record(value: unknown): Record<string, unknown> {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `not an object: ${String(value)}`);
  return value as Record<string, unknown>;
}

/** The body's `data` (admin API) after checking the status. */
function dataOf(response: ApiResponse, status = 200): Record<string, unknown> {
  assert.equal(response.status, status, JSON.stringify(response.body));
  return record(record(response.body).data);
}

function assertNonEmptyString(value: unknown, what: string): asserts value is string {
  assert.equal(typeof value, 'string', `${what} is not a string`);
  assert.notEqual(value, '', `${what} is empty`);
}

function cookieNamed(response: ApiResponse, name: string): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
}

let clientCount = 0;
async function registerAndLogInClient(api: Api): Promise<{ registered: ApiResponse; loggedIn: ApiResponse }> {
  clientCount += 1;
  const client = {
    username: `client${clientCount}`,
    email: `client${clientCount}@example.com`,
    password: 'Client-Passw0rd',
  };
  const registered = await api('/api/auth/local/register', { body: client });
  const loggedIn = await api('/api/auth/local', { body: { identifier: client.email, password: client.password } });
  return { registered, loggedIn };
}

function assertLegacyClientAnswer(response: ApiResponse): void {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const body = record(response.body);
  assert.deepEqual(Object.keys(body).sort(), ['jwt', 'user']);
  assertNonEmptyString(body.jwt, 'jwt');
  assert.equal(typeof record(body.user).id, 'number');
}

if (HOST === 'v4')
  describe('host v4: playground/ (Strapi 4.26)', () => {
    let app: BootedStrapi;

    before(async () => {
      app = await bootStrapi({ host: 'v4', env: PLUGIN_OFF });
    });
    after(async () => {
      await app?.close();
    });

    it('boots Strapi 4 without the plugin', () => {
      assert.equal(app.host, 'v4');
      assert.match(app.strapi.config.get('info.strapi', '') as string, /^4\./);
      assert.equal(app.strapi.plugin('duo-security'), undefined);
    });

    it('answers register-admin and login with {data: {token, user}}', async () => {
      const registered = dataOf(await app.api('/admin/register-admin', { body: ADMIN }));
      assert.deepEqual(Object.keys(registered).sort(), ['token', 'user']);
      const loggedIn = dataOf(await app.api('/admin/login', { body: ADMIN_LOGIN }));
      assert.deepEqual(Object.keys(loggedIn).sort(), ['token', 'user']);
      assertNonEmptyString(loggedIn.token, 'token');
      assert.equal(record(loggedIn.user).email, ADMIN.email);
    });

    it('answers users-permissions register and login with {jwt, user}', async () => {
      const { registered, loggedIn } = await registerAndLogInClient(app.api);
      assertLegacyClientAnswer(registered);
      assertLegacyClientAnswer(loggedIn);
    });
  });

if (HOST === 'v5')
  describe('host v5: playground-v5/ (Strapi 5.54)', () => {
    let app: BootedStrapi<StrapiV5>;
    const sessions = (origin: string): Promise<number> =>
      app.strapi.db.query('admin::session').count({ where: { origin } });

    before(async () => {
      app = await bootStrapi({ host: 'v5', env: PLUGIN_OFF });
    });
    after(async () => {
      await app?.close();
    });

    it('boots Strapi 5.54.0 from playground-v5/node_modules without the plugin', () => {
      assert.equal(app.host, 'v5');
      assert.equal(app.strapi.config.get('info.strapi'), '5.54.0');
      assert.equal(typeof app.strapi.sessionManager, 'function');
      assert.equal(app.strapi.plugin('duo-security'), undefined);
    });

    it('answers register-admin and each login with {data: {token, accessToken, user}}, a refresh cookie and a session row', async () => {
      const registered = await app.api('/admin/register-admin', { body: ADMIN });
      assert.deepEqual(Object.keys(dataOf(registered)).sort(), ['accessToken', 'token', 'user']);
      assert.equal(await sessions('admin'), 1);

      for (const expectedRows of [2, 3]) {
        const response = await app.api('/admin/login', { body: ADMIN_LOGIN });
        const data = dataOf(response);
        assert.deepEqual(Object.keys(data).sort(), ['accessToken', 'token', 'user']);
        assertNonEmptyString(data.accessToken, 'accessToken');
        assert.equal(data.token, data.accessToken);
        const cookie = cookieNamed(response, 'strapi_admin_refresh');
        assert.ok(cookie, `no strapi_admin_refresh cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
        assert.match(cookie, /;\s*path=\/admin(;|$)/i);
        assert.match(cookie, /;\s*httponly/i);
        assert.equal(await sessions('admin'), expectedRows);
      }
    });

    it('answers users-permissions register and login with {jwt, user} in legacy-support mode, without session rows', async () => {
      assert.equal(app.strapi.config.get('plugin::users-permissions.jwtManagement'), 'legacy-support');
      const { registered, loggedIn } = await registerAndLogInClient(app.api);
      assertLegacyClientAnswer(registered);
      assertLegacyClientAnswer(loggedIn);
      assert.equal(await sessions('users-permissions'), 0);
    });

    // users-permissions reads jwtManagement per request and defines its session origin at bootstrap in both modes,
    // so the running app switches to refresh mode (UP_JWT_MANAGEMENT=refresh does the same at boot).
    it('answers users-permissions register and login with {jwt, refreshToken, user} in refresh mode, one session row each', async () => {
      const { config } = app.strapi;
      config.set('plugin::users-permissions.jwtManagement', 'refresh');
      try {
        const { registered, loggedIn } = await registerAndLogInClient(app.api);
        for (const response of [registered, loggedIn]) {
          assert.equal(response.status, 200, JSON.stringify(response.body));
          const body = record(response.body);
          assert.deepEqual(Object.keys(body).sort(), ['jwt', 'refreshToken', 'user']);
          assertNonEmptyString(body.refreshToken, 'refreshToken');
        }
        assert.equal(await sessions('users-permissions'), 2);
        const me = await app.api('/api/users/me', { token: String(record(loggedIn.body).jwt) });
        assert.equal(me.status, 200, JSON.stringify(me.body));
      } finally {
        config.set('plugin::users-permissions.jwtManagement', 'legacy-support');
      }
    });
  });
