import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Strapi } from '@strapi/strapi';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { bootStrapi, duoConfigPath, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

// Fixed, recognisable keys so every response, log line and database row can be searched for them.
const IKEY = 'DIAUTHAPITESTKEY0001';
const SKEY = 'SecretKeyThatMustNeverLeakAnywhere000001';
const ADMIN_APP_IKEY = 'DIADMINAPITESTKEY002';
const ADMIN_APP_SKEY = 'AdminApiSecretKeyThatIsNotForAuth0000002';

let sandbox: DuoSandbox;
let app: BootedStrapi;
let token: string;
const responses: string[] = [];

async function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const response = await app.api(path, { token, ...init });
  responses.push(JSON.stringify(response.body));
  return response as {
    status: number;
    body: { data?: unknown; error?: { name: string; message: string; details?: unknown } };
  };
}

function fieldErrors(body: { error?: { details?: unknown } }): Record<string, string> {
  const details = body.error?.details as { errors?: Array<{ path: string[]; message: string }> } | undefined;
  return Object.fromEntries((details?.errors ?? []).map((e) => [e.path.join('.'), e.message]));
}

interface SettingsView {
  settings: {
    activated: boolean;
    integrationKey: string;
    apiHostname: string;
    secretKeySet: boolean;
    staff: { enabled: boolean };
  };
  lockedFields: string[];
  connection: {
    ok: boolean;
    outcome: string;
    message: string;
    clockOffsetMs?: number;
    clockSkewWarning: boolean;
  } | null;
}

async function createAuthorToken(strapi: Strapi): Promise<string> {
  // The Author role exists in every new Strapi app and has no plugin permissions.
  const roles = (await strapi.db!.query('admin::role').findMany({ where: { code: 'strapi-author' } })) as Array<{
    id: number;
  }>;
  const password = 'Author-Passw0rd';
  const userService = strapi.admin?.services.user as { create(data: Record<string, unknown>): Promise<unknown> };
  await userService.create({
    firstname: 'Arthur',
    lastname: 'Author',
    email: 'author@example.com',
    password,
    isActive: true,
    roles: roles.map((r) => r.id),
  });
  const login = await app.api('/admin/login', { body: { email: 'author@example.com', password } });
  return (login.body as { data: { token: string } }).data.token;
}

before(async () => {
  sandbox = await startDuoSandbox({
    port: 0,
    integrations: [
      { ikey: IKEY, skey: SKEY, type: 'auth' },
      { ikey: ADMIN_APP_IKEY, skey: ADMIN_APP_SKEY, type: 'admin' },
    ],
  });
  app = await bootStrapi();
  token = await registerFirstAdmin(app.api);
});

