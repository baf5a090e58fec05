import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';

import type { Strapi } from '@strapi/strapi';

import type { DuoErrorReason } from '../../server/src/duo/errors';
import {
  startDuoSandbox,
  type DuoSandbox,
  type Fault,
  type SandboxStats,
  type UserSpec,
} from '../../server/src/sandbox';
import {
  auditEntries,
  createClient,
  errorOf,
  expectDuoRequired,
  isRecord,
  JWT_PATTERN,
  jwtPayload,
  login,
  startClientsHarness,
  step,
  type AuditEntry,
  type ClientsHarness,
  type DuoRequired,
} from './clients-harness';
import { printFigure } from './figures';
import { severeLogs } from './logs';
import { adminLogin, adminTokenDuo, createAdmin, expectAdminDuoRequired, staffStep } from './staff';
import { duoConfigPath, type ApiResponse } from './strapi';
import { makeTestCertificates } from './test-ca';

/**
 * Issue 6, item 1: the fault matrix. Every way Duo can fail (or merely be slow or skewed) is met by a real login of
 * each audience — clients on `POST /api/auth/local`, staff on `POST /admin/login` — with one fail mode per test file
 * (each file is one process and one Strapi boot). Each case asserts what a user would notice: the answer (refused
 * with DuoUnavailableError, or admitted with a `fail-open` token and an audit entry, or the normal Duo step when the
 * fault is one the plugin must absorb), how long it took, that nothing leaked a token, that nothing crashed or
 * logged an error, and that the next login works again once the fault is gone. A second, smaller table puts faults
 * on the calls of the Duo step itself (push, enrolment status, passcode), where the fail mode applies too.
 */

export type Audience = 'clients' | 'staff';
export type FailMode = 'closed' | 'open';

/** `LOGIN_TIMEOUTS.shortMs` in server/src/engine/duo-provider.ts: the deadline of preauth and passcode calls. */
export const SHORT_DEADLINE_MS = 8_000;
/** `rateLimitBudgetMs` of the Duo client (its default; the provider keeps it): how long 429s are retried. */
export const RATE_LIMIT_BUDGET_MS = 10_000;
/** Room for bcrypt, database writes and a 2-core machine shared with other test suites. */
export const MARGIN_MS = 4_000;

/** What the test bed offers a case to inject its fault with. */
interface FaultBed {
  readonly strapi: Strapi;
  /** The Duo the plugin was activated against (keys checked, users known). */
  readonly duo: DuoSandbox;
  /** The same keys behind HTTPS with a certificate from a CA nobody configured the plugin to trust. */
  readonly untrustedTls: DuoSandbox;
}

type Undo = () => Promise<void> | void;

/** What the two sandboxes saw during the login (requests by path, TCP connections). */
interface Seen {
  readonly duo: StatsDelta;
  readonly untrustedTls: StatsDelta;
}

interface StatsDelta {
  readonly connections: number;
  readonly requests: number;
  path(name: string): number;
}

interface FaultCase {
  readonly name: string;
  /**
   * `fails`: Duo cannot be used, the fail mode decides (audited with `reason`, the Duo client's error reason).
   * `proceeds`: the plugin must absorb the fault and the login goes on to the normal Duo step.
   */
  readonly outcome: { readonly kind: 'fails'; readonly reason: DuoErrorReason } | { readonly kind: 'proceeds' };
  /** The plugin's own limit for this case (deadline or rate-limit budget); the answer must come within it + margin. */
  readonly limitMs: number;
  /** Failures that need no waiting must not sit out the deadline either. */
  readonly immediate?: boolean;
  inject(bed: FaultBed): Promise<Undo>;
  /** Proof that the login met the fault it is named for (not some other failure). */
  met(seen: Seen): void;
}

// --- injecting faults ----------------------------------------------------------------------------------------------

function sandboxFault(fault: Fault): FaultCase['inject'] {
  return (bed) => {
    bed.duo.setFault(fault);
    return Promise.resolve(() => bed.duo.clearFaults());
  };
}

function skew(ms: number): FaultCase['inject'] {
  return (bed) => {
    bed.duo.setSkew(ms);
    return Promise.resolve(() => bed.duo.setSkew(0));
  };
}

type CredentialOverride = { readonly apiHostname?: string; readonly secretKey?: string };

