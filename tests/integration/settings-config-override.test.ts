import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

const IKEY = 'DICONFIGFILEKEY00001';
const SKEY = 'ConfigFileSecretKeyThatMustNotLeak000001';
/** Written in config/plugins.js's `settings`; DUO_IKEY (named in its `settingsEnv`) wins over it while set. */
const CONFIG_FILE_IKEY = 'DICONFIGFILEKEY00002';
/** The Universal Prompt's values from DUO_CLIENT_ID and DUO_CLIENT_SECRET (named in `settingsEnv`). */
const CLIENT_ID = 'DICONFIGCLIENTID0001';
const CLIENT_SECRET = 'ConfigClientSecretThatMustNotLeak0000001';
const RETURN_URLS = ['https://shop.example.com/login'];

type LockSource = { source: 'config' } | { source: 'env'; variable: string };

interface SettingsView {
  settings: Record<string, unknown>;
  lockedFields: string[];
  lockedSources: Record<string, LockSource>;
}

interface FieldErrors {
  error: { details: { errors: Array<{ path: string[]; message: string }> } };
}

let sandbox: DuoSandbox;
let app: BootedStrapi;
let token: string;

before(async () => {
  sandbox = await startDuoSandbox({ port: 0, ikey: IKEY, skey: SKEY });
  // The playgrounds' config/plugins.js name DUO_IKEY, DUO_SKEY and DUO_API_HOSTNAME in `settingsEnv`, and put
  // DUO_CONFIG_SETTINGS (JSON) in `settings`, where the plugin sees it as written in the file.
  app = await bootStrapi({
    env: {
      DUO_IKEY: IKEY,
      DUO_SKEY: SKEY,
      DUO_API_HOSTNAME: sandbox.url,
      DUO_CLIENT_ID: CLIENT_ID,
      DUO_CLIENT_SECRET: CLIENT_SECRET,
      DUO_CONFIG_SETTINGS: JSON.stringify({
        integrationKey: CONFIG_FILE_IKEY,
        integration: 'auth-api',
        clientReturnUrls: RETURN_URLS,
        staff: { failMode: 'closed' },
      }),
    },
  });
  token = await registerFirstAdmin(app.api);
});

after(async () => {
  await app?.close();
  await sandbox?.close();
});