after(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('settings API', () => {
  it('starts deactivated with defaults and no secret', async () => {
    const { status, body } = await call('/duo-security/settings');
    assert.equal(status, 200);
    const view = body.data as SettingsView;
    assert.equal(view.settings.activated, false);
    assert.equal(view.settings.secretKeySet, false);
    assert.deepEqual(view.lockedFields, []);
  });

  it('rejects unknown fields and bad values with field errors, never a 500', async () => {
    const cases: Array<[unknown, string[]]> = [
      [
        { integrationKey: 'DI123', secretKey: 'short', apiHostname: 'evil.example.com' },
        ['integrationKey', 'secretKey'],
      ],
      [{ debug: true, staff: { enabled: true, superpower: 1 } }, ['debug', 'staff.superpower']],
      [{ activated: 'yes' }, ['activated']],
      [{ staff: { enforcement: 'sometimes', failMode: 'ajar' } }, ['staff.enforcement', 'staff.failMode']],
      [{ secretKey: 12345 }, ['secretKey']],
      [{ apiHostname: 'http://10.1.2.3:8080' }, ['apiHostname']],
      [{ activated: true }, ['integrationKey', 'secretKey', 'apiHostname']],
      [[1, 2, 3], ['']],
    ];
    for (const [body, fields] of cases) {
      const response = await call('/duo-security/settings', { method: 'PUT', body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error?.name, 'ValidationError');
      const errors = fieldErrors(response.body);
      for (const field of fields) assert.ok(field in errors, `${JSON.stringify(body)} → ${JSON.stringify(errors)}`);
    }
    // A body that is not JSON at all is refused by Strapi's body parser, still in the error envelope.
    const notJson = await call('/duo-security/settings', { method: 'PUT', body: 'just a string' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.data, null);
    // Nothing of the refused bodies was stored.
    const view = (await call('/duo-security/settings')).body.data as SettingsView;
    assert.equal(view.settings.integrationKey, '');
    assert.equal(view.settings.staff.enabled, false);
  });

  it('field errors never quote a secret typed into the wrong place', async () => {
    const response = await call('/duo-security/settings', { method: 'PUT', body: { integrationKey: SKEY } });
    assert.equal(response.status, 400);
    assert.ok(!JSON.stringify(response.body).includes(SKEY));
  });

  it('refuses the settings API to an administrator without the permissions (403)', async () => {
    const authorToken = await createAuthorToken(app.strapi);
    for (const [method, path] of [
      ['GET', '/duo-security/settings'],
      ['PUT', '/duo-security/settings'],
      ['POST', '/duo-security/settings/check'],
    ] as const) {
      const response = await app.api(path, { method, token: authorToken, body: method === 'GET' ? undefined : {} });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
    const anonymous = await app.api('/duo-security/settings');
    assert.equal(anonymous.status, 401);
  });

  it('reports "not configured" when tested without keys', async () => {
    const response = await call('/duo-security/settings/check', { method: 'POST', body: {} });
    assert.equal(response.status, 200);
    assert.equal((response.body.data as { outcome: string }).outcome, 'not-configured');
  });

  it('tests the connection against Duo: wrong secret, wrong application type, unreachable host', async () => {
    const wrongSecret = await call('/duo-security/settings/check', {
      method: 'POST',
      body: { integrationKey: IKEY, secretKey: 'x'.repeat(40), apiHostname: sandbox.url },
    });
    const wrong = wrongSecret.body.data as { ok: boolean; outcome: string; message: string };
    assert.equal(wrong.ok, false);
    assert.equal(wrong.outcome, 'invalid-keys');
    assert.match(wrong.message, /rejected the Integration Key or Secret Key/);

    const wrongType = await call('/duo-security/settings/check', {
      method: 'POST',
      body: { integrationKey: ADMIN_APP_IKEY, secretKey: ADMIN_APP_SKEY, apiHostname: sandbox.url },
    });
    const type = wrongType.body.data as { outcome: string; message: string };
    assert.equal(type.outcome, 'wrong-application-type');
    assert.match(type.message, /Auth API/);

    const unreachable = await call('/duo-security/settings/check', {
      method: 'POST',
      body: { integrationKey: IKEY, secretKey: SKEY, apiHostname: 'http://127.0.0.1:9' },
    });
    assert.equal((unreachable.body.data as { outcome: string }).outcome, 'unreachable');
  });

  it('refuses to activate while the connection check fails, and saves nothing', async () => {
    const response = await call('/duo-security/settings', {
      method: 'PUT',
      body: { activated: true, integrationKey: IKEY, secretKey: 'y'.repeat(40), apiHostname: sandbox.url },
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error?.name, 'DuoConnectionError');
    const details = response.body.error?.details as { connection: { outcome: string } };
    assert.equal(details.connection.outcome, 'invalid-keys');
    const view = (await call('/duo-security/settings')).body.data as SettingsView;
    assert.equal(view.settings.activated, false);
    assert.equal(view.settings.integrationKey, '');
  });

  it('activates with working keys and reports OK; GET never returns the secret', async () => {
    const response = await call('/duo-security/settings', {
      method: 'PUT',
      body: {
        activated: true,
        integrationKey: IKEY,
        secretKey: SKEY,
        apiHostname: sandbox.url,
        staff: { enabled: true },
      },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const view = response.body.data as SettingsView;
    assert.equal(view.settings.activated, true);
    assert.equal(view.settings.secretKeySet, true);
    assert.equal(view.settings.staff.enabled, true);
    assert.equal(view.connection?.outcome, 'ok');

    const read = await call('/duo-security/settings');
    assert.equal((read.body.data as SettingsView).settings.secretKeySet, true);
    assert.ok(!JSON.stringify(read.body).includes(SKEY));
  });

  it('keeps the stored secret when the secret field is left blank', async () => {
    const response = await call('/duo-security/settings', {
      method: 'PUT',
      body: { secretKey: '', clients: { enabled: true } },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal((response.body.data as SettingsView).connection?.outcome, 'ok');
  });

  it('does not replace a working configuration with a broken one', async () => {
    const response = await call('/duo-security/settings', { method: 'PUT', body: { secretKey: 'z'.repeat(40) } });
    assert.equal(response.status, 400);
    assert.equal(response.body.error?.name, 'DuoConnectionError');
    const check = await call('/duo-security/settings/check', { method: 'POST', body: {} });
    assert.equal((check.body.data as { outcome: string }).outcome, 'ok', 'the stored secret is still the working one');
  });

  it('measures a +10 minute clock offset and warns with the fix', async () => {
    sandbox.setSkew(10 * 60 * 1000);
    try {
      const response = await call('/duo-security/settings/check', { method: 'POST', body: {} });
      const result = response.body.data as {
        ok: boolean;
        clockOffsetMs: number;
        clockSkewWarning: boolean;
        message: string;
      };
      assert.equal(result.ok, true);
      assert.ok(Math.abs(result.clockOffsetMs - 600_000) < 3000, `offset ${result.clockOffsetMs}`);
      assert.equal(result.clockSkewWarning, true);
      assert.match(result.message, /10 minutes behind/);
      assert.match(result.message, /NTP/);
    } finally {
      sandbox.setSkew(0);
    }
  });

  it('keeps only ciphertext of the Secret Key in the database', async () => {
    const rows = (await app.strapi.db!.connection('strapi_core_store_settings').select('*')) as Array<
      Record<string, unknown>
    >;
    const dump = JSON.stringify(rows);
    assert.ok(dump.includes('duo1:'), 'the settings row holds the sealed Secret Key');
    assert.ok(!dump.includes(SKEY), 'no plaintext Secret Key in any core store row');
  });

  it('says so when the encryption key changed, and recovers when the Secret Key is entered again', async () => {
    const original = app.strapi.config.get(duoConfigPath(app.strapi, 'encryptionKey'));
    app.strapi.config.set(duoConfigPath(app.strapi, 'encryptionKey'), 'a-rotated-encryption-key-0123456789');
    try {
      const check = await call('/duo-security/settings/check', { method: 'POST', body: {} });
      const result = check.body.data as { ok: boolean; message: string };
      assert.equal(result.ok, false);
      assert.match(result.message, /encryption key .*changed/);
      const save = await call('/duo-security/settings', { method: 'PUT', body: { staff: { enabled: true } } });
      assert.equal(save.status, 400);
      assert.match(fieldErrors(save.body).secretKey ?? '', /cannot be decrypted/);
      const reentered = await call('/duo-security/settings', { method: 'PUT', body: { secretKey: SKEY } });
      assert.equal(reentered.status, 200, JSON.stringify(reentered.body));
      assert.equal((reentered.body.data as SettingsView).connection?.outcome, 'ok');
    } finally {
      app.strapi.config.set(duoConfigPath(app.strapi, 'encryptionKey'), original);
    }
  });

  it('never returned the Secret Key in any response, nor logged it', () => {
    assert.ok(responses.length > 10);
    for (const text of responses) assert.ok(!text.includes(SKEY));
    assert.ok(!JSON.stringify(app.logs).includes(SKEY));
  });
});
