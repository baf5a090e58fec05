import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ApiResponse } from '../helpers/strapi';
import {
  assertNoToken,
  createClient,
  errorOf,
  expectToken,
  login,
  startClientsHarness,
  type ClientsHarness,
  type StepAction,
} from '../helpers/clients-harness';

/**
 * Issue 4, bad input on every new endpoint (the public Duo step and the client's self-service routes): missing,
 * wrong-typed, oversized and unknown fields, malformed transaction ids, arrays, nested junk, wrong content types.
 * Each gets a 4xx in Strapi's error envelope, never a 5xx and never a token.
 */

let h: ClientsHarness;
let clientJwt: string;

before(async () => {
  h = await startClientsHarness();
  const client = await createClient(h, { duo: false });
  clientJwt = expectToken(await login(h.app, client.email, client.password)).jwt;
});
after(async () => {
  await h?.close();
});

/** Well-formed (43 base64url characters) but no such step. */
const WELL_FORMED = 'A'.repeat(43);
const STEP_ACTIONS: readonly StepAction[] = ['push', 'phone', 'sms', 'passcode', 'status', 'enroll', 'cancel'];

interface RawRequest {
  method?: string;
  contentType?: string;
  body?: string | FormData;
  token?: string;
}

async function raw(path: string, request: RawRequest = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.token !== undefined) headers.authorization = request.token;
  const response = await fetch(new URL(path, h.app.baseUrl), {
    method: request.method ?? 'POST',
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // keep the text: the assertion shows it
  }
  return { status: response.status, headers: response.headers, body };
}

const json = (value: unknown): RawRequest => ({ contentType: 'application/json', body: JSON.stringify(value) });

/** A client error in Strapi's envelope: 4xx, `{ data: null, error: { status, name, message } }`, no token. */
function expectClientError(response: ApiResponse, what: string, name?: string): void {
  assert.ok(
    response.status >= 400 && response.status < 500,
    `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`,
  );
  assertNoToken(response, what);
  const error = errorOf(response);
  if (name !== undefined) assert.equal(error.name, name, `${what}: ${JSON.stringify(response.body)}`);
}

/** Bodies every step endpoint refuses, with the error name expected (undefined: any 4xx envelope). */
const COMMON_BAD_BODIES: ReadonlyArray<readonly [string, RawRequest, string | undefined]> = [
  ['no body', {}, 'ValidationError'],
  ['an empty object', json({}), 'ValidationError'],
  ['transaction: null', json({ transaction: null }), 'ValidationError'],
  ['transaction: a number', json({ transaction: 1234567890 }), 'ValidationError'],
  ['transaction: a boolean', json({ transaction: true }), 'ValidationError'],
  ['transaction: an array', json({ transaction: [WELL_FORMED] }), 'ValidationError'],
  ['transaction: an object', json({ transaction: { id: WELL_FORMED } }), 'ValidationError'],
  ['transaction: an operator object', json({ transaction: { $ne: null } }), 'ValidationError'],
  ['transaction: too short', json({ transaction: 'abc' }), 'ValidationError'],
  ['transaction: one character too long', json({ transaction: `${WELL_FORMED}A` }), 'ValidationError'],
  ['transaction: 100 000 characters', json({ transaction: 'A'.repeat(100_000) }), 'ValidationError'],
  ['transaction: a character outside base64url', json({ transaction: `${'A'.repeat(42)}!` }), 'ValidationError'],
  ['transaction: padded with a space', json({ transaction: ` ${'A'.repeat(42)}` }), 'ValidationError'],
  ['transaction: non-ASCII', json({ transaction: 'é'.repeat(43) }), 'ValidationError'],
  ['transaction: a NUL byte', json({ transaction: `${'A'.repeat(42)}\u0000` }), 'ValidationError'],
  ['a well-formed id of no step', json({ transaction: WELL_FORMED }), undefined],
  ['an unknown field', json({ transaction: WELL_FORMED, extra: 1 }), 'ValidationError'],
  ['nested junk', json({ transaction: WELL_FORMED, nested: { deeper: [{ $gt: '' }] } }), 'ValidationError'],
  [
    'a __proto__ field',
    { contentType: 'application/json', body: `{"transaction":"${WELL_FORMED}","__proto__":{"x":1}}` },
    undefined,
  ],
  ['a constructor field', json({ transaction: WELL_FORMED, constructor: { prototype: { x: 1 } } }), 'ValidationError'],
  ['an array body', json([{ transaction: WELL_FORMED }]), undefined],
  ['a string body', json('transaction'), undefined],
  ['a number body', json(42), undefined],
  ['a JSON null body', json(null), undefined],
  ['invalid JSON', { contentType: 'application/json', body: '{"transaction": ' }, undefined],
  ['text/plain', { contentType: 'text/plain', body: JSON.stringify({ transaction: WELL_FORMED }) }, undefined],
  ['a form', { contentType: 'application/x-www-form-urlencoded', body: 'transaction=abc&transaction=def' }, undefined],
  ['a body over the size limit', json({ transaction: 'A'.repeat(2_000_000) }), undefined],
];

