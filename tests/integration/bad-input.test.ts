import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  COMMON_BAD_BODIES,
  expectClientError,
  FIELD_BAD_BODIES,
  json,
  raw as rawRequest,
  STEP_ACTIONS,
  WELL_FORMED,
  type RawRequest,
} from '../helpers/bad-input';
import { assertNoToken, errorOf, expectToken } from '../helpers/client-answers';
import { createClient, login, startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { defaultHost } from '../helpers/strapi';
import { adminLogin, createAdmin, expectAdminSession } from '../helpers/staff';

/**
 * Bad input on the endpoints the plugin adds for both audiences: the public Duo step (`/api/duo-security/step/*`
 * for clients, `/duo-security/step/*` for staff) and self-service (`/api/duo-security/me*` with a client JWT,
 * `/duo-security/me*` with an admin token): missing, wrong-typed, oversized and unknown fields, malformed
 * step ids, arrays, nested junk, wrong content types. Each gets a 4xx in Strapi's error envelope, never a
 * 5xx and never a token. (Property-based hostile input: tests/hostile; user management: staff-user-management.)
 */

const HOST = defaultHost();
let h: ClientsHarness;
const tokens = { clients: '', staff: '' };

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true } });
  const admin = await createAdmin(h, { duo: false });
  tokens.staff = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password)).token;
  const client = await createClient(h, { duo: false });
  tokens.clients = expectToken(await login(h.app, client.email, client.password)).jwt;
});
after(async () => {
  await h?.close();
});

const raw = (path: string, request?: RawRequest) => rawRequest(h.app.baseUrl, path, request);

const AUDIENCES = [
  { audience: 'clients', prefix: '/api/duo-security', other: 'staff', who: 'client' },
  { audience: 'staff', prefix: '/duo-security', other: 'clients', who: 'admin' },
] as const;

for (const { audience, prefix, other, who } of AUDIENCES) {
  describe(`${audience}: the Duo step endpoints (POST ${prefix}/step/*)`, () => {
    for (const action of STEP_ACTIONS) {
      it(`${action}: every malformed request is a 4xx envelope`, async () => {
        const path = `${prefix}/step/${action}`;
        for (const [what, request, name] of COMMON_BAD_BODIES) {
          expectClientError(await raw(path, request), `${action}, ${what}`, name);
        }
        for (const [what, body] of FIELD_BAD_BODIES[action]) {
          expectClientError(await raw(path, json(body)), `${action}, ${what}`, 'ValidationError');
        }
        // Field errors name the field.
        const unknown = errorOf(await raw(path, json({ step: WELL_FORMED, extra: 1 })), 400);
        assert.deepEqual(
          (unknown.details as { errors: Array<{ path: string[] }> }).errors.map((e) => e.path),
          [['extra']],
        );
        // Only POST exists. (Strapi's router answers other methods itself: 404 envelope for GET, a bare 405 text
        // for PUT and DELETE; the plugin has no say in either, so only the status class is checked.)
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const response = await raw(path, method === 'GET' ? { method } : { method, ...json({ step: WELL_FORMED }) });
          assert.ok(response.status === 404 || response.status === 405, `${action}, ${method}: ${response.status}`);
          assertNoToken(response);
        }
      });
    }

    it('a well-formed id of no step is a DuoStepError "unknown" on every endpoint (never 401)', async () => {
      for (const action of STEP_ACTIONS) {
        const body = action === 'passcode' ? { step: WELL_FORMED, passcode: '123456' } : { step: WELL_FORMED };
        const error = errorOf(await raw(`${prefix}/step/${action}`, json(body)), 400);
        assert.equal(error.name, 'DuoStepError', action);
        assert.deepEqual(error.details, { state: 'unknown' }, action);
      }
    });
  });

  describe(`${audience}: self-service (${prefix}/me*)`, () => {
    const endpoints = [
      ['GET', `${prefix}/me`],
      ['POST', `${prefix}/me/enable`],
      ['POST', `${prefix}/me/disable`],
    ] as const;

    it(`refuse requests without a valid ${who} token (401 envelope)`, async () => {
      const own = tokens[audience];
      for (const [method, path] of endpoints) {
        for (const [what, token] of [
          ['no token', undefined],
          ['an empty bearer', 'Bearer '],
          ['garbage', 'Bearer not-a-token'],
          ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
          ['two tokens', `Bearer ${own} ${own}`],
          [`the other audience's token`, `Bearer ${tokens[other]}`],
          ['a step-id-shaped string', `Bearer ${WELL_FORMED}`],
          ['an 8 000 character token', `Bearer ${'a'.repeat(8_000)}`],
        ] as const) {
          const response = await raw(path, { method, ...(token === undefined ? {} : { token }) });
          expectClientError(response, `${method} ${path}, ${what}`);
          assert.equal(response.status, 401, `${method} ${path}, ${what}`);
        }
      }
    });

    it('enable and disable take no fields: unknown fields, arrays, junk and wrong types are 4xx', async () => {
      const before = await h.strapi.db!.query('plugin::duo-security.transaction').count({});
      for (const [, path] of endpoints.slice(1)) {
        const token = `Bearer ${tokens[audience]}`;
        for (const [what, request, name] of [
          ['an unknown field', json({ enabled: true }), 'ValidationError'],
          ['nested junk', json({ a: { b: [{ $ne: 1 }] } }), 'ValidationError'],
          ['an array body', json([1, 2]), undefined],
          ['a string body', json('enable'), undefined],
          ['invalid JSON', { contentType: 'application/json', body: '{' }, undefined],
          ['text/plain', { contentType: 'text/plain', body: 'enable' }, undefined],
          ['a form', { contentType: 'application/x-www-form-urlencoded', body: 'enabled=1' }, undefined],
          ['a body over the size limit', json({ x: 'A'.repeat(2_000_000) }), undefined],
        ] as const) {
          expectClientError(await raw(path, { ...request, token }), `${path}, ${what}`, name);
        }
      }
      // Nothing was started by any of these.
      assert.equal(await h.strapi.db!.query('plugin::duo-security.transaction').count({}), before);
    });
  });
}

