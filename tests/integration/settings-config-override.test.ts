import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

const IKEY = 'DICONFIGFILEKEY00001';
const SKEY = 'ConfigFileSecretKeyThatMustNotLeak000001';

let sandbox: DuoSandbox;
let app: BootedStrapi;
let token: string;

before(async () => {
  sandbox = await startDuoSandbox({ port: 0, ikey: IKEY, skey: SKEY });
  // The playground's config/plugins.js maps these variables into the plugin's `settings` config.
  app = await bootStrapi({ env: { DUO_IKEY: IKEY, DUO_SKEY: SKEY, DUO_API_HOSTNAME: sandbox.url } });
  token = await registerFirstAdmin(app.api);
});

after(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('settings from config/plugins', () => {
  it('win over stored values and are reported read-only', async () => {
    const response = await app.api('/duo-security/settings', { token });
    const view = (response.body as { data: { settings: Record<string, unknown>; lockedFields: string[] } }).data;
    assert.equal(view.settings.integrationKey, IKEY);
    assert.equal(view.settings.apiHostname, sandbox.url);
    assert.equal(view.settings.secretKeySet, true);
    assert.deepEqual([...view.lockedFields].sort(), ['apiHostname', 'integrationKey', 'secretKey']);
    assert.ok(!JSON.stringify(response.body).includes(SKEY));
  });

  it('cannot be changed through the API', async () => {
    const response = await app.api('/duo-security/settings', {
      token,
      method: 'PUT',
      body: { integrationKey: 'DIOTHERKEY0000000001', secretKey: 'o'.repeat(40) },
    });
    assert.equal(response.status, 400);
    const errors = (response.body as { error: { details: { errors: Array<{ path: string[]; message: string }> } } })
      .error.details.errors;
    assert.deepEqual(errors.map((e) => e.path.join('.')).sort(), ['integrationKey', 'secretKey']);
    assert.match(errors[0]?.message ?? '', /config\/plugins/);
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
  });
});
