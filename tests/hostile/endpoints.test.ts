import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';

import { expectDuoRequired } from '../helpers/client-answers';
import {
  createClient,
  login,
  loginWithPasscode,
  startClientsHarness,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { printFigure } from '../helpers/figures';
import {
  assertHostileAnswer,
  describeRequest,
  hostileSeed,
  HostileClient,
  runsPerEndpoint,
  tokensSent,
} from '../helpers/hostile';
import { toJson, type HostileRequest } from '../helpers/hostile-encoding';
import { Entries } from '../helpers/hostile-values';
import { severeLogs } from '../helpers/logs';
import { adminLogin, adminLoginWithPasscode, expectAdminDuoRequired } from '../helpers/staff';
import { defaultHost } from '../helpers/strapi';
import { DEFAULT_ADMIN } from '../helpers/users';
import { hostileEndpoints, type Endpoint } from './endpoint-table';
import { forgedTokens, requestFor, typedSecret } from './hostile-requests';

/**
 * Issue 6, hostile input: property-based tests (fast-check) of every plugin endpoint and of the login paths the
 * plugin gates. Arbitrary bodies (any JSON value, wrong types per field, huge and odd strings, `__proto__` and
 * operator keys, duplicate keys), every content type, query strings, authorization headers (valid, expired, forged,
 * alg-none, junk) from anonymous and signed-in callers, and step ids of every shape (real ones included).
 * Properties: never a 5xx; an error is a 4xx in Strapi's error envelope (GraphQL: its errors list); no answer
 * carries a token (but the caller's own, quoted back in a validation message) or the Duo Secret Key (nor a Secret
 * Key typed into the settings); Strapi still answers its health probe after each endpoint's run.
 *
 * Duo enforcement is `required` for both audiences, so a right password never yields a token without Duo: any
 * token in an answer is a leak. The sandbox denies every push and call at once, so no step waits.
 *
 * Left out of the properties, and shown by strapi-core.test.ts instead: the few inputs Strapi's own code
 * answers with a 5xx on its routes and the plugin's alike (corrupt compressed bodies, multipart without a boundary,
 * deep JSON on /api/auth/local, a non-string password on /admin/login), and a password holding a lone UTF-16
 * surrogate on the paths that check one, which makes Strapi's bcryptjs abort the whole process (shown in a child).
 *
 * Replay a failure with HOSTILE_SEED (printed first); HOSTILE_RUNS sets the runs per endpoint.
 */

/** Runs per endpoint: ≈2–3 minutes for the whole file on a slow 2-core machine. HOSTILE_RUNS overrides it. */
const RUNS = runsPerEndpoint(process.env.HOSTILE_RUNS);
const SEED = hostileSeed();

let h: ClientsHarness;
let client: HostileClient;
let duoClient: Client;
let adminToken: string;
let clientJwt: string;
let secrets: string[];
let forged: string[];
let devices: string[];
/** Step ids handed out by real logins (both audiences): open, used up, denied. */
const pool: string[] = [];

const DENY_AT_ONCE = { pushResponse: 'deny', pushDelayMs: 0 } as const;
const SETTINGS_BASE = { enabled: true, enforcement: 'required', failMode: 'closed' } as const;
const SETTINGS = {
  clients: { ...SETTINGS_BASE, usernameSource: 'id' },
  staff: { ...SETTINGS_BASE, usernameSource: 'email' },
} as const;

before(async () => {
  h = await startClientsHarness({
    sandbox: { longPollMs: 300, pushTimeoutMs: 1000, phoneRingMs: 20, users: [{ username: DEFAULT_ADMIN.email }] },
    clients: SETTINGS.clients,
    staff: SETTINGS.staff,
  });
  h.sandbox.updateUser(DEFAULT_ADMIN.email, DENY_AT_ONCE);
  // Strapi logs every body-parser refusal (bad JSON, 413…) with its stack: thousands here. They are still captured
  // (the logger's stream, see logs.ts) and checked at the end; only their printing is off (HOSTILE_VERBOSE=1 shows it).
  if (process.env.HOSTILE_VERBOSE !== '1') for (const transport of h.strapi.log.transports) transport.silent = true;
  client = new HostileClient(h.app.baseUrl);
  secrets = [h.sandbox.skey];
  duoClient = await createClient(h, { prefix: 'hostile', duo: DENY_AT_ONCE });
  adminToken = (await adminLoginWithPasscode(h, { id: 1, ...DEFAULT_ADMIN })).token;
  clientJwt = (await loginWithPasscode(h, duoClient)).jwt;
  devices = [
    ...(h.sandbox.user(duoClient.duoUsername)?.devices ?? []),
    ...(h.sandbox.user(DEFAULT_ADMIN.email)?.devices ?? []),
  ].map((d) => d.device);
  forged = forgedTokens(h, duoClient);
  await refreshPool();
});

after(async () => {
  await h?.close();
});

/** Opens fresh Duo steps for both audiences (the sandbox may have locked a user out after wrong passcodes). */
async function refreshPool(): Promise<void> {
  for (const username of [DEFAULT_ADMIN.email, duoClient.duoUsername])
    h.sandbox.updateUser(username, { status: 'active' });
  for (let i = 0; i < 2; i += 1) {
    pool.push(expectDuoRequired(await login(h.app, duoClient.email, duoClient.password)).stepId);
    pool.push(expectAdminDuoRequired(await adminLogin(h.app, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password)).stepId);
  }
}

/** Puts back the settings of the test after a random update that happened to be valid. */
async function restoreSettings(): Promise<void> {
  const settings = h.strapi.plugin('duo-security').service('settings') as {
    update(update: Record<string, unknown>): Promise<unknown>;
  };
  await settings.update({
    activated: true,
    integrationKey: h.sandbox.ikey,
    secretKey: h.sandbox.skey,
    apiHostname: h.sandbox.url,
    staff: SETTINGS.staff,
    clients: SETTINGS.clients,
  });
}

const ENDPOINTS = hostileEndpoints({
  host: defaultHost(),
  pool,
  devices: () => devices,
  sandbox: () => h.sandbox,
  duoClient: () => duoClient,
  forgedTokens: () => forged,
  restoreSettings,
});

/** Properties that failed: the figure claims "0 server errors" only when there are none. */
let failures = 0;

async function hostileRun(endpoint: Endpoint, index: number): Promise<void> {
  const name = `${endpoint.method} ${endpoint.path}`;
  await counted(() =>
    fc.assert(
      fc.asyncProperty(requestFor(endpoint, { admin: adminToken, client: clientJwt, forged }), async (request) => {
        const response = await client.send(name, request);
        const typed = endpoint.typesSecret ? typedSecret(request) : [];
        const what = `${name}: ${describeRequest(request)}`;
        assertHostileAnswer(response, endpoint.kind, [...secrets, ...typed], what, tokensSent(request));
        if (response.status < 300) await endpoint.afterEach?.();
      }),
      { numRuns: RUNS, seed: SEED + index },
    ),
  );
  await counted(() => client.assertHealthy(name));
}

async function counted(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    failures += 1;
    throw error;
  }
}

