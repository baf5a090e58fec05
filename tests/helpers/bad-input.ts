import assert from 'node:assert/strict';

import { assertNoToken, errorOf, type StepAction } from './clients-harness';
import { parseBody, type ApiResponse } from './strapi';

/** Malformed requests every Duo step endpoint (clients' and staff's) and self-service endpoint must refuse. */

/** Well-formed (43 base64url characters) but no such step. */
export const WELL_FORMED = 'A'.repeat(43);
export const STEP_ACTIONS: readonly StepAction[] = ['push', 'phone', 'sms', 'passcode', 'status', 'enroll', 'cancel'];

export interface RawRequest {
  method?: string;
  contentType?: string;
  body?: string | FormData;
  token?: string;
}

export async function raw(baseUrl: string, path: string, request: RawRequest = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.token !== undefined) headers.authorization = request.token;
  const response = await fetch(new URL(path, baseUrl), {
    method: request.method ?? 'POST',
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, headers: response.headers, body: parseBody(await response.text()) };
}

export const json = (value: unknown): RawRequest => ({ contentType: 'application/json', body: JSON.stringify(value) });

/** A client error in Strapi's envelope: 4xx, `{ data: null, error: { status, name, message } }`, no token. */
export function expectClientError(response: ApiResponse, what: string, name?: string): void {
  assert.ok(
    response.status >= 400 && response.status < 500,
    `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`,
  );
  assertNoToken(response, what);
  const error = errorOf(response);
  if (name !== undefined) assert.equal(error.name, name, `${what}: ${JSON.stringify(response.body)}`);
}

/** Bodies every step endpoint refuses, with the error name expected (undefined: any 4xx envelope). */
export const COMMON_BAD_BODIES: ReadonlyArray<readonly [string, RawRequest, string | undefined]> = [
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
export const FIELD_BAD_BODIES: Readonly<Record<StepAction, ReadonlyArray<readonly [string, unknown]>>> = {
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
