import assert from 'node:assert/strict';

import type { DuoErrorReason } from '../../server/src/duo/errors';
import { errorOf, isRecord, JWT_PATTERN } from './client-answers';
import { auditEntries, type AuditEntry } from './plugin-rows';
import type { Bed, FailMode, Subject } from './fault-bed';
import { severeLogs } from './logs';
import type { ApiResponse } from './strapi';

/** What the fault matrix checks after every answer: the answer itself, the audit trail, the logs. */

/** Response text for assertion messages, with anything token-like blanked: tokens are never printed. */
export function shown(response: ApiResponse): string {
  const text = typeof response.body === 'string' ? response.body : (JSON.stringify(response.body) ?? '');
  return `HTTP ${response.status} ${text.replace(new RegExp(JWT_PATTERN.source, 'g'), '<token>')}`;
}

export function assertNoTokenIn(response: ApiResponse, what: string): void {
  const text = JSON.stringify(response.body) ?? '';
  assert.ok(!JWT_PATTERN.test(text), `${what}: a token in the body: ${shown(response)}`);
  assert.doesNotMatch(text, /"(jwt|token)"\s*:/, `${what}: a token field: ${shown(response)}`);
  for (const [name, value] of response.headers.entries()) {
    assert.ok(!JWT_PATTERN.test(value), `${what}: a token in the ${name} header`);
  }
}

/** The token of a successful answer: `{ jwt, user }` (clients) or `{ data: { token, user } }` (staff). */
export function tokenOf(subject: Pick<Subject, 'audience' | 'id'>, response: ApiResponse, what: string): string {
  assert.equal(response.status, 200, `${what}: ${shown(response)}`);
  const body = response.body;
  assert.ok(isRecord(body), `${what}: ${shown(response)}`);
  const answer = subject.audience === 'clients' ? body : body.data;
  assert.ok(isRecord(answer), `${what}: ${shown(response)}`);
  const token = subject.audience === 'clients' ? answer.jwt : answer.token;
  assert.equal(typeof token, 'string', `${what}: no token: ${shown(response)}`);
  assert.ok(isRecord(answer.user) && answer.user.id === subject.id, `${what}: the token is for someone else`);
  return token as string;
}

/** The token works and says how it passed Duo: `claim`. */
export async function expectTokenWorks(
  subject: Pick<Subject, 'me' | 'duoOf'>,
  token: string,
  claim: 'allow' | 'fail-open',
  what: string,
): Promise<void> {
  assert.equal(await subject.duoOf(token), claim, `${what}: the session's duo claim`);
  assert.equal((await subject.me(token)).status, 200, `${what}: the session works`);
}

/** A working session for the subject whose `duo` claim is `claim`. */
export async function expectSession(
  subject: Subject,
  response: ApiResponse,
  claim: 'allow' | 'fail-open',
  what: string,
): Promise<void> {
  await expectTokenWorks(subject, tokenOf(subject, response, what), claim, what);
}

/** Answers the Duo step with the current Duo Mobile passcode: a working session that Duo allowed. */
export async function finishWithPasscode(bed: Bed, subject: Subject, stepId: string): Promise<void> {
  const passcode = bed.duo.currentPasscode(subject.duoUsername);
  await expectSession(subject, await subject.step('passcode', { step: stepId, passcode }), 'allow', 'passcode step');
}

/** Strapi's error envelope naming `name` and `details`, no token anywhere. */
export function expectRefusal(response: ApiResponse, name: string, details: unknown, what: string): void {
  assertNoTokenIn(response, what);
  const error = errorOf(response, 400);
  assert.equal(error.name, name, `${what}: ${shown(response)}`);
  assert.deepEqual(error.details, details, `${what}: ${shown(response)}`);
}

/** Fail closed: DuoUnavailableError naming the failure. */
export function expectUnavailable(response: ApiResponse, reason: DuoErrorReason, what: string): void {
  expectRefusal(response, 'DuoUnavailableError', { reason }, what);
  assert.match(errorOf(response, 400).message, /two-factor authentication service is unavailable/);
}

/**
 * The fail mode a failure gets: open applies only to Duo being out of reach; Duo refusing this server's keys or
 * application type (`api`), a refused TLS certificate (`tls`) and bad configuration (`config`) always refuse.
 */
export function appliedFailMode(failMode: FailMode, reason: DuoErrorReason): FailMode {
  const outage = reason === 'unavailable' || reason === 'timeout' || reason === 'rate-limited' || reason === 'protocol';
  return outage ? failMode : 'closed';
}

export type FailModeEntries = Record<FailMode | 'denied', AuditEntry[]>;

export async function failModeEntries(bed: Bed, subject: Pick<Subject, 'audience' | 'id'>): Promise<FailModeEntries> {
  const of = (event: string) => auditEntries(bed.strapi, { audience: subject.audience, userId: subject.id, event });
  return {
    closed: await of('login.fail-closed'),
    open: await of('login.fail-open'),
    denied: await of('step.denied'),
  };
}

/** Exactly one entry of `kind` (the fail mode's event, or `step.denied`), naming `reason`; none of the others. */
export function assertAudited(
  kind: FailMode | 'denied',
  before: FailModeEntries,
  after: FailModeEntries,
  reason: string,
): void {
  for (const other of ['closed', 'open', 'denied'] as const) {
    if (other === kind) continue;
    assert.equal(after[other].length, before[other].length, `no ${other} entry`);
  }
  assert.equal(after[kind].length, before[kind].length + 1, `one ${kind} entry`);
  const entry = after[kind].at(-1);
  const outcome = kind === 'closed' ? 'refused' : kind === 'open' ? 'admitted' : reason;
  assert.equal(entry?.outcome, outcome);
  assert.deepEqual(entry?.detail, { reason }, 'the entry names the kind of failure');
  assert.ok(!JWT_PATTERN.test(JSON.stringify(entry)), 'no token in the audit entry');
}

/**
 * Nothing crashed, nothing was logged at warning or above (but what `expectedWarning` names, once; and Strapi's own
 * `strapiWarning`, which is not about Duo), no token in the logs, Strapi still answers.
 */
export async function assertQuiet(
  bed: Bed,
  logsBefore: number,
  expectedWarning?: RegExp,
  strapiWarning?: RegExp,
): Promise<void> {
  const fresh = bed.h.app.logs.slice(logsBefore);
  const ours = severeLogs(fresh).filter((entry) => strapiWarning === undefined || !strapiWarning.test(entry.message));
  const severe = ours.map(
    (entry) => `${entry.level}: ${entry.message.replace(new RegExp(JWT_PATTERN.source, 'g'), '<token>')}`,
  );
  if (expectedWarning === undefined) {
    assert.deepEqual(severe, [], 'no warning or error logged');
  } else {
    assert.equal(severe.length, 1, `one warning for the operator: ${severe.join(' | ')}`);
    assert.match(severe[0] ?? '', expectedWarning);
  }
  assert.ok(!fresh.some((entry) => JWT_PATTERN.test(entry.message)), 'no token in the logs');
  assert.deepEqual(bed.unhandled.map(String), [], 'no unhandled rejection');
  assert.equal((await fetch(new URL('/_health', bed.h.app.baseUrl))).status, 204, 'Strapi answers');
}

export function stepState(response: ApiResponse): unknown {
  const body = response.body;
  return response.status === 200 && isRecord(body) && isRecord(body.data) ? body.data.state : undefined;
}