/**
 * Points the live configuration at a broken Duo (unreachable, unresolvable, TLS-failing host, wrong Secret Key).
 *
 * Why this path: the settings API tests the connection and refuses a configuration that fails (an active one is
 * never replaced by a broken one), so a broken configuration cannot be saved there. The way one does go live is
 * through `config/plugins.js` → `settings` (README "Configuration"; the playground fills it from DUO_API_HOSTNAME /
 * DUO_SKEY): those values win over the stored ones and are never tested before use. Booting Strapi once per host
 * would cost a boot per case, so this changes the same configuration entry in the running app — exactly what the
 * settings service reads on every (uncached) read — and waits until the plugin's effective settings show it.
 */
function credentialOverride(values: (bed: FaultBed) => CredentialOverride): FaultCase['inject'] {
  return async (bed) => {
    const key = duoConfigPath(bed.strapi, 'settings');
    const previous = bed.strapi.config.get<CredentialOverride | undefined>(key);
    const wanted = values(bed);
    bed.strapi.config.set(key, { ...previous, ...wanted });
    await effectiveSettingsShow(bed.strapi, wanted);
    return async () => {
      bed.strapi.config.set(key, previous);
      await effectiveSettingsShow(bed.strapi, { apiHostname: bed.duo.url, secretKey: bed.duo.skey });
    };
  };
}

interface SettingsReader {
  get(): Promise<{ apiHostname: string; secretKey: string }>;
}

