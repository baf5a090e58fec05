import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { jwtPayload } from '../helpers/client-answers';
import { recordEmails } from '../helpers/clients-harness';
import { ADMIN_REFRESH_COOKIE, expectAdminSession, renewAdminSession, roleId } from '../helpers/staff';
import { bootStrapi, defaultHost, type ApiResponse } from '../helpers/strapi';
import { DEFAULT_ADMIN } from '../helpers/users';

/**
 * Issue 5: administrators who need no Duo (Duo active and enabled for staff, enforcement optional, not turned on by
 * them) get exactly the answers of the same app without the plugin, on every admin token path.
 */

interface Exchange {
  readonly what: string;
  readonly status: number;
  readonly body: unknown;
}

// documentId, publishedAt: Strapi 5 gives every row a random documentId (and a publication time).
const VOLATILE_KEYS = new Set([
  'createdAt',
  'updatedAt',
  'publishedAt',
  'lastLogin',
  'registrationToken',
  'resetPasswordToken',
  'documentId',
]);
// Strapi 5's admin sign-ins answer the token twice (`token`, `accessToken`).
const TOKEN_KEYS = new Set(['token', 'accessToken']);

/** Tokens and timestamps differ between runs: keep what matters (a token, and the claims it carries). */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        VOLATILE_KEYS.has(key)
          ? '<volatile>'
          : TOKEN_KEYS.has(key) && typeof child === 'string'
            ? `<token ${Object.keys(jwtPayload(child)).sort().join(',')}>`
            : normalise(child),
      ]),
    );
  }
  return value;
}

let sandbox: DuoSandbox;
before(async () => {
  sandbox = await startDuoSandbox({ port: 0 });
});
after(async () => {
  await sandbox?.close();
});

async function adminJourneys(withPlugin: boolean): Promise<Exchange[]> {
  const app = await bootStrapi({ env: { DUO_PLUGIN_ENABLED: String(withPlugin) } });
  assert.equal(app.strapi.plugins['duo-security'] !== undefined, withPlugin);
  const exchanges: Exchange[] = [];
  const record = (what: string, response: ApiResponse) => {
    exchanges.push({ what, status: response.status, body: normalise(response.body) });
    return response;
  };
  const tokenOf = (response: ApiResponse) => (response.body as { data: { token: string } }).data.token;
  try {
    recordEmails(app.strapi);
    if (withPlugin) {
      const settings = app.strapi.plugin('duo-security').service('settings') as {
        update(update: Record<string, unknown>): Promise<unknown>;
      };
      await settings.update({
        activated: true,
        integrationKey: sandbox.ikey,
        secretKey: sandbox.skey,
        apiHostname: sandbox.url,
        staff: { enabled: true, enforcement: 'optional' },
        clients: { enabled: true },
      });
    }
    const first = record('register-admin', await app.api('/admin/register-admin', { body: DEFAULT_ADMIN }));
    const adminToken = tokenOf(first);
    const credentials = { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password };
    record('login, wrong password', await app.api('/admin/login', { body: { ...credentials, password: 'Wrong-1a' } }));
    record(
      'login, unknown email',
      await app.api('/admin/login', { body: { ...credentials, email: 'no@example.com' } }),
    );
    record('login, bad body', await app.api('/admin/login', { body: { email: 3 } }));
    const login = record('login', await app.api('/admin/login', { body: credentials }));
    record('users/me', await app.api('/admin/users/me', { token: tokenOf(login) }));
    // Strapi's own session renewal on each major: renew-token (4), the refresh cookie at /admin/access-token (5).
    if (app.host === 'v4') {
      record('renew-token', await app.api('/admin/renew-token', { body: { token: adminToken } }));
      record('renew-token, garbage', await app.api('/admin/renew-token', { body: { token: 'not-a-token' } }));
      record('renew-token, no token', await app.api('/admin/renew-token', { body: {} }));
      record('renew-token, extra field', await app.api('/admin/renew-token', { body: { token: adminToken, x: 1 } }));
    } else {
      const session = expectAdminSession(app, login, 'login');
      record('access-token', await renewAdminSession(app, session));
      record('access-token, cookie spent', await renewAdminSession(app, session));
      record(
        'access-token, garbage',
        await renewAdminSession(app, { token: '', refreshCookie: `${ADMIN_REFRESH_COOKIE}=not-a-token` }),
      );
      record('access-token, no cookie', await app.api('/admin/access-token', { method: 'POST' }));
    }

    const invited = record(
      'invite',
      await app.api('/admin/users', {
        token: adminToken,
        body: {
          firstname: 'Ivy',
          lastname: 'Invited',
          email: 'ivy@example.com',
          roles: [await roleId(app.strapi, 'strapi-editor')],
        },
      }),
    );
    const registrationToken = (invited.body as { data: { registrationToken: string } }).data.registrationToken;
    record(
      'register (invite acceptance)',
      await app.api('/admin/register', {
        body: { registrationToken, userInfo: { firstname: 'Ivy', lastname: 'Invited', password: 'Ivy-Passw0rd' } },
      }),
    );
    record(
      'login, invited',
      await app.api('/admin/login', { body: { email: 'ivy@example.com', password: 'Ivy-Passw0rd' } }),
    );

    record('forgot-password', await app.api('/admin/forgot-password', { body: { email: DEFAULT_ADMIN.email } }));
    let code: unknown;
    for (let i = 0; i < 100 && typeof code !== 'string'; i += 1) {
      const row = (await app.strapi.db!.query('admin::user').findOne({ where: { email: DEFAULT_ADMIN.email } })) as {
        resetPasswordToken?: unknown;
      };
      code = row.resetPasswordToken;
      if (typeof code !== 'string') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    record(
      'reset-password, wrong code',
      await app.api('/admin/reset-password', { body: { resetPasswordToken: 'nope', password: 'Reset-Passw0rd' } }),
    );
    record(
      'reset-password',
      await app.api('/admin/reset-password', { body: { resetPasswordToken: code, password: 'Reset-Passw0rd' } }),
    );
    record(
      'login, new password',
      await app.api('/admin/login', { body: { ...credentials, password: 'Reset-Passw0rd' } }),
    );
    record('logout', await app.api('/admin/logout', { method: 'POST', token: tokenOf(login) }));
  } finally {
    await app.close();
  }
  return exchanges;
}

/** A plain admin token's claims: `id` on Strapi 4 (a Duo one adds `duo`); a Strapi 5 access token's fixed payload. */
const PLAIN_ADMIN_TOKEN = {
  v4: /"token":"<token exp,iat,id>"/,
  v5: /"token":"<token exp,iat,sessionId,type,userId>"/,
} as const;

describe('administrators who need no Duo', () => {
  it('get the same answers on every admin token path as without the plugin', async () => {
    const withPlugin = await adminJourneys(true);
    const withoutPlugin = await adminJourneys(false);
    assert.equal(withPlugin.length, 18);
    assert.deepEqual(withPlugin, withoutPlugin);
    // The journeys really signed in: tokens were issued, without a Duo claim.
    for (const what of ['register-admin', 'login', 'register (invite acceptance)', 'reset-password']) {
      const exchange = withPlugin.find((e) => e.what === what);
      assert.equal(exchange?.status, 200, what);
      assert.match(JSON.stringify(exchange?.body), PLAIN_ADMIN_TOKEN[defaultHost()], what);
    }
  });
});
