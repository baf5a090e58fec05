import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { Strapi } from '@strapi/strapi';
import { Agent, request, type Dispatcher } from 'undici';

import type { DuoSandbox } from '../../server/src/sandbox';
import { clientDuoUsername, type Client } from './clients-harness';
import { parseBody, type ApiResponse } from './strapi';

/**
 * Helpers for the load and brute-force proofs: many clients made quickly, a virtual phone that approves pushes after
 * a random delay, one client's whole Duo push login timed, percentiles, and memory measured after a full GC.
 */

const USER_UID = 'plugin::users-permissions.user';

/**
 * Creates `count` confirmed clients (Authenticated role) that Duo knows, all sharing one password. The first one goes
 * through users-permissions' own service, which hashes the password with Strapi's real bcrypt cost (10); the others
 * are inserted with that same hash, so making 300 of them costs one hash, while every login still pays a real
 * bcrypt comparison on the server.
 */
export async function createLoadClients(
  strapi: Strapi,
  sandbox: DuoSandbox,
  count: number,
  prefix: string,
): Promise<Client[]> {
  const tag = `${prefix}${process.pid}x${Date.now().toString(36)}`;
  const password = `Pw-${tag}-1`;
  const role = (await strapi.db!.query('plugin::users-permissions.role').findOne({
    where: { type: 'authenticated' },
  })) as { id: number } | null;
  if (role === null) throw new Error('no Authenticated role');
  const credentials = (i: number) => {
    const username = `${tag}n${i}`;
    return { username, email: `${username}@example.com` };
  };
  const users = strapi.plugin('users-permissions').service('user') as {
    add(values: Record<string, unknown>): Promise<{ id: number }>;
  };
  const first = credentials(0);
  const created = await users.add({
    ...first,
    password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
  });
  const stored = (await strapi.db!.query(USER_UID).findOne({ where: { id: created.id } })) as {
    password: string;
  } | null;
  if (stored === null || !stored.password.startsWith('$2')) throw new Error('expected a bcrypt hash');
  const clients: Client[] = [{ id: created.id, duoUsername: clientDuoUsername(created.id), ...first, password }];
  for (let i = 1; i < count; i += 1) {
    const next = credentials(i);
    const row = (await strapi.db!.query(USER_UID).create({
      data: {
        ...next,
        password: stored.password,
        provider: 'local',
        confirmed: true,
        blocked: false,
        role: role.id,
      },
    })) as { id: number };
    clients.push({ id: row.id, duoUsername: clientDuoUsername(row.id), ...next, password });
  }
  for (const client of clients) sandbox.addUser({ username: client.duoUsername, verifiedPush: false });
  return clients;
}

export interface Approver {
  /** Duo txids approved so far. */
  readonly approved: ReadonlySet<string>;
  /** When each Duo user's push was approved (performance.now()): the wait for the phone ends there. */
  readonly approvedAt: ReadonlyMap<string, number>;
  /** Approvals the sandbox refused (it should never). */
  readonly failures: string[];
  stop(): void;
}

/**
 * A virtual phone for many users: every push that appears is approved after a random delay in [0, maxDelayMs],
 * through the sandbox's control API, as a person tapping Approve would.
 */
