/**
 * What the README promises about `config/plugins.js` and production, on a real Strapi (run once per host):
 * - a mistyped key in the plugin's configuration stops Strapi at start, naming the key;
 * - with NODE_ENV=production only Duo's own hostnames are accepted: the settings API refuses others (and a Duo
 *   sandbox that works outside production), and a non-Duo host set in config/plugins.js is never contacted: logins
 *   are refused even under fail mode `open` (a configuration to fix, not an outage), and the step page's
 *   Content-Security-Policy does not name it.
 *
 * This process boots one Strapi in production; the others run as child processes (one Strapi per process).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { assertNoToken, errorOf } from '../helpers/client-answers';
import { createAdmin, mintAdminSession } from '../helpers/staff';
import { bootStrapi, type ApiResponse, type BootedStrapi } from '../helpers/strapi';
import { startStrapiProcess, type StrapiProcess } from '../helpers/strapi-process';
import { DEFAULT_ADMIN, DEFAULT_CLIENT } from '../helpers/users';

let sandbox: DuoSandbox;
before(async () => {
  sandbox = await startDuoSandbox({ port: 0 });
});
after(async () => {
  await sandbox?.close();
});

/** Starts a playground Strapi in a child process; answers it, or the error that kept it from starting. */
async function tryStart(name: string, env: Record<string, string>): Promise<StrapiProcess | Error> {
  try {
    return await startStrapiProcess({ name, env });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

describe('a mistyped key in config/plugins.js', () => {
  for (const [what, env, key] of [
    ['a top-level key (setings)', { DUO_CONFIG_EXTRA: JSON.stringify({ setings: { activated: true } }) }, 'setings'],
    [
      'a key inside settings (staff.enforcment)',
      { DUO_CONFIG_SETTINGS: JSON.stringify({ staff: { enabled: true, enforcment: 'required' } }) },
      'enforcment',
    ],
  ] as const) {
    it(`${what} stops Strapi at start, naming the key`, async () => {
      const started = await tryStart('typo', env);
      if (!(started instanceof Error)) {
        await started.stop();
        assert.fail(`Strapi started with ${JSON.stringify(env)}`);
      }
      assert.match(started.message, /duo-security: invalid plugin configuration in config\/plugins/);
      assert.match(started.message, new RegExp(`\\b${key}\\b`));
    });
  }

  it('spelled right, the same settings start Strapi', async () => {
    const started = await tryStart('spelled-right', {
      DUO_CONFIG_SETTINGS: JSON.stringify({ staff: { enabled: true, enforcement: 'required' } }),
    });
    if (started instanceof Error) throw started;
    await started.stop();
  });
});

/** Hosts the production hostname policy must refuse: not Duo's, or Duo's name inside another, or another port. */
const NOT_DUO = (port: number): string[] => [
  `127.0.0.1:${port}`,
  `https://localhost:${port}`,
  'duo.example.com',
  'api-12345678.duosecurity.com.evil.example',
  'api-12345678.duosecurity.example',
  'api-12345678.duosecurity.com:8443',
];

describe('production (NODE_ENV=production): the settings API', () => {
  let app: BootedStrapi;
  let token: string;
  before(async () => {
    app = await bootStrapi({ env: { NODE_ENV: 'production' } });
    assert.equal(app.strapi.config.get('environment'), 'production');
    const admin = await createAdmin({ strapi: app.strapi, sandbox }, { duo: false });
    token = await mintAdminSession(app, admin.id);
  });
  after(async () => {
    await app?.close();
  });

  const save = (body: Record<string, unknown>): Promise<ApiResponse> =>
    app.api('/duo-security/settings', { token, method: 'PUT', body });

  it("refuses every API Hostname that is not Duo's own, the sandbox's included, and never contacts it", async () => {
    sandbox.resetStats();
    for (const apiHostname of [sandbox.url, ...NOT_DUO(sandbox.port)]) {
      for (const body of [
        { apiHostname },
        { activated: true, integrationKey: sandbox.ikey, secretKey: sandbox.skey, apiHostname },
      ]) {
        const response = await save(body);
        const error = errorOf(response, 400);
        assert.equal(error.name, 'ValidationError', `${apiHostname}: ${JSON.stringify(response.body)}`);
        const fields = (error.details as { errors: Array<{ path: string[]; message: string }> }).errors;
        assert.deepEqual(
          fields.map((e) => e.path.join('.')),
          ['apiHostname'],
          `${apiHostname}: ${JSON.stringify(fields)}`,
        );
      }
    }
    const view = (await app.api('/duo-security/settings', { token })).body as {
      data: { settings: { activated: boolean; apiHostname: string } };
    };
    assert.deepEqual([view.data.settings.activated, view.data.settings.apiHostname], [false, ''], 'nothing was saved');
    assert.equal(sandbox.stats().connections, 0, 'the sandbox was never contacted');
  });

  it("accepts Duo's own hostnames", async () => {
    for (const apiHostname of ['api-12345678.duosecurity.com', 'api-abcdef12.duofederal.com']) {
      const response = await save({ apiHostname });
      assert.equal(response.status, 200, `${apiHostname}: ${JSON.stringify(response.body)}`);
      const saved = (response.body as { data: { settings: { apiHostname: string } } }).data.settings;
      assert.equal(saved.apiHostname, apiHostname);
    }
  });
});

describe('production (NODE_ENV=production): a non-Duo host in config/plugins.js', () => {
  let child: StrapiProcess;
  let apiHostname: string;
  before(async () => {
    sandbox.resetStats();
    // HTTPS to a loopback port: outside production an unreachable Duo, which fail mode `open` would let through.
    apiHostname = `127.0.0.1:${sandbox.port}`;
    const open = { enabled: true, enforcement: 'required', failMode: 'open' };
    const started = await tryStart('production', {
      NODE_ENV: 'production',
      DUO_CONFIG_SETTINGS: JSON.stringify({
        activated: true,
        integrationKey: sandbox.ikey,
        secretKey: sandbox.skey,
        apiHostname,
        staff: open,
        clients: open,
      }),
    });
    if (started instanceof Error) throw started;
    child = started;
  });
  after(async () => {
    await child?.stop();
  });

  it('refuses staff and client sign-ins even under fail mode open, and never contacts the host', async () => {
    const staff = await child.api('/admin/register-admin', { body: DEFAULT_ADMIN });
    const client = await child.api('/api/auth/local/register', { body: DEFAULT_CLIENT });
    for (const [what, response] of [
      ['register-admin', staff],
      ['client registration', client],
    ] as const) {
      assertNoToken(response, what);
      const error = errorOf(response, 400);
      assert.equal(error.name, 'DuoUnavailableError', `${what}: ${JSON.stringify(response.body)}`);
      assert.deepEqual(error.details, { reason: 'config' }, `${what}: a configuration to fix, not an outage`);
    }
    assert.equal(sandbox.stats().connections, 0, 'the configured host was never contacted');
  });

  it("leaves the host out of the step page's Content-Security-Policy", async () => {
    const page = await fetch(new URL('/duo-security/login', child.baseUrl));
    assert.equal(page.status, 200);
    await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data:;/, csp);
    assert.doesNotMatch(csp, new RegExp(String(sandbox.port)), csp);
  });
});