describe('clients: disable without Duo', () => {
  it('is a 400 envelope', async () => {
    const response = await raw('/api/duo-security/me/disable', { token: `Bearer ${tokens.clients}` });
    expectClientError(response, 'disable without Duo', 'ApplicationError');
    assert.equal(response.status, 400);
  });
});

// Renewing an admin session is a different route on each major; each gets the junk its route can be sent.
if (HOST === 'v4') {
  describe('staff: renew-token with junk', () => {
    it('is refused as Strapi refuses it (400 ValidationError), never 500', async () => {
      for (const body of [{}, { token: 1 }, { token: null }, { token: ['x'] }, { token: tokens.staff, x: 1 }]) {
        const response = await raw('/admin/renew-token', json(body));
        expectClientError(response, JSON.stringify(body).slice(0, 60), 'ValidationError');
      }
    });
  });
}

if (HOST === 'v5') {
  describe('staff: access-token (Strapi 5 session renewal) with junk', () => {
    it('is refused as Strapi refuses it (401 UnauthorizedError), never 500', async () => {
      const cookies = [
        undefined,
        'strapi_admin_refresh=',
        'strapi_admin_refresh=junk',
        `strapi_admin_refresh=${tokens.staff}`,
        `strapi_admin_refresh=${'x'.repeat(4000)}; strapi_admin_refresh.sig=junk`,
      ];
      for (const cookie of cookies) {
        const response = await h.app.api('/admin/access-token', {
          method: 'POST',
          body: { token: tokens.staff },
          ...(cookie === undefined ? {} : { headers: { cookie } }),
        });
        assertNoToken(response, `access-token, ${String(cookie).slice(0, 40)}`);
        assert.equal(errorOf(response, 401).name, 'UnauthorizedError', String(cookie).slice(0, 40));
      }
    });
  });
}

describe('server health after all that', () => {
  it('no server error was logged by the plugin', () => {
    const severe = h.app.logs.filter(
      (entry) => entry.level === 'error' && /duo-security|Internal Server Error/i.test(entry.message),
    );
    assert.deepEqual(severe, []);
  });
});
