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
import {
  assertNoToken,
  createClient,
  errorOf,
  expectToken,
  login,
  startClientsHarness,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { adminLogin, createAdmin, expectAdminToken } from '../helpers/staff';

/**
 * Issue 5, bad input on the new admin endpoints: the admin Duo step (`/duo-security/step/*`, public) and
 * "Two-factor (Duo)" (`/duo-security/me*`, admin JWT). Each gets a 4xx in Strapi's error envelope, never a 5xx and
 * never a token. (User management: staff-user-management.test.ts.)
 */

let h: ClientsHarness;
let adminToken: string;
let clientJwt: string;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true } });
  const admin = await createAdmin(h, { duo: false });
  adminToken = expectAdminToken(await adminLogin(h.app, admin.email, admin.password)).token;
  const client = await createClient(h, { duo: false });
  clientJwt = expectToken(await login(h.app, client.email, client.password)).jwt;
});
after(async () => {
  await h?.close();
});

const raw = (path: string, request?: RawRequest) => rawRequest(h.app.baseUrl, path, request);

describe('the admin Duo step endpoints (POST /duo-security/step/*)', () => {
  for (const action of STEP_ACTIONS) {
    it(`${action}: every malformed request is a 4xx envelope`, async () => {
      const path = `/duo-security/step/${action}`;
      for (const [what, request, name] of COMMON_BAD_BODIES) {
        expectClientError(await raw(path, request), `${action}, ${what}`, name);
      }
      for (const [what, body] of FIELD_BAD_BODIES[action]) {
        expectClientError(await raw(path, json(body)), `${action}, ${what}`, 'ValidationError');
      }
      const unknown = errorOf(await raw(path, json({ transaction: WELL_FORMED, extra: 1 })), 400);
      assert.deepEqual(
        (unknown.details as { errors: Array<{ path: string[] }> }).errors.map((e) => e.path),
        [['extra']],
      );
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await raw(
          path,
          method === 'GET' ? { method } : { method, ...json({ transaction: WELL_FORMED }) },
        );
        assert.ok(response.status === 404 || response.status === 405, `${action}, ${method}: ${response.status}`);
        assertNoToken(response);
      }
    });
  }

  it('a well-formed id of no step is a DuoTransactionError "unknown" on every endpoint (never 401)', async () => {
    for (const action of STEP_ACTIONS) {
      const body =
        action === 'passcode' ? { transaction: WELL_FORMED, passcode: '123456' } : { transaction: WELL_FORMED };
      const error = errorOf(await raw(`/duo-security/step/${action}`, json(body)), 400);
      assert.equal(error.name, 'DuoTransactionError', action);
      assert.deepEqual(error.details, { state: 'unknown' }, action);
    }
  });
});

describe('"Two-factor (Duo)" (/duo-security/me*)', () => {
  const ENDPOINTS = [
    ['GET', '/duo-security/me'],
    ['POST', '/duo-security/me/enable'],
    ['POST', '/duo-security/me/disable'],
  ] as const;

  it('refuse requests without a valid admin token (401 envelope)', async () => {
    for (const [method, path] of ENDPOINTS) {
      for (const [what, token] of [
        ['no token', undefined],
        ['an empty bearer', 'Bearer '],
        ['garbage', 'Bearer not-a-token'],
        ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
        ['two tokens', `Bearer ${adminToken} ${adminToken}`],
        ['a client JWT', `Bearer ${clientJwt}`],
        ['a transaction-shaped string', `Bearer ${WELL_FORMED}`],
        ['an 8 000 character token', `Bearer ${'a'.repeat(8_000)}`],
      ] as const) {
        const response = await raw(path, { method, ...(token === undefined ? {} : { token }) });
        expectClientError(response, `${method} ${path}, ${what}`);
        assert.equal(response.status, 401, `${method} ${path}, ${what}`);
      }
    }
  });

  it('enable and disable take no fields: unknown fields, arrays, junk and wrong types are 4xx', async () => {
    for (const [, path] of ENDPOINTS.slice(1)) {
      const token = `Bearer ${adminToken}`;
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
    const rows = await h.strapi.db!.query('plugin::duo-security.transaction').count({});
    assert.equal(rows, 0);
  });
});

describe('renew-token with junk', () => {
  it('is refused as Strapi refuses it (400 ValidationError), never 500', async () => {
    for (const body of [{}, { token: 1 }, { token: null }, { token: ['x'] }, { token: adminToken, x: 1 }]) {
      const response = await raw('/admin/renew-token', json(body));
      expectClientError(response, JSON.stringify(body).slice(0, 60), 'ValidationError');
    }
  });
});

describe('server health after all that', () => {
  it('no server error was logged by the plugin', () => {
    const severe = h.app.logs.filter(
      (entry) => entry.level === 'error' && /duo-security|Internal Server Error/i.test(entry.message),
    );
    assert.deepEqual(severe, []);
  });
});
