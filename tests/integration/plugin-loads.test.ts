import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { severeLogsMatching } from '../helpers/logs';
import { PLAYGROUND_V5_DIR, REPO_ROOT, bootStrapi, defaultHost, type BootedStrapi } from '../helpers/strapi';
import { DEFAULT_CLIENT, adminLogin, clientLogin, registerClient, registerFirstAdmin } from '../helpers/users';

// The package each host loads: the repository's (1.x line) on Strapi 4; on Strapi 5 the 2.x package the build
// copies into playground-v5 (scripts/link-playground-v5.js, scripts/lib/package-variants.js).
const packageRoot = defaultHost() === 'v5' ? join(PLAYGROUND_V5_DIR, 'src', 'plugins', 'duo-security') : REPO_ROOT;
const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };

describe('the plugin inside a real Strapi app', () => {
  let app: BootedStrapi;

  before(async () => {
    app = await bootStrapi();
  });

  after(async () => {
    await app?.close();
  });

  it('is loaded under the id duo-security', () => {
    const plugin = app.strapi.plugin('duo-security');
    assert.ok(plugin, 'strapi.plugin("duo-security") is undefined');
    assert.equal(typeof plugin.controller('info').get, 'function');
  });

  it('boots without warnings or errors that mention the plugin', () => {
    assert.deepEqual(severeLogsMatching(app.logs, /duo/i), []);
  });

  it('refuses GET /duo-security/info without an admin token', async () => {
    const response = await app.api('/duo-security/info');
    assert.equal(response.status, 401);
  });

  it('refuses GET /duo-security/info with a forged admin token', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MX0.bm90LWEtcmVhbC1zaWduYXR1cmU';
    const response = await app.api('/duo-security/info', { token: forged });
    assert.equal(response.status, 401);
  });

  it('registers the first admin, logs in and reads GET /duo-security/info', async () => {
    const registrationToken = await registerFirstAdmin(app.api);
    assert.match(registrationToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const token = await adminLogin(app.api);
    const response = await app.api('/duo-security/info', { token });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { data: { plugin: 'duo-security', version } });
  });

  it('lets a client register and log in through users-permissions', async () => {
    const registered = await registerClient(app.api);
    assert.equal(registered.user.email, DEFAULT_CLIENT.email);

    const session = await clientLogin(app.api);
    assert.match(session.jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(session.user.username, DEFAULT_CLIENT.username);
    assert.equal(session.user.id, registered.user.id);
    assert.equal('password' in session.user, false, 'the login response leaks the password hash');
  });

  it('rejects a client login with a wrong password', async () => {
    const response = await app.api('/api/auth/local', {
      body: { identifier: DEFAULT_CLIENT.email, password: 'Wrong-Passw0rd' },
    });
    assert.equal(response.status, 400);
  });
});