async function settingsView(): Promise<SettingsView> {
  const response = await app.api('/duo-security/settings', { token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.ok(!JSON.stringify(response.body).includes(SKEY));
  assert.ok(!JSON.stringify(response.body).includes(CLIENT_SECRET));
  return (response.body as { data: SettingsView }).data;
}

describe('settings from config/plugins', () => {
  it('win over stored values and are reported read-only', async () => {
    const view = await settingsView();
    assert.equal(view.settings.integrationKey, IKEY);
    assert.equal(view.settings.apiHostname, sandbox.url);
    assert.equal(view.settings.secretKeySet, true);
    assert.equal(view.settings.clientId, CLIENT_ID);
    assert.equal(view.settings.clientSecretSet, true);
    assert.deepEqual(view.settings.clientReturnUrls, RETURN_URLS);
    assert.deepEqual([...view.lockedFields].sort(), [
      'apiHostname',
      'clientId',
      'clientReturnUrls',
      'clientSecret',
      'integration',
      'integrationKey',
      'secretKey',
      'staff.failMode',
    ]);
  });

  it('say where each value comes from: the variable that set it, or the config file', async () => {
    const view = await settingsView();
    assert.deepEqual(view.lockedSources, {
      integrationKey: { source: 'env', variable: 'DUO_IKEY' },
      secretKey: { source: 'env', variable: 'DUO_SKEY' },
      apiHostname: { source: 'env', variable: 'DUO_API_HOSTNAME' },
      clientId: { source: 'env', variable: 'DUO_CLIENT_ID' },
      clientSecret: { source: 'env', variable: 'DUO_CLIENT_SECRET' },
      integration: { source: 'config' },
      clientReturnUrls: { source: 'config' },
      'staff.failMode': { source: 'config' },
    });
    assert.deepEqual(Object.keys(view.lockedSources).sort(), [...view.lockedFields].sort());
  });

  it('name the config file once the variable is unset, and its value wins then', async () => {
    const saved = process.env.DUO_IKEY;
    delete process.env.DUO_IKEY;
    try {
      const view = await settingsView();
      assert.equal(view.settings.integrationKey, CONFIG_FILE_IKEY);
      assert.deepEqual(view.lockedSources.integrationKey, { source: 'config' });
    } finally {
      process.env.DUO_IKEY = saved;
    }
    assert.deepEqual((await settingsView()).lockedSources.integrationKey, { source: 'env', variable: 'DUO_IKEY' });
  });

  it('cannot be changed through the API, whose errors say where to change them', async () => {
    const response = await app.api('/duo-security/settings', {
      token,
      method: 'PUT',
      body: { integrationKey: 'DIOTHERKEY0000000001', secretKey: 'o'.repeat(40), staff: { failMode: 'open' } },
    });
    assert.equal(response.status, 400);
    const errors = (response.body as FieldErrors).error.details.errors;
    const byPath = new Map(errors.map((e) => [e.path.join('.'), e.message]));
    assert.deepEqual([...byPath.keys()].sort(), ['integrationKey', 'secretKey', 'staff.failMode']);
    assert.match(byPath.get('integrationKey') ?? '', /environment variable DUO_IKEY .*config\/plugins/);
    assert.match(byPath.get('secretKey') ?? '', /environment variable DUO_SKEY/);
    assert.match(byPath.get('staff.failMode') ?? '', /set in config\/plugins\.js/);
  });

  it('lock the integration type and the Universal Prompt values: a change is refused, saying where to make it', async () => {
    const response = await app.api('/duo-security/settings', {
      token,
      method: 'PUT',
      body: {
        integration: 'universal',
        clientId: 'DIOTHERCLIENTID00001',
        clientSecret: 'c'.repeat(40),
        clientReturnUrls: ['https://other.example.com/'],
      },
    });
    assert.equal(response.status, 400);
    const errors = (response.body as FieldErrors).error.details.errors;
    const byPath = new Map(errors.map((e) => [e.path.join('.'), e.message]));
    assert.deepEqual([...byPath.keys()].sort(), ['clientId', 'clientReturnUrls', 'clientSecret', 'integration']);
    assert.match(byPath.get('integration') ?? '', /set in config\/plugins\.js/);
    assert.match(byPath.get('clientSecret') ?? '', /environment variable DUO_CLIENT_SECRET/);
    assert.ok(!JSON.stringify(response.body).includes(CLIENT_SECRET));
    // The same values as the locked ones are no change, and pass.
    const same = await app.api('/duo-security/settings', {
      token,
      method: 'PUT',
      body: { integration: 'auth-api', clientId: CLIENT_ID, clientReturnUrls: RETURN_URLS },
    });
    assert.equal(same.status, 200, JSON.stringify(same.body));
  });

  it('are what activation and the connection test use', async () => {
    const activate = await app.api('/duo-security/settings', { token, method: 'PUT', body: { activated: true } });
    assert.equal(activate.status, 200, JSON.stringify(activate.body));
    const view = (activate.body as { data: { settings: { activated: boolean }; connection: { outcome: string } } })
      .data;
    assert.equal(view.settings.activated, true);
    assert.equal(view.connection.outcome, 'ok');
  });

  it('are never written to the database', async () => {
    const rows = (await app.strapi.db!.connection('strapi_core_store_settings').select('*')) as unknown[];
    assert.ok(!JSON.stringify(rows).includes(SKEY));
    assert.ok(!JSON.stringify(rows).includes(CLIENT_SECRET));
    assert.ok(
      !JSON.stringify(rows).includes('clientSecretCiphertext'),
      'a Client Secret from the environment was stored',
    );
  });
});