async function effectiveSettingsShow(strapi: Strapi, wanted: CredentialOverride): Promise<void> {
  const settings = strapi.plugin('duo-security').service('settings') as SettingsReader;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const current = await settings.get();
    const hostOk = wanted.apiHostname === undefined || current.apiHostname === wanted.apiHostname;
    const secretOk = wanted.secretKey === undefined || current.secretKey === wanted.secretKey;
    if (hostOk && secretOk) return;
    assert.ok(Date.now() < deadline, 'the plugin never picked up the changed configuration');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A Secret Key of the right shape that is not the application's. Never printed. */
function wrongSecretKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 40 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/**
 * A name under `.invalid`, which RFC 6761 reserves so that it never resolves. Outside production the hostname
 * policy (server/src/duo/hostname-policy.ts) lets HTTPS reach any name, so this really goes to the resolver and
 * fails there (in production the policy itself would refuse it: a `config` error, which the fail mode also covers).
 * The only traffic leaving loopback in this suite is that one DNS question to the system resolver.
 */
const UNRESOLVABLE_HOST = 'api-doesnotexist.duosecurity.invalid';

async function assertDoesNotResolve(host: string): Promise<void> {
  await assert.rejects(lookup(host), (error: NodeJS.ErrnoException) => {
    assert.ok(error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN', `${host}: ${error.code}`);
    return true;
  });
}

// --- evidence ------------------------------------------------------------------------------------------------------

const PREAUTH = '/auth/v2/preauth';

function reachedDuo(seen: Seen): void {
  assert.ok(seen.duo.path(PREAUTH) >= 1, 'the login asked Duo (preauth), which met the fault');
}

function neverReachedDuo(seen: Seen): void {
  assert.equal(seen.duo.requests, 0, 'no request reached the working Duo');
  assert.equal(seen.untrustedTls.requests, 0, 'no request got through TLS');
}

// --- the matrix ----------------------------------------------------------------------------------------------------

const fails = (reason: DuoErrorReason) => ({ kind: 'fails', reason }) as const;
const RETRY_AFTER_S = 2;
const BODY_NAMES = { json: "Duo's JSON error body", html: 'an HTML error page', empty: 'an empty body' } as const;

/** Duo (the working sandbox) answers every call with this fault at once: the fail mode applies, no waiting. */
function duoAnswers(name: string, fault: Fault, reason: DuoErrorReason): FaultCase {
  return {
    name,
    outcome: fails(reason),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: sandboxFault(fault),
    met: reachedDuo,
  };
}

const FAULT_CASES: readonly FaultCase[] = [
  {
    name: 'connection refused',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: async (bed) => {
      const port = await closedLoopbackPort();
      return credentialOverride(() => ({ apiHostname: `http://127.0.0.1:${port}` }))(bed);
    },
    met: neverReachedDuo,
  },
  {
    name: 'host does not resolve',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    inject: async (bed) => {
      await assertDoesNotResolve(UNRESOLVABLE_HOST);
      return credentialOverride(() => ({ apiHostname: UNRESOLVABLE_HOST }))(bed);
    },
    met: neverReachedDuo,
  },
  {
    name: 'TLS: certificate from an untrusted CA',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride((bed) => ({ apiHostname: bed.untrustedTls.url })),
    met: (seen) => {
      neverReachedDuo(seen);
      assert.ok(seen.untrustedTls.connections >= 1, 'the TLS server was reached and the handshake refused');
    },
  },
  {
    name: 'TLS: the host answers plain HTTP',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride((bed) => ({ apiHostname: bed.duo.url.replace(/^http:/, 'https:') })),
    met: (seen) => {
      neverReachedDuo(seen);
      assert.ok(seen.duo.connections >= 1, 'the plain-HTTP Duo was reached, its answer to the handshake refused');
    },
  },
  duoAnswers('connection dropped mid-request', { kind: 'close' }, 'unavailable'),
  {
    name: 'no answer (hang) beyond the deadline',
    outcome: fails('timeout'),
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'hang' }),
    met: reachedDuo,
  },
  {
    name: 'slow answers (1.5 s a call) under the deadline',
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'latency', ms: 1_500 }),
    met: reachedDuo,
  },
  ...([500, 503] as const).flatMap((status) =>
    (['json', 'html', 'empty'] as const).map((body) =>
      duoAnswers(`HTTP ${status} with ${BODY_NAMES[body]}`, { kind: 'status', status, body }, 'unavailable'),
    ),
  ),
  {
    name: `HTTP 429 storm with Retry-After: ${RETRY_AFTER_S}`,
    outcome: fails('rate-limited'),
    limitMs: RATE_LIMIT_BUDGET_MS,
    inject: sandboxFault({ kind: 'rate-limit', retryAfter: RETRY_AFTER_S }),
    met: (seen) => {
      const tries = seen.duo.path(PREAUTH);
      // Retries while the budget allows, each after the Retry-After wait: no hammering, no giving up at once.
      const most = Math.ceil(RATE_LIMIT_BUDGET_MS / (RETRY_AFTER_S * 1000)) + 1;
      assert.ok(tries >= 2 && tries <= most, `preauth tried ${tries} times; expected 2 to ${most}`);
    },
  },
  duoAnswers('garbage body', { kind: 'garbage' }, 'protocol'),
  duoAnswers('HTML body with HTTP 200 (captive portal)', { kind: 'html' }, 'protocol'),
  duoAnswers('empty body with HTTP 200', { kind: 'empty' }, 'protocol'),
  duoAnswers('wrong application type (40301)', { kind: 'wrong-app-type' }, 'api'),
  {
    name: 'wrong Secret Key (40103)',
    outcome: fails('api'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride(() => ({ secretKey: wrongSecretKey() })),
    met: reachedDuo,
  },
  {
    name: "server clock 10 minutes behind Duo's (skew +10 min)",
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: skew(10 * 60_000),
    met: measuredClock,
  },
  {
    name: "server clock 10 minutes ahead of Duo's (skew -10 min)",
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: skew(-10 * 60_000),
    met: measuredClock,
  },
];

function measuredClock(seen: Seen): void {
  reachedDuo(seen);
  assert.ok(seen.duo.path('/auth/v2/ping') >= 1, "the plugin measured Duo's clock (ping) to correct the skew");
}

// --- faults inside the Duo step ------------------------------------------------------------------------------------

/**
 * Duo fails after the password step succeeded, on a call of the Duo step itself. The fail mode applies there too:
 * closed refuses that call with DuoUnavailableError and the step stays open for when Duo is back; open lets the
 * step through, and its next status call hands out a `fail-open` session.
 */
