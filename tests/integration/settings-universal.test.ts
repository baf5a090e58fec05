import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

/*
 * Issue 15, settings: the Universal Prompt (Web SDK) as the second integration type. A Web SDK client is added to
 * the sandbox through its control API with a known Client Secret, so every answer, log line and database row can
 * be searched for it.
 */

const IKEY = 'DIAUTHAPIUNIVERSAL01';
const SKEY = 'AuthApiSecretKeyBesideTheUniversalOne001';
const CLIENT_ID = 'DIWEBSDKCLIENTID0001';
const CLIENT_SECRET = 'WebSdkClientSecretThatMustNeverLeak00001';
const WRONG_CLIENT_SECRET = 'WrongClientSecretTypedIntoTheSettings001';
const HEALTH_CHECK = '/oauth/v1/health_check';

let sandbox: DuoSandbox;
let app: BootedStrapi;
let token: string;
const responses: string[] = [];

interface View {
  settings: {
    activated: boolean;
    integration: string;
    clientId: string;
    clientSecretSet: boolean;
    clientReturnUrls: string[];
    secretKeySet: boolean;
  };
  connection: { ok: boolean; outcome: string; message: string; clockOffsetMs?: number } | null;
}

interface Answer {
  status: number;
  body: { data?: unknown; error?: { name: string; message: string; details?: unknown } };
}

async function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Answer> {
  const response = await app.api(path, { token, ...init });
  responses.push(JSON.stringify(response.body));
  return response as Answer;
}

const put = (body: unknown) => call('/duo-security/settings', { method: 'PUT', body });
const check = async (body: unknown) =>
  (await call('/duo-security/settings/check', { method: 'POST', body })).body.data as View['connection'] & object;
const view = async () => (await call('/duo-security/settings')).body.data as View;

function fieldErrors(answer: Answer): Record<string, string> {
  const details = answer.body.error?.details as { errors?: Array<{ path: string[]; message: string }> } | undefined;
  return Object.fromEntries((details?.errors ?? []).map((e) => [e.path.join('.'), e.message]));
}

const universal = { integration: 'universal', clientId: CLIENT_ID, apiHostname: '' };

before(async () => {
  sandbox = await startDuoSandbox({ port: 0, ikey: IKEY, skey: SKEY });
  sandbox.addOAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, type: 'websdk' });
  universal.apiHostname = sandbox.url;
  app = await bootStrapi();
  token = await registerFirstAdmin(app.api);
});

