import assert from 'node:assert/strict';

import type { ApiResponse } from './strapi';

/**
 * What the client tests expect of an answer: Strapi's error envelope, the Duo step of a password that needs Duo,
 * a token answer and nothing else, the codes a step hands out. Each assertion names what it read.
 */

export interface ErrorEnvelope {
  readonly data: null;
  readonly error: {
    readonly status: number;
    readonly name: string;
    readonly message: string;
    readonly details?: unknown;
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Asserts Strapi's error envelope with the HTTP status repeated inside, and returns the error. */
export function errorOf(response: ApiResponse, status?: number): ErrorEnvelope['error'] {
  const what = `HTTP ${response.status} ${JSON.stringify(response.body)}`;
  if (status !== undefined) assert.equal(response.status, status, what);
  assert.ok(isRecord(response.body), what);
  assert.equal(response.body.data, null, what);
  const error = response.body.error;
  assert.ok(isRecord(error), what);
  assert.equal(error.status, response.status, what);
  assert.equal(typeof error.name, 'string', what);
  assert.equal(typeof error.message, 'string', what);
  return error as ErrorEnvelope['error'];
}

/** A JWT anywhere in a text: three base64url segments, the first one a JSON header. */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;

/** Asserts that nothing in the response (body or headers) carries a token. */
export function assertNoToken(response: { body: unknown; headers?: Headers }, what = 'response'): void {
  const text = JSON.stringify(response.body) ?? '';
  assert.doesNotMatch(text, JWT_PATTERN, `${what} carries a JWT: ${text}`);
  assert.doesNotMatch(text, /"jwt"\s*:\s*"/, `${what} has a jwt field: ${text}`);
  for (const [name, value] of response.headers?.entries() ?? []) {
    assert.doesNotMatch(value, JWT_PATTERN, `${what} header ${name} carries a JWT`);
  }
}

export interface DuoRequired {
  readonly stepId: string;
  readonly expiresAt: string;
  readonly duo: DuoView;
}

export type DuoView =
  | {
      readonly result: 'auth';
      readonly devices: ReadonlyArray<{ id: string; name: string; type: string; capabilities: string[] }>;
      readonly factors: readonly string[];
      readonly verifiedPush: boolean;
    }
  | {
      readonly result: 'enroll';
      readonly enrollPortalUrl?: string;
      readonly activation?: {
        qrCodeUrl: string;
        activationUrl: string;
        activationCode: string;
        expiresAt: string;
      };
    };

export const STEP_ID = /^[A-Za-z0-9_-]{43}$/;

/** Reads a Duo step out of its details (the DuoRequiredError's, or `data` of /me/enable and /me/disable). */
export function stepFrom(details: unknown, what: string): DuoRequired {
  assert.ok(isRecord(details), `${what}: no details`);
  const found = details.step;
  assert.ok(isRecord(found), `${what}: no step in ${JSON.stringify(details)}`);
  assert.match(String(found.id), STEP_ID, what);
  assert.ok(Number.isFinite(Date.parse(String(found.expiresAt))), `${what}: expiresAt`);
  assert.ok(isRecord(details.duo), `${what}: no duo verdict`);
  return {
    stepId: String(found.id),
    expiresAt: String(found.expiresAt),
    duo: details.duo as unknown as DuoView,
  };
}

/** The password step's answer for a client who must use Duo: HTTP 400 DuoRequiredError, no token anywhere. */
export function expectDuoRequired(response: ApiResponse, what = 'login'): DuoRequired {
  assertNoToken(response, what);
  const error = errorOf(response, 400);
  assert.equal(error.name, 'DuoRequiredError', `${what}: ${JSON.stringify(response.body)}`);
  return stepFrom(error.details, what);
}

export interface TokenAnswer {
  readonly jwt: string;
  readonly user: Record<string, unknown>;
}

/** `{ jwt, user }` and nothing else, HTTP 200. */
export function expectToken(response: ApiResponse, what = 'answer'): TokenAnswer {
  const text = `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`;
  assert.equal(response.status, 200, text);
  assert.ok(isRecord(response.body), text);
  assert.deepEqual(Object.keys(response.body).sort(), ['jwt', 'user'], text);
  const { jwt, user } = response.body;
  assert.equal(typeof jwt, 'string', text);
  assert.ok(isRecord(user), text);
  return { jwt: jwt as string, user };
}

/** The payload of a JWT (not verified: the tests check what Strapi put in it). */
export function jwtPayload(token: string): Record<string, unknown> {
  const segment = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** `{ data: … }` of a step that is still open (or of /me). */
export function dataOf(response: ApiResponse, what = 'answer'): Record<string, unknown> {
  const text = `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`;
  assert.equal(response.status, 200, text);
  assert.ok(isRecord(response.body), text);
  assert.ok(isRecord(response.body.data), text);
  return response.body.data;
}

// --- calls -----------------------------------------------------------------------------------------------------

export interface GraphqlAnswer {
  readonly status: number;
  readonly data: Record<string, unknown> | null;
  readonly errors: ReadonlyArray<{
    message: string;
    extensions?: { code?: string; error?: { name?: string; message?: string; details?: unknown } };
  }>;
  readonly raw: ApiResponse;
}

/** A GraphQL mutation refused with the DuoRequiredError: the error's extensions carry name and details. */
export function expectGraphqlDuoRequired(answer: GraphqlAnswer, what: string): DuoRequired {
  assertNoToken(answer.raw, what);
  assert.equal(answer.errors.length, 1, `${what}: ${JSON.stringify(answer.raw.body)}`);
  const extensions = answer.errors[0]?.extensions;
  assert.equal(extensions?.code, 'STRAPI_DUO_REQUIRED_ERROR', `${what}: ${JSON.stringify(answer.raw.body)}`);
  assert.equal(extensions?.error?.name, 'DuoRequiredError', what);
  return stepFrom(extensions?.error?.details, what);
}

/** A fresh set of backup codes as the answers show them: 10 distinct `XXXXX-XXXXX` codes. */
export const BACKUP_CODE = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
/**
 * The first backup codes a sign-in that enrolled the account carries (in `data` for staff, beside `jwt` for
 * clients), checked, and the answer without them: what the sign-in answers without enrolment.
 */
export function takeBackupCodes(
  response: ApiResponse,
  what = 'enrolling sign-in',
): { response: ApiResponse; codes: string[] } {
  const text = `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`;
  assert.ok(isRecord(response.body), text);
  const { backupCodes: beside, ...body } = response.body;
  if (beside !== undefined) return { response: { ...response, body }, codes: expectBackupCodes(beside, what) };
  assert.ok(isRecord(body.data), text);
  const { backupCodes: inData, ...data } = body.data;
  return { response: { ...response, body: { ...body, data } }, codes: expectBackupCodes(inData, what) };
}

export function expectBackupCodes(value: unknown, what = 'backup codes'): string[] {
  assert.ok(Array.isArray(value), `${what}: no backup codes`);
  assert.equal(value.length, 10, `${what}: ${value.length} codes`);
  for (const code of value) assert.match(String(code), BACKUP_CODE, what);
  assert.equal(new Set(value).size, 10, `${what}: codes repeat`);
  return value.map(String);
}

/**
 * The answer of a finished "turn Duo on" step: `{ data: { enabled: true, jwt } }`. Turning Duo on ends the sessions
 * without the Duo claim, so the client gets one that has it. Returns that token.
 */
export function expectEnabled(response: ApiResponse, what = 'enable'): string {
  const data = dataOf(response, what);
  assert.deepEqual(
    Object.keys(data)
      .filter((key) => key !== 'backupCodes')
      .sort(),
    ['enabled', 'jwt'],
    `${what}: ${JSON.stringify(response.body)}`,
  );
  if ('backupCodes' in data) expectBackupCodes(data.backupCodes, what);
  assert.equal(data.enabled, true);
  const jwt = String(data.jwt);
  assert.equal(jwtPayload(jwt).duo, 'allow', `${what}: the new session carries the Duo claim`);
  return jwt;
}
