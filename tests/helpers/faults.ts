import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';

import type { Strapi } from '@strapi/strapi';

import type { DuoErrorReason } from '../../server/src/duo/errors';
import { startDuoSandbox, type DuoSandbox, type Fault, type SandboxStats } from '../../server/src/sandbox';
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
import { adminLogin, createAdmin, expectAdminDuoRequired, staffStep } from './staff';
import type { ApiResponse } from './strapi';
import { makeTestCertificates } from './test-ca';

/**
 * Issue 6, item 1: the fault matrix. Every way Duo can fail (or merely be slow or skewed) is met by a real login of
 * each audience — clients on `POST /api/auth/local`, staff on `POST /admin/login` — with one fail mode per test file
 * (each file is one process and one Strapi boot). Each case asserts what a user would notice: the answer (refused
 * with DuoUnavailableError, or admitted with a `fail-open` token and an audit entry, or the normal Duo step when the
 * fault is one the plugin must absorb), how long it took, that nothing leaked a token, that nothing crashed or
 * logged an error, and that the next login works again once the fault is gone.
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
export interface FaultBed {
  readonly strapi: Strapi;
  /** The Duo the plugin was activated against (keys checked, users known). */
  readonly duo: DuoSandbox;
  /** The same keys behind HTTPS with a certificate from a CA nobody configured the plugin to trust. */
  readonly untrustedTls: DuoSandbox;
}

type Undo = () => Promise<void> | void;

/** What the two sandboxes saw during the login (requests by path, TCP connections). */
export interface Seen {
  readonly duo: StatsDelta;
  readonly untrustedTls: StatsDelta;
}

export interface StatsDelta {
  readonly connections: number;
  readonly requests: number;
  path(name: string): number;
}

export interface FaultCase {
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
    const key = 'plugin.duo-security.settings';
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

export const FAULT_CASES: readonly FaultCase[] = [
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

// --- running it ----------------------------------------------------------------------------------------------------

interface Subject {
  readonly audience: Audience;
  readonly id: number;
  readonly login: () => Promise<ApiResponse>;
  readonly passcodeStep: (transaction: string, passcode: string) => Promise<ApiResponse>;
  /** An authenticated request with the given token: the token must work. */
  readonly me: (token: string) => Promise<ApiResponse>;
  readonly required: (response: ApiResponse, what: string) => DuoRequired;
  readonly duoUsername: string;
}

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
    h.strapi.config.set('plugin.duo-security.settingsCacheSeconds', 0);
    const certificates = makeTestCertificates();
    untrustedTls = await startDuoSandbox({
      port: 0,
      ikey: h.sandbox.ikey,
      skey: h.sandbox.skey,
      tls: { key: certificates.key, cert: certificates.cert },
    });
    const client = await createClient(h, { prefix: 'faultclient' });
    const admin = await createAdmin(h, { prefix: 'faultadmin' });
    return {
      h,
      strapi: h.strapi,
      duo: h.sandbox,
      untrustedTls,
      unhandled,
      subjects: {
        clients: {
          audience: 'clients',
          id: client.id,
          duoUsername: client.email,
          login: () => login(h.app, client.email, client.password),
          passcodeStep: (transaction, passcode) => step(h.app, 'passcode', { transaction, passcode }),
          me: (token) => h.app.api('/api/users/me', { token }),
          required: (response, what) => expectDuoRequired(response, what),
        },
        staff: {
          audience: 'staff',
          id: admin.id,
          duoUsername: admin.email,
          login: () => adminLogin(h.app, admin.email, admin.password),
          passcodeStep: (transaction, passcode) => staffStep(h.app, 'passcode', { transaction, passcode }),
          me: (token) => h.app.api('/admin/users/me', { token }),
          required: (response, what) => expectAdminDuoRequired(response, what),
        },
      },
    };
  } catch (error) {
    await untrustedTls?.close();
    await h.close();
    throw error;
  }
}

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

async function failModeEntries(bed: Bed, subject: Subject): Promise<Record<FailMode, AuditEntry[]>> {
  const of = (event: string) => auditEntries(bed.strapi, { audience: subject.audience, userId: subject.id, event });
  return { closed: await of('login.fail-closed'), open: await of('login.fail-open') };
}

/** Completes a Duo step with the current Duo Mobile passcode; the session must carry the claim `allow`. */
async function completeStep(bed: Bed, subject: Subject, required: DuoRequired, limitMs: number): Promise<void> {
  const passcode = bed.duo.currentPasscode(subject.duoUsername);
  const { value: answer, ms } = await timed(() => subject.passcodeStep(required.transaction, passcode));
  assert.ok(ms < limitMs + MARGIN_MS, `the passcode step took ${ms} ms`);
  const token = tokenOf(subject, answer, 'passcode step');
  assert.equal(jwtPayload(token).duo, 'allow', 'the session says Duo allowed it');
  assert.equal((await subject.me(token)).status, 200, 'the session works');
}

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
      assert.equal(auditAfter.closed.length, auditBefore.closed.length, 'no fail-closed entry');
      assert.equal(auditAfter.open.length, auditBefore.open.length, 'no fail-open entry');
      await completeStep(bed, subject, required, fault.limitMs);
    } else if (failMode === 'closed') {
      assertNoTokenIn(response, 'refused login');
      const error = errorOf(response, 400);
      assert.equal(error.name, 'DuoUnavailableError', shown(response));
      assert.match(error.message, /two-factor authentication service is unavailable/);
      assert.deepEqual(error.details, { reason: fault.outcome.reason }, shown(response));
      assertAudited(auditBefore.closed, auditAfter.closed, 'refused', fault.outcome.reason);
      assert.equal(auditAfter.open.length, auditBefore.open.length, 'no fail-open entry');
    } else {
      const token = tokenOf(subject, response, 'fail-open login');
      assert.equal(jwtPayload(token).duo, 'fail-open', 'the token says it passed without Duo');
      assert.equal((await subject.me(token)).status, 200, 'the fail-open session works');
      assertAudited(auditBefore.open, auditAfter.open, 'admitted', fault.outcome.reason);
      assert.equal(auditAfter.closed.length, auditBefore.closed.length, 'no fail-closed entry');
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

function assertAudited(before: AuditEntry[], after: AuditEntry[], outcome: string, reason: DuoErrorReason): void {
  assert.equal(after.length, before.length + 1, 'exactly one audit entry for this login');
  const entry = after.at(-1);
  assert.equal(entry?.outcome, outcome);
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

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** One describe per audience, one test per fault: the whole matrix for one fail mode, on one Strapi boot. */
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
      `${times.length} logins under a fault answered; median ${median(times.map((t) => t.ms))} ms; slowest ` +
        slowest.map((t) => `${t.name} ${(t.ms / 1000).toFixed(1)} s`).join(', '),
    );
  });

  for (const audience of ['clients', 'staff'] as const) {
    describe(`${audience}, fail ${failMode}`, () => {
      for (const fault of FAULT_CASES) {
        const expected =
          fault.outcome.kind === 'proceeds'
            ? 'absorbed: the Duo step proceeds'
            : failMode === 'closed'
              ? 'refused: DuoUnavailableError'
              : 'admitted: fail-open token, audited';
        test(`${fault.name} → ${expected}`, async () => {
          assert.ok(bed !== undefined, 'the test bed started');
          const ms = await runCase(bed, failMode, bed.subjects[audience], fault);
          times.push({ name: `${audience} ${fault.name}`, ms });
        });
      }
    });
  }
}
