import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { bootStrapi, type ApiResponse } from '../helpers/strapi';
import { expectAdminSession, renewAdminSession } from '../helpers/staff';
import { DEFAULT_ADMIN, DEFAULT_CLIENT } from '../helpers/users';

interface Exchange {
  readonly what: string;
  readonly status: number;
  readonly body: unknown;
}

const VOLATILE_KEYS = new Set([
  'createdAt',
  'updatedAt',
  'publishedAt',
  'lastLogin',
  'registrationToken',
  'resetPasswordToken',
  // Strapi 5 gives every row a random documentId.
  'documentId',
]);

// Strapi 5's admin sign-ins answer the token twice (`token`, `accessToken`).
const TOKEN_KEYS = new Set(['token', 'accessToken', 'jwt']);

/** Replaces what legitimately differs between two runs (tokens, timestamps) with placeholders. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        VOLATILE_KEYS.has(key) ? '<volatile>' : TOKEN_KEYS.has(key) ? '<token>' : normalise(child),
      ]),
    );
  }
  return value;
}

async function loginJourneys(env: Record<string, string>): Promise<{ loaded: boolean; exchanges: Exchange[] }> {
  const app = await bootStrapi({ env });
  const loaded = app.strapi.plugins['duo-security'] !== undefined;
  const exchanges: Exchange[] = [];
  const record = (what: string, response: ApiResponse) => {
    exchanges.push({ what, status: response.status, body: normalise(response.body) });
    return response;
  };
  try {
    const registered = record('register-admin', await app.api('/admin/register-admin', { body: DEFAULT_ADMIN }));
    const adminToken = (registered.body as { data: { token: string } }).data.token;
    // Renewing the session is Strapi's own path on each host (renew-token on 4, the refresh cookie on 5).
    const signedIn = expectAdminSession(app, registered, 'register-admin');
    record(
      'admin login, wrong password',
      await app.api('/admin/login', { body: { email: DEFAULT_ADMIN.email, password: 'Wrong-Passw0rd' } }),
    );
    record(
      'admin login',
      await app.api('/admin/login', { body: { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password } }),
    );
    record('admin session renewed', await renewAdminSession(app, signedIn));
    record('admin users/me', await app.api('/admin/users/me', { token: adminToken }));
    record('client register', await app.api('/api/auth/local/register', { body: DEFAULT_CLIENT }));
    record(
      'client login, wrong password',
      await app.api('/api/auth/local', { body: { identifier: DEFAULT_CLIENT.email, password: 'nope' } }),
    );
    const login = record(
      'client login',
      await app.api('/api/auth/local', {
        body: { identifier: DEFAULT_CLIENT.email, password: DEFAULT_CLIENT.password },
      }),
    );
    const jwt = (login.body as { jwt: string }).jwt;
    record('client users/me', await app.api('/api/users/me', { token: jwt }));
    record(
      'client change-password',
      await app.api('/api/auth/change-password', {
        token: jwt,
        body: {
          currentPassword: DEFAULT_CLIENT.password,
          password: 'New-Passw0rd',
          passwordConfirmation: 'New-Passw0rd',
        },
      }),
    );
    record(
      'client login, new password',
      await app.api('/api/auth/local', { body: { identifier: DEFAULT_CLIENT.email, password: 'New-Passw0rd' } }),
    );
  } finally {
    await app.close();
  }
  return { loaded, exchanges };
}

describe('installed but not activated, the plugin is absent', () => {
  it('gives the same login responses as the same app without the plugin', async () => {
    const { loaded, exchanges: withPlugin } = await loginJourneys({ DUO_PLUGIN_ENABLED: 'true' });
    const { loaded: loadedWhenDisabled, exchanges: withoutPlugin } = await loginJourneys({
      DUO_PLUGIN_ENABLED: 'false',
    });
    assert.equal(loaded, true);
    assert.equal(loadedWhenDisabled, false);
    assert.equal(withPlugin.length, 11);
    assert.deepEqual(withPlugin, withoutPlugin);
    // The journeys really logged in: tokens were issued in both runs.
    assert.equal(withPlugin.find((e) => e.what === 'client login')?.status, 200);
    assert.equal(withPlugin.find((e) => e.what === 'admin login')?.status, 200);
  });
});