interface StepFaultCase {
  readonly name: string;
  /** What Duo knows of the fresh subject the case signs in with. */
  readonly duo: Omit<UserSpec, 'username'> | false;
  /** The fault, set once the step is open (and `ready` done). */
  readonly fault: Fault;
  readonly reason: DuoErrorReason;
  /** Anything the step needs before the call that meets the fault. */
  ready?(subject: Subject, stepId: string): Promise<void>;
  /** The call of the step that meets the fault. */
  call(subject: Subject, stepId: string): Promise<ApiResponse>;
  /**
   * Fail open: what that call answers. `pending`: the step is let through and its next status hands out the
   * session (push, enrolment); `session`: the call itself answers with it (passcode).
   */
  readonly failsOpenWith: 'pending' | 'session';
  /** Fail closed, once Duo is back: the same step is still usable. */
  resumes(bed: Bed, subject: Subject, stepId: string): Promise<void>;
}

const STEP_FAULT_CASES: readonly StepFaultCase[] = [
  {
    name: 'Verified Push started while Duo drops the connection',
    duo: { verifiedPush: true },
    fault: { kind: 'close' },
    reason: 'unavailable',
    call: (subject, stepId) => subject.step('push', { step: stepId }),
    failsOpenWith: 'pending',
    resumes: (bed, subject, stepId) => finishWithPasscode(bed, subject, stepId),
  },
  {
    name: 'enrolment followed while Duo answers 503',
    duo: false,
    fault: { kind: 'status', status: 503, body: 'json' },
    reason: 'unavailable',
    ready: async (subject, stepId) => {
      const started = await subject.step('enroll', { step: stepId });
      assert.equal(started.status, 200, `enroll: ${shown(started)}`);
    },
    call: (subject, stepId) => subject.step('status', { step: stepId, wait: false }),
    failsOpenWith: 'pending',
    resumes: async (_bed, subject, stepId) => {
      const status = await subject.step('status', { step: stepId, wait: false });
      assertNoTokenIn(status, 'status after the fault');
      assert.equal(stepState(status), 'enrolling', `status after the fault: ${shown(status)}`);
    },
  },
  {
    name: 'passcode checked while Duo answers 500 with an HTML page',
    duo: {},
    fault: { kind: 'status', status: 500, body: 'html' },
    reason: 'unavailable',
    call: (subject, stepId) => subject.step('passcode', { step: stepId, passcode: '000000' }),
    failsOpenWith: 'session',
    resumes: (bed, subject, stepId) => finishWithPasscode(bed, subject, stepId),
  },
];

function stepState(response: ApiResponse): unknown {
  const body = response.body;
  return response.status === 200 && isRecord(body) && isRecord(body.data) ? body.data.state : undefined;
}

// --- subjects ------------------------------------------------------------------------------------------------------

type StepAction = 'push' | 'phone' | 'sms' | 'passcode' | 'status' | 'enroll' | 'cancel';

/** Someone who must use Duo, signing in on their audience's routes. */
interface Subject {
  readonly audience: Audience;
  readonly id: number;
  readonly duoUsername: string;
  readonly login: () => Promise<ApiResponse>;
  readonly step: (action: StepAction, body: unknown) => Promise<ApiResponse>;
  /** An authenticated request with the given token: the token must work. */
  readonly me: (token: string) => Promise<ApiResponse>;
  readonly required: (response: ApiResponse, what: string) => DuoRequired;
  /** How the session of `token` passed Duo: the client token's claim; the admin session's (host-aware). */
  readonly duoOf: (token: string) => Promise<unknown>;
}

async function newSubject(
  h: ClientsHarness,
  audience: Audience,
  duo: Omit<UserSpec, 'username'> | false = {},
): Promise<Subject> {
  if (audience === 'clients') {
    const client = await createClient(h, { prefix: 'faultclient', duo });
    return {
      audience,
      id: client.id,
      duoUsername: client.duoUsername,
      login: () => login(h.app, client.email, client.password),
      step: (action, body) => step(h.app, action, body),
      me: (token) => h.app.api('/api/users/me', { token }),
      required: (response, what) => expectDuoRequired(response, what),
      duoOf: (token) => Promise.resolve(jwtPayload(token).duo),
    };
  }
  const admin = await createAdmin(h, { prefix: 'faultadmin', duo });
  return {
    audience,
    id: admin.id,
    duoUsername: admin.email,
    login: () => adminLogin(h.app, admin.email, admin.password),
    step: (action, body) => staffStep(h.app, action, body),
    me: (token) => h.app.api('/admin/users/me', { token }),
    required: (response, what) => expectAdminDuoRequired(response, what),
    duoOf: (token) => adminTokenDuo(h.app, token),
  };
}