// --- the runs ----------------------------------------------------------------------------------------------------

describe('hostile input on every plugin endpoint and every gated login path', () => {
  ENDPOINTS.forEach((endpoint, index) => {
    it(`${endpoint.method} ${endpoint.path}: no 5xx, errors in the envelope, no token or secret`, async () => {
      if (endpoint.path.includes('/step/')) await refreshPool();
      await hostileRun(endpoint, index);
    });
  });
});

/** Fields each body-taking endpoint knows: deep values go under them, where validation looks. */
const KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '/duo-security/settings': ['activated', 'secretKey', 'staff'],
  '/duo-security/settings/check': ['integrationKey', 'apiHostname'],
  '/duo-security/users/reset': ['audience', 'userId'],
  '/api/auth/local': ['identifier', 'password'],
  '/admin/login': ['email', 'password'],
  '/admin/renew-token': ['token'],
  '/admin/access-token': ['token'],
  '/graphql': ['query', 'variables'],
};

/** The same body on every endpoint that takes one: beyond the body limit, deeply nested. */
describe('oversized and deeply nested bodies', () => {
  const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;
  const fieldsOf = (endpoint: Endpoint) =>
    KNOWN_FIELDS[endpoint.path] ?? (endpoint.path.includes('/step/') ? ['step', 'passcode'] : ['enabled']);
  const CASES: ReadonlyArray<readonly [string, (endpoint: Endpoint) => string]> = [
    ['2 MB of JSON (over the 1 MB limit)', () => toJson(new Entries([['step', 'A'.repeat(2_000_000)]]))],
    ['10 MB of JSON', () => `[${'"A",'.repeat(2_500_000)}1]`],
    ['10 000 nested arrays', () => nested(10_000, '[', ']')],
    ['10 000 nested objects', () => nested(10_000, '{"a":', '}')],
    ['100 000 nested arrays', () => nested(100_000, '[', ']')],
    [
      '10 000 levels under each known field',
      (endpoint) => `{${fieldsOf(endpoint).map((f) => `"${f}":${nested(10_000, '{"a":[', ']}')}`)}}`,
    ],
    ['10 000 levels under staff.enabled', () => `{"staff":${nested(10_000, '{"enabled":', '}')}}`],
  ];

  for (const [what, bodyFor] of CASES) {
    it(`${what}: a 4xx envelope or an answer, never a 5xx, on every endpoint`, async () => {
      for (const endpoint of ENDPOINTS.filter((e) => e.method !== 'GET')) {
        const body = bodyFor(endpoint);
        for (const token of [undefined, adminToken, clientJwt]) {
          const request: HostileRequest = {
            method: endpoint.method,
            path: endpoint.path,
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body,
          };
          const name = `${endpoint.method} ${endpoint.path}`;
          await counted(async () => {
            const response = await client.send(name, request);
            assertHostileAnswer(response, endpoint.kind, secrets, `${name}: ${what}`);
            if (response.status < 300) await endpoint.afterEach?.();
          });
        }
      }
      await counted(() => client.assertHealthy(what));
    });
  }

  it("headers and URLs beyond Node's limit: 431 from Node's HTTP parser, and Strapi keeps serving", async () => {
    // Node answers these itself (bare 431, no body) before Strapi or the plugin sees the request: no envelope.
    for (const [method, path, query, headers] of [
      ['POST', '/api/duo-security/step/status', '', { authorization: `Bearer ${'a'.repeat(20_000)}` }],
      ['GET', '/duo-security/users', `?search=${'a'.repeat(20_000)}`, { authorization: `Bearer ${adminToken}` }],
    ] as const) {
      const response = await client.send(`${method} ${path}`, { method, path: `${path}${query}`, headers });
      assert.equal(response.status, 431, path);
    }
    await client.assertHealthy('oversized headers');
  });
});

describe('after all that', () => {
  it('nothing the plugin runs logged an error, and the figure is printed', () => {
    // Strapi logs its body parser's 4xx errors (bad JSON) at error level too: only the plugin's own code counts.
    // They show that the capture works, so that finding nothing of the plugin's means something.
    assert.ok(
      h.app.logs.some((entry) => /JSON/.test(entry.message)),
      'the log capture saw the bad-JSON errors',
    );
    const plugin = severeLogs(h.app.logs).filter(
      (entry) => entry.level === 'error' && /dist\/server\/|duo-security/.test(entry.message),
    );
    assert.deepEqual(plugin, [], 'the plugin logged errors');
    assert.equal(failures, 0, 'properties failed above: no figure');
    printFigure(
      'hostile input',
      `${client.requests} inputs tried across ${client.endpoints.size} endpoints, 0 server errors`,
    );
  });
});
