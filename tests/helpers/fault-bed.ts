import assert from 'node:assert/strict';
import { createServer } from 'node:net';

import type { Strapi } from '@strapi/strapi';

import { startDuoSandbox, type DuoSandbox, type SandboxStats, type UserSpec } from '../../server/src/sandbox';
import { expectDuoRequired, jwtPayload, type DuoRequired } from './client-answers';
import { createClient, login, startClientsHarness, step, type ClientsHarness } from './clients-harness';
import { adminLogin, adminTokenDuo, createAdmin, expectAdminDuoRequired, staffStep } from './staff';
import { startOfflineProvider, type OfflineProvider } from './social-sign-in';
import { duoConfigPath, type ApiResponse } from './strapi';
import { makeTestCa, makeTestCertificates } from './test-ca';

/**
 * The fault matrix's test bed: one booted Strapi per fail mode, the Duo sandbox it was activated against, the same
 * Duo behind broken TLS, and the subjects who sign in through it. The cases: fault-login-cases.ts,
 * fault-step-cases.ts, fault-path-cases.ts; running them: faults.ts.
 */

export type Audience = 'clients' | 'staff';
export type FailMode = 'closed' | 'open';

/**
 * The deadline of every Duo call answered at once (plugin config `duoCallTimeoutMs`, 8 s by default), and of one
 * status long-poll (`statusWaitMs`, 25 s by default). Short here so that hangs cost the suite seconds, not minutes.
 */
export const SHORT_DEADLINE_MS = 3_000;
/** `rateLimitBudgetMs` of the Duo client (its default; the provider keeps it): how long 429s are retried. */
export const RATE_LIMIT_BUDGET_MS = 10_000;
/** Room for bcrypt, database writes and a 2-core machine shared with other test suites. */
export const MARGIN_MS = 4_000;

/** The name on the certificate of `otherHostTls`: not the host the plugin connects to. */
export const OTHER_HOST_NAME = 'api-other.duosecurity.example';

/** What the test bed offers a case to inject its fault with. */
export interface FaultBed {
  readonly strapi: Strapi;
  /** The Duo the plugin was activated against (keys checked, users known). */
  readonly duo: DuoSandbox;
  /** The same keys behind HTTPS with a certificate from a CA nobody configured the plugin to trust. */
  readonly untrustedTls: DuoSandbox;
  /** Behind HTTPS with a certificate from the trusted CA (plugin config `ca`), but for another host name. */
  readonly otherHostTls: DuoSandbox;
  /** Behind HTTPS with a certificate from the trusted CA, expired. */
  readonly expiredTls: DuoSandbox;
}

export type Undo = () => Promise<void> | void;
export type Inject = (bed: FaultBed) => Promise<Undo>;

export type SandboxName = 'duo' | 'untrustedTls' | 'otherHostTls' | 'expiredTls';
const SANDBOXES: readonly SandboxName[] = ['duo', 'untrustedTls', 'otherHostTls', 'expiredTls'];

/** What each sandbox saw during the login (requests by path, TCP connections). */
export type Seen = Readonly<Record<SandboxName, StatsDelta>>;

export interface StatsDelta {
  readonly connections: number;
  readonly requests: number;
  path(name: string): number;
}

type StepAction = 'push' | 'phone' | 'sms' | 'passcode' | 'status' | 'enroll' | 'cancel';

/** Someone who must use Duo, signing in on their audience's routes. */
export interface Subject {
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

export async function newSubject(
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

export interface Bed extends FaultBed {
  readonly h: ClientsHarness;
  readonly subjects: Readonly<Record<Audience, Subject>>;
  /** An OAuth provider answering offline, for the provider-callback path. */
  readonly provider: OfflineProvider;
  readonly unhandled: unknown[];
  close(): Promise<void>;
}

/** A loopback port nothing listens on (taken from the system and given back). */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

export async function startBed(failMode: FailMode, unhandled: unknown[]): Promise<Bed> {
  // Enforcement `required`: the subjects must use Duo without turning it on themselves.
  const audience = { enabled: true, enforcement: 'required', failMode } as const;
  const h = await startClientsHarness({ clients: audience, staff: audience });
  const started: DuoSandbox[] = [];
  let provider: OfflineProvider | undefined;
  const close = async () => {
    await provider?.close();
    await Promise.all(started.map((sandbox) => sandbox.close()));
    await h.close();
  };
  try {
    const set = (name: string, value: unknown) => h.strapi.config.set(duoConfigPath(h.strapi, name), value);
    // Settings are cached per instance (5 s by default); the override cases must be seen at once.
    set('settingsCacheSeconds', 0);
    set('duoCallTimeoutMs', SHORT_DEADLINE_MS);
    set('statusWaitMs', SHORT_DEADLINE_MS);
    const keys = { port: 0, ikey: h.sandbox.ikey, skey: h.sandbox.skey };
    const untrusted = makeTestCertificates();
    const tls = async (certificate: { key: string; cert: string }) => {
      const sandbox = await startDuoSandbox({ ...keys, tls: certificate });
      started.push(sandbox);
      return sandbox;
    };
    const untrustedTls = await tls({ key: untrusted.key, cert: untrusted.cert });
    // A CA the plugin trusts (as a TLS-inspecting proxy's would be): its certificates fail for their own faults.
    const trusted = makeTestCa();
    set('ca', trusted.ca);
    const otherHostTls = await tls(trusted.issue({ hostname: OTHER_HOST_NAME }));
    const expiredTls = await tls(trusted.issue({ expired: true }));
    provider = await startOfflineProvider(h.strapi, 'faultsso');
    const subjects = { clients: await newSubject(h, 'clients'), staff: await newSubject(h, 'staff') };
    const duo = h.sandbox;
    return { h, strapi: h.strapi, duo, untrustedTls, otherHostTls, expiredTls, provider, unhandled, subjects, close };
  } catch (error) {
    await close();
    throw error;
  }
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

/** Snapshots every sandbox's counters; calling the result gives what each saw since. */
export function watch(bed: FaultBed): () => Seen {
  const before = Object.fromEntries(SANDBOXES.map((name) => [name, stats(bed[name])]));
  return () =>
    Object.fromEntries(
      SANDBOXES.map((name) => [name, delta(before[name] as SandboxStats, stats(bed[name]))]),
    ) as Record<SandboxName, StatsDelta>;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