// --- the test bed --------------------------------------------------------------------------------------------------

interface Bed extends FaultBed {
  readonly h: ClientsHarness;
  readonly subjects: Readonly<Record<Audience, Subject>>;
  readonly unhandled: unknown[];
}

/** A loopback port nothing listens on (taken from the system and given back). */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

async function startBed(failMode: FailMode, unhandled: unknown[]): Promise<Bed> {
  // Enforcement `required`: the subjects must use Duo without turning it on themselves.
  const audience = { enabled: true, enforcement: 'required', failMode } as const;
  const h = await startClientsHarness({ clients: audience, staff: audience });
  let untrustedTls: DuoSandbox | undefined;
  try {
    // Settings are cached per instance (5 s by default); the override cases must be seen at once.
    h.strapi.config.set(duoConfigPath(h.strapi, 'settingsCacheSeconds'), 0);
    const certificates = makeTestCertificates();
    untrustedTls = await startDuoSandbox({
      port: 0,
      ikey: h.sandbox.ikey,
      skey: h.sandbox.skey,
      tls: { key: certificates.key, cert: certificates.cert },
    });
    const subjects = { clients: await newSubject(h, 'clients'), staff: await newSubject(h, 'staff') };
    return { h, strapi: h.strapi, duo: h.sandbox, untrustedTls, unhandled, subjects };
  } catch (error) {
    await untrustedTls?.close();
    await h.close();
    throw error;
  }
}

// --- assertions ----------------------------------------------------------------------------------------------------

/** Response text for assertion messages, with anything token-like blanked: tokens are never printed. */
function shown(response: ApiResponse): string {
  const text = typeof response.body === 'string' ? response.body : (JSON.stringify(response.body) ?? '');
  return `HTTP ${response.status} ${text.replace(new RegExp(JWT_PATTERN.source, 'g'), '<token>')}`;
}

function assertNoTokenIn(response: ApiResponse, what: string): void {
  const text = JSON.stringify(response.body) ?? '';
  assert.ok(!JWT_PATTERN.test(text), `${what}: a token in the body: ${shown(response)}`);
  assert.doesNotMatch(text, /"(jwt|token)"\s*:/, `${what}: a token field: ${shown(response)}`);
  for (const [name, value] of response.headers.entries()) {
    assert.ok(!JWT_PATTERN.test(value), `${what}: a token in the ${name} header`);
  }
}

