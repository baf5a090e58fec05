import assert from 'node:assert/strict';

import { assertNoToken, errorOf } from './client-answers';
import { type StepAction } from './clients-harness';
import { parseBody, type ApiResponse } from './strapi';

/** Malformed requests every Duo step endpoint (clients' and staff's) and self-service endpoint must refuse. */

/** Well-formed (43 base64url characters) but no such step. */
export const WELL_FORMED = 'A'.repeat(43);
export const STEP_ACTIONS: readonly StepAction[] = [
  'push',
  'phone',
  'sms',
  'passcode',
  'status',
  'enroll',
  'cancel',
  'postpone',
];

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
  ['step: null', json({ step: null }), 'ValidationError'],
  ['step: a number', json({ step: 1234567890 }), 'ValidationError'],
  ['step: a boolean', json({ step: true }), 'ValidationError'],
  ['step: an array', json({ step: [WELL_FORMED] }), 'ValidationError'],
  ['step: an object', json({ step: { id: WELL_FORMED } }), 'ValidationError'],
  ['step: an operator object', json({ step: { $ne: null } }), 'ValidationError'],
  ['step: too short', json({ step: 'abc' }), 'ValidationError'],
  ['step: one character too long', json({ step: `${WELL_FORMED}A` }), 'ValidationError'],
  ['step: 100 000 characters', json({ step: 'A'.repeat(100_000) }), 'ValidationError'],
  ['step: a character outside base64url', json({ step: `${'A'.repeat(42)}!` }), 'ValidationError'],
  ['step: padded with a space', json({ step: ` ${'A'.repeat(42)}` }), 'ValidationError'],
  ['step: non-ASCII', json({ step: 'é'.repeat(43) }), 'ValidationError'],
  ['step: a NUL byte', json({ step: `${'A'.repeat(42)}\u0000` }), 'ValidationError'],
  ['a well-formed id of no step', json({ step: WELL_FORMED }), undefined],
  ['an unknown field', json({ step: WELL_FORMED, extra: 1 }), 'ValidationError'],
  ['nested junk', json({ step: WELL_FORMED, nested: { deeper: [{ $gt: '' }] } }), 'ValidationError'],
  [
    'a __proto__ field',
    { contentType: 'application/json', body: `{"step":"${WELL_FORMED}","__proto__":{"x":1}}` },
    undefined,
  ],
  ['a constructor field', json({ step: WELL_FORMED, constructor: { prototype: { x: 1 } } }), 'ValidationError'],
  ['an array body', json([{ step: WELL_FORMED }]), undefined],
  ['a string body', json('step'), undefined],
  ['a number body', json(42), undefined],
  ['a JSON null body', json(null), undefined],
  ['invalid JSON', { contentType: 'application/json', body: '{"step": ' }, undefined],
  ['text/plain', { contentType: 'text/plain', body: JSON.stringify({ step: WELL_FORMED }) }, undefined],
  ['a form', { contentType: 'application/x-www-form-urlencoded', body: 'step=abc&step=def' }, undefined],
  ['a body over the size limit', json({ step: 'A'.repeat(2_000_000) }), undefined],
];

/** Field-specific bad bodies per endpoint. */
export const FIELD_BAD_BODIES: Readonly<Record<StepAction, ReadonlyArray<readonly [string, unknown]>>> = {
  push: deviceCases(),
  phone: deviceCases(),
  sms: deviceCases(),
  passcode: [
    ['passcode missing', { step: WELL_FORMED }],
    ['passcode: a number', { step: WELL_FORMED, passcode: 123456 }],
    ['passcode: letters', { step: WELL_FORMED, passcode: 'abcdef' }],
    ['passcode: three digits', { step: WELL_FORMED, passcode: '123' }],
    ['passcode: seventeen digits', { step: WELL_FORMED, passcode: '1'.repeat(17) }],
    ['passcode: 100 000 digits', { step: WELL_FORMED, passcode: '1'.repeat(100_000) }],
    ['passcode: an array', { step: WELL_FORMED, passcode: ['123456'] }],
    ['passcode: an object', { step: WELL_FORMED, passcode: { $ne: '' } }],
    ['passcode: spaces around', { step: WELL_FORMED, passcode: ' 123456 ' }],
    ['a device on a passcode', { step: WELL_FORMED, passcode: '123456', device: 'DP1' }],
  ],
  'backup-code': [
    ['code missing', { step: WELL_FORMED }],
    ['code: a number', { step: WELL_FORMED, code: 1234567890 }],
    ['code: an array', { step: WELL_FORMED, code: ['ABCDE-FGHJK'] }],
    ['code: an object', { step: WELL_FORMED, code: { $ne: '' } }],
    ['code: 100 000 characters', { step: WELL_FORMED, code: 'A'.repeat(100_000) }],
    ['a passcode on backup-code', { step: WELL_FORMED, code: 'ABCDE-FGHJK', passcode: '123456' }],
  ],
  status: [
    ['wait: a string', { step: WELL_FORMED, wait: 'true' }],
    ['wait: a number', { step: WELL_FORMED, wait: 1 }],
    ['wait: an object', { step: WELL_FORMED, wait: {} }],
    ['a passcode on status', { step: WELL_FORMED, passcode: '123456' }],
  ],
  enroll: [['a device on enroll', { step: WELL_FORMED, device: 'DP1' }]],
  postpone: [['a passcode on postpone', { step: WELL_FORMED, passcode: '123456' }]],
  cancel: [['wait on cancel', { step: WELL_FORMED, wait: true }]],
};

function deviceCases(): ReadonlyArray<readonly [string, unknown]> {
  return [
    ['device: a number', { step: WELL_FORMED, device: 7 }],
    ['device: an array', { step: WELL_FORMED, device: ['DP1'] }],
    ['device: an object', { step: WELL_FORMED, device: { id: 'DP1' } }],
    ['device: 65 characters', { step: WELL_FORMED, device: 'D'.repeat(65) }],
    ['device: a path', { step: WELL_FORMED, device: '../DP1' }],
    ['a passcode on a factor', { step: WELL_FORMED, passcode: '123456' }],
  ];
}