after(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('settings: the Universal Prompt (Web SDK)', () => {
  it('Test connection runs Duo’s health check for the selected type and reports the clock offset', async () => {
    assert.equal((await check({ integration: 'universal' })).outcome, 'not-configured');
    sandbox.setSkew(5 * 60 * 1000);
    try {
      const ok = await check({ ...universal, clientSecret: CLIENT_SECRET });
      assert.equal(ok.outcome, 'ok', ok.message);
      assert.match(ok.message, /5 minutes behind/);
      assert.ok(Math.abs((ok.clockOffsetMs ?? 0) - 300_000) < 3000, `offset ${ok.clockOffsetMs}`);
    } finally {
      sandbox.setSkew(0);
    }
    const wrong = await check({ ...universal, clientSecret: WRONG_CLIENT_SECRET });
    assert.equal(wrong.outcome, 'invalid-keys');
    assert.match(wrong.message, /Client ID or Client Secret/);
    sandbox.setFault({ kind: 'wrong-app-type', path: HEALTH_CHECK, times: 1 });
    const wrongType = await check({ ...universal, clientSecret: CLIENT_SECRET });
    assert.equal(wrongType.outcome, 'wrong-application-type');
    assert.match(wrongType.message, /Web SDK/);
    const unreachable = await check({ ...universal, clientSecret: CLIENT_SECRET, apiHostname: 'http://127.0.0.1:9' });
    assert.equal(unreachable.outcome, 'unreachable');
    // The Auth API's keys are not asked about when the Universal Prompt is tested.
    assert.equal((await check({ ...universal, clientSecret: CLIENT_SECRET, secretKey: 'k'.repeat(40) })).ok, true);
  });

  it('validates the client return URLs, by index, never quoting them', async () => {
    const cases: Array<[string[], string]> = [
      [['https://shop.example.com/login#done'], 'clientReturnUrls.0'],
      [['https://shop.example.com/', 'javascript:alert(1)'], 'clientReturnUrls.1'],
      [['data:text/html,x'], 'clientReturnUrls.0'],
      [['/relative'], 'clientReturnUrls.0'],
      [Array.from({ length: 11 }, (_, i) => `https://shop${i}.example.com/`), 'clientReturnUrls'],
    ];
    for (const [urls, path] of cases) {
      const answer = await put({ clientReturnUrls: urls });
      assert.equal(answer.status, 400, JSON.stringify(urls));
      assert.ok(path in fieldErrors(answer), `${JSON.stringify(urls)} → ${JSON.stringify(fieldErrors(answer))}`);
      assert.ok(!JSON.stringify(answer.body).includes('shop.example.com'));
    }
    const accepted = await put({
      clientReturnUrls: ['https://shop.example.com/login', 'shopapp://duo', 'http://localhost:3000/'],
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.deepEqual((await view()).settings.clientReturnUrls, [
      'https://shop.example.com/login',
      'shopapp://duo',
      'http://localhost:3000/',
    ]);
  });

  it('activation needs the selected type’s credentials, and a return URL when clients use Duo', async () => {
    const missing = await put({ activated: true, integration: 'universal', apiHostname: sandbox.url });
    assert.equal(missing.status, 400);
    assert.deepEqual(Object.keys(fieldErrors(missing)).sort(), ['clientId', 'clientSecret']);
    const noUrl = await put({
      ...universal,
      activated: true,
      clientSecret: CLIENT_SECRET,
      clientReturnUrls: [],
      clients: { enabled: true },
    });
    assert.equal(noUrl.status, 400);
    assert.match(fieldErrors(noUrl).clientReturnUrls ?? '', /at least one client return URL/);
    assert.equal((await view()).settings.activated, false, 'nothing was saved');
  });

  it('refuses to activate with a wrong Client Secret or a failing health check, and saves nothing', async () => {
    const wrong = await put({ ...universal, activated: true, clientSecret: WRONG_CLIENT_SECRET });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error?.name, 'DuoConnectionError');
    assert.equal((wrong.body.error?.details as { connection: { outcome: string } }).connection.outcome, 'invalid-keys');

    sandbox.setFault({
      kind: 'reply',
      path: HEALTH_CHECK,
      status: 400,
      body: { stat: 'FAIL', code: 40002, message: 'invalid_client', message_detail: 'Invalid client' },
      times: 1,
    });
    const failing = await put({ ...universal, activated: true, clientSecret: CLIENT_SECRET });
    assert.equal(failing.status, 400);
    assert.equal(failing.body.error?.name, 'DuoConnectionError');
    const settings = (await view()).settings;
    assert.equal(settings.activated, false);
    assert.equal(settings.integration, 'auth-api');
    assert.equal(settings.clientSecretSet, false);
  });

  it('switching type while active is refused unless the new type passes its check', async () => {
    const auth = await put({ activated: true, integrationKey: IKEY, secretKey: SKEY, apiHostname: sandbox.url });
    assert.equal(auth.status, 200, JSON.stringify(auth.body));

    const wrong = await put({ ...universal, clientSecret: WRONG_CLIENT_SECRET });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error?.name, 'DuoConnectionError');
    sandbox.setFault({ kind: 'status', status: 503, path: HEALTH_CHECK });
    try {
      const down = await put({ ...universal, clientSecret: CLIENT_SECRET });
      assert.equal(down.status, 400);
      assert.equal((down.body.error?.details as { connection: { outcome: string } }).connection.outcome, 'unreachable');
    } finally {
      sandbox.clearFaults();
    }
    let settings = (await view()).settings;
    assert.equal(settings.integration, 'auth-api', 'still the Auth API');
    assert.equal(settings.activated, true);
    assert.equal(settings.clientSecretSet, false, 'a refused Client Secret is not kept');

    const switched = await put({ ...universal, clientSecret: CLIENT_SECRET });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    const answer = switched.body.data as View;
    assert.equal(answer.connection?.outcome, 'ok');
    settings = answer.settings;
    assert.equal(settings.integration, 'universal');
    assert.equal(settings.clientId, CLIENT_ID);
    assert.equal(settings.clientSecretSet, true);
    assert.equal(settings.activated, true);
  });

  it('keeps the stored Client Secret when left blank, and never replaces it with a wrong one', async () => {
    const blank = await put({ clientSecret: '', staff: { enabled: true } });
    assert.equal(blank.status, 200, JSON.stringify(blank.body));
    assert.equal((blank.body.data as View).connection?.outcome, 'ok');
    const wrong = await put({ clientSecret: WRONG_CLIENT_SECRET });
    assert.equal(wrong.status, 400);
    assert.equal((await check({})).outcome, 'ok', 'the stored secret is still the working one');
  });

  it('refuses a change of type to an administrator who may only read the settings', async () => {
    const reader = await createReader();
    const change = await app.api('/duo-security/settings', {
      method: 'PUT',
      token: reader,
      body: { integration: 'auth-api' },
    });
    assert.equal(change.status, 403);
    const test = await app.api('/duo-security/settings/check', {
      method: 'POST',
      token: reader,
      body: { integration: 'universal' },
    });
    assert.equal(test.status, 403);
    const read = await app.api('/duo-security/settings', { token: reader });
    assert.equal(read.status, 200);
    assert.equal((read.body as { data: View }).data.settings.integration, 'universal');
  });

  it('keeps only ciphertext of the Client Secret, and never returned or logged it', async () => {
    const rows = (await app.strapi.db!.connection('strapi_core_store_settings').select('*')) as unknown[];
    const dump = JSON.stringify(rows);
    assert.match(dump, /clientSecretCiphertext\\?":\\?"duo1:/);
    assert.ok(!dump.includes(CLIENT_SECRET));
    assert.ok(!dump.includes(WRONG_CLIENT_SECRET));
    assert.ok(responses.length > 15);
    for (const text of responses) {
      assert.ok(!text.includes(CLIENT_SECRET), 'an answer holds the Client Secret');
      assert.ok(!text.includes(WRONG_CLIENT_SECRET), 'an answer holds the wrong Client Secret');
    }
    const logs = JSON.stringify(app.logs);
    assert.ok(!logs.includes(CLIENT_SECRET) && !logs.includes(WRONG_CLIENT_SECRET));
  });
});

/** An administrator whose role holds only `settings.read`, signed in; returns their admin token. */
async function createReader(): Promise<string> {
  const role = await app.api('/admin/roles', { token, body: { name: 'Duo Reader', description: 'read only' } });
  assert.equal(role.status, 201, JSON.stringify(role.body));
  const roleId = (role.body as { data: { id: number } }).data.id;
  const action = 'plugin::duo-security.settings.read';
  const permissions = await app.api(`/admin/roles/${roleId}/permissions`, {
    method: 'PUT',
    token,
    body: { permissions: [{ action, subject: null, properties: {}, conditions: [] }] },
  });
  assert.equal(permissions.status, 200, JSON.stringify(permissions.body));
  const created = await app.api('/admin/users', {
    token,
    body: { firstname: 'Rita', lastname: 'Reader', email: 'reader@example.com', roles: [roleId] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const registrationToken = (created.body as { data: { registrationToken: string } }).data.registrationToken;
  const password = 'Reader-Passw0rd';
  const registered = await app.api('/admin/register', {
    body: { registrationToken, userInfo: { firstname: 'Rita', lastname: 'Reader', password } },
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  const login = await app.api('/admin/login', { body: { email: 'reader@example.com', password } });
  return (login.body as { data: { token: string } }).data.token;
}