export function startApprover(sandbox: DuoSandbox, maxDelayMs: number): Approver {
  const seen = new Set<string>();
  const approved = new Set<string>();
  const approvedAt = new Map<string, number>();
  const failures: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const scan = setInterval(() => {
    for (const push of sandbox.pendingPushes()) {
      if (push.factor !== 'push' || push.status !== 'pushed' || seen.has(push.txid)) continue;
      seen.add(push.txid);
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          try {
            sandbox.approve(push.txid);
            approved.add(push.txid);
            approvedAt.set(push.username, performance.now());
          } catch (error) {
            failures.push(`${push.username}: ${(error as Error).message}`);
          }
        },
        Math.floor(Math.random() * (maxDelayMs + 1)),
      );
      timers.add(timer);
    }
  }, 20);
  return {
    approved,
    approvedAt,
    failures,
    stop() {
      clearInterval(scan);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * The load clients' own connections, one per request as many separate browsers would have (no keep-alive): with the
 * server's event loop busy, reusing an idle keep-alive socket can race the server closing it, and a POST on a reset
 * socket fails where a browser would have retried it.
 */
export function loadAgent(): Agent {
  return new Agent({ pipelining: 0, connections: null, headersTimeout: 300_000, bodyTimeout: 300_000 });
}

/** POST (or GET without a body) through `dispatcher`, answering like the harness's `callApi`. */
export async function loadCall(
  dispatcher: Dispatcher,
  baseUrl: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await request(new URL(path, baseUrl), {
    dispatcher,
    method: options.body === undefined ? 'GET' : 'POST',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const body = parseBody(await response.body.text());
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (typeof value === 'string') responseHeaders.set(name, value);
    else if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
  }
  return { status: response.statusCode, headers: responseHeaders, body };
}

export interface PushLoginResult {
  readonly client: Client;
  readonly ms: number;
  /** From the Duo step's start (the password accepted) to the token, the wait for the phone included. */
  readonly stepMs?: number;
  /** The password step (bcrypt inside), the push request, and when the token arrived (performance.now()). */
  readonly passwordMs?: number;
  readonly pushMs?: number;
  readonly tokenAt?: number;
  /** The Duo step's id, kept to show the finished step gives nothing more (never printed). */
  readonly stepId?: string;
  /** Set when the login ended with a token. */
  readonly jwt?: string;
  readonly userId?: unknown;
  /** What went wrong otherwise (an HTTP status and error name, never a token). */
  readonly error?: string;
  /** Status long-polls it took. */
  readonly polls: number;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A short description of an unexpected answer, without anything secret (error name and state only). */
function summarize(what: string, response: ApiResponse): string {
  const body = record(response.body);
  const error = record(body?.error);
  const data = record(body?.data);
  const detail = error
    ? `${String(error.name)} ${JSON.stringify(error.details ?? null)}`
    : `state ${String(data?.state)}`;
  return `${what}: HTTP ${response.status} ${detail}`;
}

/**
 * One client's whole login as a front end runs it: password, the Duo step, a push, status long-polls until the
 * final `{ jwt, user }`. Does not go through the harness's recorder (300 logins' bodies would distort memory).
 */
export async function pushLogin(
  dispatcher: Dispatcher,
  baseUrl: string,
  client: Client,
  maxPolls = 20,
): Promise<PushLoginResult> {
  let phase = 'login';
  const started = performance.now();
  const done = (rest: Omit<PushLoginResult, 'client' | 'ms'>): PushLoginResult => ({
    client,
    ms: performance.now() - started,
    ...rest,
  });
  try {
    const login = await loadCall(dispatcher, baseUrl, '/api/auth/local', {
      body: { identifier: client.email, password: client.password },
    });
    const error = record(record(login.body)?.error);
    const stepId = record(record(error?.details)?.step)?.id;
    if (login.status !== 400 || error?.name !== 'DuoRequiredError' || typeof stepId !== 'string') {
      return done({ error: summarize('login', login), polls: 0 });
    }
    const stepStarted = performance.now();
    phase = 'push';
    const push = await loadCall(dispatcher, baseUrl, '/api/duo-security/step/push', { body: { step: stepId } });
    const pushMs = performance.now() - stepStarted;
    if (push.status !== 200 || record(record(push.body)?.data)?.state !== 'waiting') {
      return done({ error: summarize('push', push), polls: 0 });
    }
    for (let polls = 1; polls <= maxPolls; polls += 1) {
      phase = `status ${polls}`;
      const status = await loadCall(dispatcher, baseUrl, '/api/duo-security/step/status', {
        body: { step: stepId, wait: true },
      });
      const body = record(status.body);
      if (status.status === 200 && typeof body?.jwt === 'string') {
        return done({
          jwt: body.jwt,
          userId: record(body.user)?.id,
          stepId,
          stepMs: performance.now() - stepStarted,
          passwordMs: stepStarted - started,
          pushMs,
          tokenAt: performance.now(),
          polls,
        });
      }
      if (status.status !== 200 || record(body?.data)?.state !== 'waiting') {
        return done({ error: summarize('status', status), polls });
      }
    }
    return done({ error: `no token after ${maxPolls} status polls`, polls: maxPolls });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const code = (error as { code?: unknown }).code ?? cause?.code;
    return done({ error: `${phase}: request failed: ${(error as Error).message} ${String(code ?? '')}`, polls: 0 });
  }
}

/** The p-th percentile (nearest rank) of some numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  /** Whether a full garbage collection ran first. */
  readonly collected: boolean;
}

let gcFunction: (() => void) | undefined;

/** `global.gc`, or the same function obtained by turning `--expose-gc` on at run time (the runner starts us without). */
function gc(): (() => void) | undefined {
  if (gcFunction !== undefined) return gcFunction;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    gcFunction = exposed;
    return gcFunction;
  }
  setFlagsFromString('--expose-gc');
  const fromContext = runInNewContext('gc') as unknown;
  if (typeof fromContext === 'function') gcFunction = fromContext as () => void;
  return gcFunction;
}

/** Process memory after full GCs (several, with pauses, so finalizers and freed sockets settle). */
export async function measureMemory(): Promise<MemorySample> {
  const collect = gc();
  if (collect !== undefined) {
    for (let i = 0; i < 3; i += 1) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, collected: collect !== undefined };
}

export const MB = 1024 * 1024;