/** The token of a successful answer: `{ jwt, user }` (clients) or `{ data: { token, user } }` (staff). */
function tokenOf(subject: Subject, response: ApiResponse, what: string): string {
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

/** A working session for the subject whose `duo` claim is `claim`. */
async function expectSession(
  subject: Subject,
  response: ApiResponse,
  claim: 'allow' | 'fail-open',
  what: string,
): Promise<void> {
  const token = tokenOf(subject, response, what);
  assert.equal(await subject.duoOf(token), claim, `${what}: the session's duo claim`);
  assert.equal((await subject.me(token)).status, 200, `${what}: the session works`);
}

/** Answers the Duo step with the current Duo Mobile passcode: a working session that Duo allowed. */
async function finishWithPasscode(bed: Bed, subject: Subject, stepId: string): Promise<void> {
  const passcode = bed.duo.currentPasscode(subject.duoUsername);
  await expectSession(subject, await subject.step('passcode', { step: stepId, passcode }), 'allow', 'passcode step');
}

/** Fail closed: Strapi's error envelope, DuoUnavailableError naming the failure, no token anywhere. */
function expectUnavailable(response: ApiResponse, reason: DuoErrorReason, what: string): void {
  assertNoTokenIn(response, what);
  const error = errorOf(response, 400);
  assert.equal(error.name, 'DuoUnavailableError', `${what}: ${shown(response)}`);
  assert.match(error.message, /two-factor authentication service is unavailable/);
  assert.deepEqual(error.details, { reason }, `${what}: ${shown(response)}`);
}

/**
 * The fail mode a failure gets: open applies only to Duo being out of reach; Duo refusing this server's keys or
 * application type (`api`) and bad configuration (`config`) always refuse.
 */
function appliedFailMode(failMode: FailMode, reason: DuoErrorReason): FailMode {
  const outage = reason === 'unavailable' || reason === 'timeout' || reason === 'rate-limited' || reason === 'protocol';
  return outage ? failMode : 'closed';
}

type FailModeEntries = Record<FailMode, AuditEntry[]>;

async function failModeEntries(bed: Bed, subject: Subject): Promise<FailModeEntries> {
  const of = (event: string) => auditEntries(bed.strapi, { audience: subject.audience, userId: subject.id, event });
  return { closed: await of('login.fail-closed'), open: await of('login.fail-open') };
}

/** Exactly one entry of the fail mode's event, naming the failure; none of the other. */
function assertAudited(failMode: FailMode, before: FailModeEntries, after: FailModeEntries, reason: DuoErrorReason) {
  const other: FailMode = failMode === 'closed' ? 'open' : 'closed';
  assert.equal(after[other].length, before[other].length, `no login.fail-${other} entry`);
  assert.equal(after[failMode].length, before[failMode].length + 1, `one login.fail-${failMode} entry`);
  const entry = after[failMode].at(-1);
  assert.equal(entry?.outcome, failMode === 'closed' ? 'refused' : 'admitted');
  assert.deepEqual(entry?.detail, { reason }, 'the entry names the kind of failure');
  assert.ok(!JWT_PATTERN.test(JSON.stringify(entry)), 'no token in the audit entry');
}

async function assertQuiet(bed: Bed, logsBefore: number): Promise<void> {
  const fresh = bed.h.app.logs.slice(logsBefore);
  const severe = severeLogs(fresh);
  assert.deepEqual(
    severe.map((entry) => `${entry.level}: ${entry.message.replace(new RegExp(JWT_PATTERN.source, 'g'), '<token>')}`),
    [],
    'no warning or error logged',
  );
  assert.ok(!fresh.some((entry) => JWT_PATTERN.test(entry.message)), 'no token in the logs');
  assert.deepEqual(bed.unhandled.map(String), [], 'no unhandled rejection');
  assert.equal((await fetch(new URL('/_health', bed.h.app.baseUrl))).status, 204, 'Strapi answers');
}

function stats(sandbox: DuoSandbox): SandboxStats {
  const { byPath, ...counts } = sandbox.stats();
  return { ...counts, byPath: { ...byPath } };
}

function delta(before: SandboxStats, after: SandboxStats): StatsDelta {
  return {
    connections: after.connections - before.connections,
    requests: after.requests - before.requests,
    path: (name) => (after.byPath[name] ?? 0) - (before.byPath[name] ?? 0),
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

// --- running it ----------------------------------------------------------------------------------------------------

async function runCase(bed: Bed, failMode: FailMode, subject: Subject, fault: FaultCase): Promise<number> {
  const logsBefore = bed.h.app.logs.length;
  const auditBefore = await failModeEntries(bed, subject);
  const statsBefore = { duo: stats(bed.duo), untrustedTls: stats(bed.untrustedTls) };
  const undo = await fault.inject(bed);
  let ms: number;
  try {
    const answer = await timed(() => subject.login());
    ms = answer.ms;
    const response = answer.value;
    fault.met({
      duo: delta(statsBefore.duo, stats(bed.duo)),
      untrustedTls: delta(statsBefore.untrustedTls, stats(bed.untrustedTls)),
    });

    assert.ok(ms < fault.limitMs + MARGIN_MS, `answered after ${ms} ms (bound ${fault.limitMs + MARGIN_MS} ms)`);
    if (fault.immediate) assert.ok(ms < SHORT_DEADLINE_MS, `sat out the deadline: ${ms} ms`);

    const auditAfter = await failModeEntries(bed, subject);
    if (fault.outcome.kind === 'proceeds') {
      // Absorbed, not failed open: the normal Duo step, and nothing recorded as a Duo failure.
      assertNoTokenIn(response, 'password step');
      const required = subject.required(response, 'password step');
      assert.equal(required.duo.result, 'auth', 'Duo offers its factors');
      assert.deepEqual(auditAfter, auditBefore, 'no fail-mode audit entry');
      const finished = await timed(() => finishWithPasscode(bed, subject, required.stepId));
      assert.ok(finished.ms < fault.limitMs + MARGIN_MS, `the passcode step took ${finished.ms} ms`);
    } else {
      const applied = appliedFailMode(failMode, fault.outcome.reason);
      if (applied === 'closed') expectUnavailable(response, fault.outcome.reason, 'refused login');
      else await expectSession(subject, response, 'fail-open', 'fail-open login');
      assertAudited(applied, auditBefore, auditAfter, fault.outcome.reason);
    }
  } finally {
    await undo();
  }

  // Nothing crashed and nothing stuck: once the fault is gone the next login reaches the Duo step again.
  const again = await subject.login();
  assertNoTokenIn(again, 'login after the fault');
  subject.required(again, 'login after the fault');
  await assertQuiet(bed, logsBefore);
  return ms;
}

async function runStepCase(bed: Bed, failMode: FailMode, audience: Audience, fault: StepFaultCase): Promise<number> {
  const subject = await newSubject(bed.h, audience, fault.duo);
  const { stepId } = subject.required(await subject.login(), 'password step');
  await fault.ready?.(subject, stepId);
  const logsBefore = bed.h.app.logs.length;
  const auditBefore = await failModeEntries(bed, subject);
  bed.duo.setFault(fault.fault);
  let ms: number;
  try {
    const answer = await timed(() => fault.call(subject, stepId));
    ms = answer.ms;
    const response = answer.value;
    assert.ok(ms < SHORT_DEADLINE_MS + MARGIN_MS, `answered after ${ms} ms`);
    if (failMode === 'closed') {
      expectUnavailable(response, fault.reason, 'step call');
    } else if (fault.failsOpenWith === 'session') {
      await expectSession(subject, response, 'fail-open', 'step call');
    } else {
      // The step is let through without Duo; the session comes from the step's status, as after an approval.
      assertNoTokenIn(response, 'step call');
      assert.equal(stepState(response), 'pending', `step call: ${shown(response)}`);
    }
    assertAudited(failMode, auditBefore, await failModeEntries(bed, subject), fault.reason);
  } finally {
    bed.duo.clearFaults();
  }
  if (failMode === 'closed') await fault.resumes(bed, subject, stepId);
  else if (fault.failsOpenWith === 'pending')
    await expectSession(subject, await subject.step('status', { step: stepId }), 'fail-open', 'status');
  await assertQuiet(bed, logsBefore);
  return ms;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * The whole matrix for one fail mode, on one Strapi boot: one describe per audience, one test per fault on the
 * login, then one per fault inside the Duo step.
 */
export function runFaultMatrix(failMode: FailMode): void {
  let bed: Bed | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : reason);
  };
  const times: Array<{ name: string; ms: number }> = [];

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    bed = await startBed(failMode, unhandled);
  });
  after(async () => {
    try {
      await bed?.untrustedTls.close();
      await bed?.h.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    if (times.length === 0) return;
    const slowest = [...times].sort((a, b) => b.ms - a.ms).slice(0, 2);
    printFigure(
      `fault matrix, fail ${failMode}`,
      `${times.length} answers under a fault; median ${median(times.map((t) => t.ms))} ms; slowest ` +
        slowest.map((t) => `${t.name} ${(t.ms / 1000).toFixed(1)} s`).join(', '),
    );
  });

  const refused = 'refused: DuoUnavailableError';
  const failed = failMode === 'closed' ? refused : 'admitted: fail-open token, audited';
  const timedTest = (audience: Audience, name: string, work: (bed: Bed) => Promise<number>) =>
    test(name, async () => {
      assert.ok(bed !== undefined, 'the test bed started');
      times.push({ name: `${audience}: ${name.replace(/ → .*/, '')}`, ms: await work(bed) });
    });

  for (const audience of ['clients', 'staff'] as const) {
    describe(`${audience}, fail ${failMode}`, () => {
      for (const fault of FAULT_CASES) {
        const expected =
          fault.outcome.kind === 'proceeds'
            ? 'absorbed: the Duo step proceeds'
            : appliedFailMode(failMode, fault.outcome.reason) === failMode
              ? failed
              : `${refused} (Duo refused this server: not an outage)`;
        timedTest(audience, `${fault.name} → ${expected}`, (b) => runCase(b, failMode, b.subjects[audience], fault));
      }
      for (const fault of STEP_FAULT_CASES) {
        timedTest(audience, `in the Duo step: ${fault.name} → ${failed}`, (b) =>
          runStepCase(b, failMode, audience, fault),
        );
      }
    });
  }
}
