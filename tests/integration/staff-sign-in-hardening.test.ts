/**
 * What the README and SECURITY.md promise around the staff sign-in, on a real Strapi (run once per host):
 * - the Duo step page (`/duo-security/login`) is served with its own Content-Security-Policy, no framing, no
 *   referrer and no caching; its files with `nosniff`;
 * - a session another plugin's admin route opens with Strapi's own services (as EE SSO or a custom sign-in would),
 *   without Duo, is refused for an administrator who must use Duo, and works for one who need not;
 * - `/admin/login` answers a password that is not text with a 400 ValidationError in Strapi's envelope (Strapi alone
 *   answers 501 for some: bcrypt throws inside its passport step).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertNoToken, errorOf } from '../helpers/client-answers';
import { startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import {
  adminLogin,
  adminMe,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  renewAdminSession,
  turnOnStaffDuo,
  type Admin,
} from '../helpers/staff';
import type { ApiResponse } from '../helpers/strapi';

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({
    staff: { enabled: true, enforcement: 'optional' },
    env: { DUO_TEST_TOKEN_MINTER: 'true' },
  });
});
after(async () => {
  await h?.close();
});

/** The Content-Security-Policy header as directive → sources. */
function directives(header: string | null): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) parsed.set(name, sources);
  }
  return parsed;
}

describe('the Duo step page', () => {
  it('is served with its own Content-Security-Policy, no framing, no referrer, no caching', async () => {
    const page = await fetch(new URL('/duo-security/login', h.app.baseUrl));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const csp = page.headers.get('content-security-policy');
    const policy = directives(csp);
    assert.deepEqual(policy.get('default-src'), ["'none'"], csp ?? '');
    assert.deepEqual(policy.get('script-src'), ["'self'"], csp ?? '');
    assert.deepEqual(policy.get('connect-src'), ["'self'"], csp ?? '');
    // Duo's API host serves the activation QR code (here the sandbox, as the settings name it).
    assert.deepEqual(policy.get('img-src'), ["'self'", 'data:', new URL(h.sandbox.url).origin], csp ?? '');
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"], csp ?? '');
    assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('cache-control'), 'no-store');

    // The files the page loads: what the page names, typed and never sniffed as something else.
    const html = await page.text();
    const scripts = [...html.matchAll(/src="([^"]+\.mjs)"/g)].map((m) => m[1] ?? '');
    assert.ok(scripts.length > 0, 'the page loads its script');
    for (const src of scripts) {
      const file = await fetch(new URL(src, page.url));
      assert.equal(file.status, 200, src);
      assert.match(file.headers.get('content-type') ?? '', /^text\/javascript/, src);
      assert.equal(file.headers.get('x-content-type-options'), 'nosniff', src);
      await file.arrayBuffer();
    }
  });
});

describe("a session opened by another plugin's admin route", () => {
  /** The test plugin's public route (tests/fixtures/token-minter-plugin): Strapi's own services, no Duo. */
  const mint = (email: string): Promise<ApiResponse> => h.app.api('/token-minter/mint', { body: { email } });

  let withDuo: Admin;
  let withoutDuo: Admin;
  before(async () => {
    withDuo = await createAdmin(h);
    const first = expectAdminSession(h.app, await adminLogin(h.app, withDuo.email, withDuo.password));
    await turnOnStaffDuo(h, withDuo, first.token);
    expectAdminDuoRequired(await adminLogin(h.app, withDuo.email, withDuo.password));
    withoutDuo = await createAdmin(h);
  });

  /** Strapi 5: the administrator's `admin::session` rows. */
  const sessions = (admin: Admin) =>
    h.strapi.db!.query('admin::session').count({ where: { userId: String(admin.id) } });

  it('works for an administrator who needs no Duo (the route really signs in)', async () => {
    const rows = h.app.host === 'v5' ? await sessions(withoutDuo) : 0;
    const minted = await mint(withoutDuo.email);
    assert.equal(minted.status, 200, JSON.stringify(minted.body));
    const token = String((minted.body as { data: { token: string } }).data.token);
    assert.equal((await adminMe(h.app, token)).status, 200);
    if (h.app.host === 'v5') assert.equal(await sessions(withoutDuo), rows + 1, 'the route made a session row');
  });

  it('is refused for an administrator who must use Duo', async () => {
    if (h.app.host === 'v4') {
      // Strapi 4: the route gets a JWT (nothing stops another plugin signing one), which no admin route accepts.
      const minted = await mint(withDuo.email);
      assert.equal(minted.status, 200, JSON.stringify(minted.body));
      const token = String((minted.body as { data: { token: string } }).data.token);
      for (const path of ['/admin/users/me', '/admin/users?page=1', '/duo-security/me', '/duo-security/settings']) {
        assert.equal((await h.app.api(path, { token })).status, 401, path);
      }
      const renewed = await renewAdminSession(h.app, { token });
      assertNoToken(renewed, 'renew-token');
      assert.equal(errorOf(renewed, 400).message, 'Invalid token');
      return;
    }
    // Strapi 5: the session manager refuses to open the session at all: no token, no session row.
    const rows = await sessions(withDuo);
    const refused = await mint(withDuo.email);
    assertNoToken(refused, 'the other plugin');
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(await sessions(withDuo), rows, 'no session row was made');
  });
});

describe('/admin/login with a password that is not text', () => {
  const notText: readonly unknown[] = [123, 0.5, true, ['Pw'], { value: 'Pw' }];

  for (const who of ['an administrator who must use Duo', 'an administrator who needs no Duo', 'nobody']) {
    it(`${who}: 400 ValidationError in Strapi's envelope, never 501, no token`, async () => {
      let email = 'nobody@example.com';
      if (who !== 'nobody') {
        const admin = await createAdmin(h);
        email = admin.email;
        if (who.includes('must')) {
          const first = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password));
          await turnOnStaffDuo(h, admin, first.token);
        }
      }
      for (const password of notText) {
        const response = await h.app.api('/admin/login', { body: { email, password } });
        const what = `password ${JSON.stringify(password)}`;
        assertNoToken(response, what);
        const error = errorOf(response, 400);
        assert.equal(error.name, 'ValidationError', what);
        assert.deepEqual(error.details, {
          errors: [{ path: ['password'], message: 'The password must be text', name: 'ValidationError' }],
        });
      }
    });
  }
});