/** Field-specific bad bodies per endpoint. */
const FIELD_BAD_BODIES: Readonly<Record<StepAction, ReadonlyArray<readonly [string, unknown]>>> = {
  push: deviceCases(),
  phone: deviceCases(),
  sms: deviceCases(),
  passcode: [
    ['passcode missing', { transaction: WELL_FORMED }],
    ['passcode: a number', { transaction: WELL_FORMED, passcode: 123456 }],
    ['passcode: letters', { transaction: WELL_FORMED, passcode: 'abcdef' }],
    ['passcode: three digits', { transaction: WELL_FORMED, passcode: '123' }],
    ['passcode: seventeen digits', { transaction: WELL_FORMED, passcode: '1'.repeat(17) }],
    ['passcode: 100 000 digits', { transaction: WELL_FORMED, passcode: '1'.repeat(100_000) }],
    ['passcode: an array', { transaction: WELL_FORMED, passcode: ['123456'] }],
    ['passcode: an object', { transaction: WELL_FORMED, passcode: { $ne: '' } }],
    ['passcode: spaces around', { transaction: WELL_FORMED, passcode: ' 123456 ' }],
    ['a device on a passcode', { transaction: WELL_FORMED, passcode: '123456', device: 'DP1' }],
  ],
  status: [
    ['wait: a string', { transaction: WELL_FORMED, wait: 'true' }],
    ['wait: a number', { transaction: WELL_FORMED, wait: 1 }],
    ['wait: an object', { transaction: WELL_FORMED, wait: {} }],
    ['a passcode on status', { transaction: WELL_FORMED, passcode: '123456' }],
  ],
  enroll: [['a device on enroll', { transaction: WELL_FORMED, device: 'DP1' }]],
  cancel: [['wait on cancel', { transaction: WELL_FORMED, wait: true }]],
};

function deviceCases(): ReadonlyArray<readonly [string, unknown]> {
  return [
    ['device: a number', { transaction: WELL_FORMED, device: 7 }],
    ['device: an array', { transaction: WELL_FORMED, device: ['DP1'] }],
    ['device: an object', { transaction: WELL_FORMED, device: { id: 'DP1' } }],
    ['device: 65 characters', { transaction: WELL_FORMED, device: 'D'.repeat(65) }],
    ['device: a path', { transaction: WELL_FORMED, device: '../DP1' }],
    ['a passcode on a factor', { transaction: WELL_FORMED, passcode: '123456' }],
  ];
}

describe('the Duo step endpoints (POST /api/duo-security/step/*)', () => {
  for (const action of STEP_ACTIONS) {
    it(`${action}: every malformed request is a 4xx envelope`, async () => {
      const path = `/api/duo-security/step/${action}`;
      for (const [what, request, name] of COMMON_BAD_BODIES) {
        expectClientError(await raw(path, request), `${action}, ${what}`, name);
      }
      for (const [what, body] of FIELD_BAD_BODIES[action]) {
        expectClientError(await raw(path, json(body)), `${action}, ${what}`, 'ValidationError');
      }
      // Field errors name the field.
      const unknown = errorOf(await raw(path, json({ transaction: WELL_FORMED, extra: 1 })), 400);
      assert.deepEqual(
        (unknown.details as { errors: Array<{ path: string[] }> }).errors.map((e) => e.path),
        [['extra']],
      );
      // Only POST exists. (Strapi's router answers other methods itself: 404 envelope for GET, a bare 405 text
      // for PUT and DELETE; the plugin has no say in either, so only the status class is checked.)
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

  it('a well-formed id of no step is a DuoTransactionError "unknown" on every endpoint', async () => {
    for (const action of STEP_ACTIONS) {
      const body =
        action === 'passcode' ? { transaction: WELL_FORMED, passcode: '123456' } : { transaction: WELL_FORMED };
      const error = errorOf(await raw(`/api/duo-security/step/${action}`, json(body)), 400);
      assert.equal(error.name, 'DuoTransactionError', action);
      assert.deepEqual(error.details, { state: 'unknown' }, action);
    }
  });
});

describe('the self-service endpoints (/api/duo-security/me*)', () => {
  const ENDPOINTS = [
    ['GET', '/api/duo-security/me'],
    ['POST', '/api/duo-security/me/enable'],
    ['POST', '/api/duo-security/me/disable'],
  ] as const;

  it('refuse requests without a valid client token (401 envelope)', async () => {
    const adminToken = h.adminToken;
    for (const [method, path] of ENDPOINTS) {
      for (const [what, token] of [
        ['no token', undefined],
        ['an empty bearer', 'Bearer '],
        ['garbage', 'Bearer not-a-token'],
        ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
        ['two tokens', `Bearer ${clientJwt} ${clientJwt}`],
        ['an admin token', `Bearer ${adminToken}`],
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
      const token = `Bearer ${clientJwt}`;
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
    const rows = await h.strapi.db!.query('plugin::duo-security.transaction').count({});
    assert.equal(rows, 0);
  });

  it('disable for a client without Duo is a 400 envelope', async () => {
    const response = await raw('/api/duo-security/me/disable', { token: `Bearer ${clientJwt}` });
    expectClientError(response, 'disable without Duo', 'ApplicationError');
    assert.equal(response.status, 400);
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
