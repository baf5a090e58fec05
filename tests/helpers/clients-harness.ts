import assert from 'node:assert/strict';

import type { Strapi } from '@strapi/strapi';

import { startDuoSandbox, type DuoSandbox, type SandboxOptions, type UserSpec } from '../../server/src/sandbox';
import { activateDuo, type AudienceConfig } from './duo-setup';
import { bootStrapi, parseBody, type ApiResponse, type BootedStrapi, type StrapiV5 } from './strapi';
import { registerFirstAdmin } from './users';

/** A booted playground with Duo activated for clients against a fresh sandbox, for the client (issue 4) tests. */
export interface ClientsHarness {
  readonly app: BootedStrapi;
  readonly strapi: Strapi;
  readonly sandbox: DuoSandbox;
  readonly adminToken: string;
  /** Every email Strapi tried to send (the email service is replaced by a recorder: tests stay offline). */
  readonly emails: SentEmail[];
  /** The text of every response body received through `app.api`. */
  readonly responses: string[];
  /** Every passcode sent through `app.api`. */
  readonly passcodes: Set<string>;
  close(): Promise<void>;
}

export interface SentEmail {
  readonly to?: string;
  readonly subject?: string;
  readonly text?: string;
}

export interface HarnessOptions {
  readonly sandbox?: SandboxOptions;
  readonly clients?: AudienceConfig;
  /** Staff settings to activate too (staff tests); staff logins stay unprotected when omitted. */
  readonly staff?: AudienceConfig;
  readonly env?: Record<string, string>;
}

export async function startClientsHarness(options: HarnessOptions = {}): Promise<ClientsHarness> {
  const sandbox = await startDuoSandbox({ port: 0, ...options.sandbox });
  let app: BootedStrapi | undefined;
  try {
    app = await bootStrapi(options.env ? { env: options.env } : {});
    const booted = app;
    const responses: string[] = [];
    const passcodes = new Set<string>();
    const recording: BootedStrapi = {
      ...booted,
      api: async (path, request) => {
        const passcode = isRecord(request?.body) ? request.body.passcode : undefined;
        if (typeof passcode === 'string' && passcode !== '') passcodes.add(passcode);
        const response = await booted.api(path, request);
        responses.push(typeof response.body === 'string' ? response.body : (JSON.stringify(response.body) ?? ''));
        return response;
      },
    };
    const emails = recordEmails(booted.strapi);
    const adminToken = await registerFirstAdmin(recording.api);
    await activateDuo(recording, adminToken, sandbox, {
      clients: { enabled: true, ...options.clients },
      ...(options.staff ? { staff: options.staff } : {}),
    });
    return {
      app: recording,
      strapi: booted.strapi,
      sandbox,
      adminToken,
      emails,
      responses,
      passcodes,
      close: async () => {
        try {
          await booted.close();
        } finally {
          await sandbox.close();
        }
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await sandbox.close();
    throw error;
  }
}

/**
 * Replaces the email plugin's `send` (sendmail would look up MX records of example.com) with a recorder, and its
 * provider's `send`, which templated emails (the admin's forgot-password) go through.
 */
export function recordEmails(strapi: Strapi): SentEmail[] {
  const emails: SentEmail[] = [];
  const record = (options: SentEmail) => {
    emails.push(options);
    return Promise.resolve();
  };
  const plugin = strapi.plugin('email') as unknown as {
    service(name: string): { send(options: SentEmail): Promise<void> };
    provider?: { send(options: SentEmail): Promise<void> };
  };
  plugin.service('email').send = record;
  if (plugin.provider !== undefined) plugin.provider.send = record;
  return emails;
}

/** Changes the clients' settings through the admin API, as an administrator would. */
export async function updateClientSettings(harness: ClientsHarness, clients: AudienceConfig): Promise<void> {
  const response = await harness.app.api('/duo-security/settings', {
    token: harness.adminToken,
    method: 'PUT',
    body: { clients },
  });
  assert.equal(response.status, 200, `settings update failed: ${JSON.stringify(response.body)}`);
}

// --- responses -------------------------------------------------------------------------------------------------

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

export type StepAction =
  'push' | 'phone' | 'sms' | 'passcode' | 'backup-code' | 'postpone' | 'status' | 'enroll' | 'cancel';

export function step(app: BootedStrapi, action: StepAction, body: unknown): Promise<ApiResponse> {
  return app.api(`/api/duo-security/step/${action}`, { method: 'POST', body });
}

export function login(app: BootedStrapi, identifier: string, password: string): Promise<ApiResponse> {
  return app.api('/api/auth/local', { body: { identifier, password } });
}

export interface GraphqlAnswer {
  readonly status: number;
  readonly data: Record<string, unknown> | null;
  readonly errors: ReadonlyArray<{
    message: string;
    extensions?: { code?: string; error?: { name?: string; message?: string; details?: unknown } };
  }>;
  readonly raw: ApiResponse;
}

export async function graphql(
  app: BootedStrapi,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlAnswer> {
  const raw = await app.api('/graphql', { body: { query, variables }, ...(token === undefined ? {} : { token }) });
  assert.ok(isRecord(raw.body), `graphql: ${JSON.stringify(raw.body)}`);
  const data = raw.body.data;
  const errors = raw.body.errors;
  return {
    status: raw.status,
    data: isRecord(data) ? data : null,
    errors: Array.isArray(errors) ? (errors as GraphqlAnswer['errors']) : [],
    raw,
  };
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

// --- clients -----------------------------------------------------------------------------------------------------

export interface Client {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  /** What Duo knows this client as: the plugin's default client mapping, by id. */
  readonly duoUsername: string;
  password: string;
}

/** The Duo username the plugin gives a client by default (`clientUsernamePrefix` unset, `usernameSource: 'id'`). */
export function clientDuoUsername(id: number): string {
  return `strapi-client-${id}`;
}

let clientCounter = 0;

/** A fresh client with an unused name (so Duo never knows it unless told). */
export function newCredentials(prefix = 'client'): Omit<Client, 'id' | 'duoUsername'> {
  clientCounter += 1;
  const username = `${prefix}${clientCounter}x${process.pid}`;
  return { username, email: `${username}@example.com`, password: `Pw-${username}-1` };
}

/**
 * Creates a client straight in the database (confirmed, Authenticated role), bypassing the gated register route,
 * so it works whatever the enforcement. Optionally makes Duo know it (with one phone by default).
 */
export async function createClient(
  harness: Pick<ClientsHarness, 'strapi' | 'sandbox'>,
  options: {
    prefix?: string;
    duo?: Omit<UserSpec, 'username'> | false;
    /** Chosen credentials instead of fresh ones (an address a test needs, such as an administrator's). */
    credentials?: Omit<Client, 'id' | 'duoUsername'>;
  } = {},
): Promise<Client> {
  const credentials = options.credentials ?? newCredentials(options.prefix);
  const role = (await harness.strapi.db!.query('plugin::users-permissions.role').findOne({
    where: { type: 'authenticated' },
  })) as { id: number };
  const users = harness.strapi.plugin('users-permissions').service('user') as {
    add(values: Record<string, unknown>): Promise<{ id: number }>;
  };
  const user = await users.add({ ...credentials, provider: 'local', confirmed: true, blocked: false, role: role.id });
  const duoUsername = clientDuoUsername(user.id);
  if (options.duo !== false) harness.sandbox.addUser({ username: duoUsername, ...options.duo });
  return { ...credentials, id: user.id, duoUsername };
}

/** A users-permissions JWT minted the way another plugin would: right secret, no Duo claim. */
export function mintPlainJwt(strapi: Strapi, userId: number): string {
  return mintJwt(strapi, { id: userId });
}

/** Signs any payload with the users-permissions secret, as someone who holds the jwtSecret (or a confused path) could. */
export function mintJwt(strapi: Strapi, payload: object): string {
  const jwt = strapi.plugin('users-permissions').service('jwt') as { issue(payload: object): string };
  return jwt.issue(payload);
}

/** Signs in with the password, answers the Duo step with the current Duo Mobile passcode; returns the answer. */
export async function loginWithPasscode(harness: ClientsHarness, client: Client): Promise<TokenAnswer> {
  const required = expectDuoRequired(await login(harness.app, client.email, client.password));
  const passcode = harness.sandbox.currentPasscode(client.duoUsername);
  return expectToken(await step(harness.app, 'passcode', { step: required.stepId, passcode }));
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

/** Self-service: turns Duo on for a client whom Duo knows, through /me/enable and one passcode; the new session. */
export async function turnOnDuo(harness: ClientsHarness, duoUsername: string, jwt: string): Promise<string> {
  const started = stepFrom(
    dataOf(await harness.app.api('/api/duo-security/me/enable', { method: 'POST', token: jwt }), 'enable'),
    'enable',
  );
  assert.equal(started.duo.result, 'auth', 'enable: Duo should know this client');
  const passcode = harness.sandbox.currentPasscode(duoUsername);
  return expectEnabled(await step(harness.app, 'passcode', { step: started.stepId, passcode }));
}

/** Turns Duo on for a client (earlier sessions end there) and returns a new, Duo-verified session. */
export async function enableDuoForClient(harness: ClientsHarness, client: Client, jwt: string): Promise<TokenAnswer> {
  await turnOnDuo(harness, client.duoUsername, jwt);
  return loginWithPasscode(harness, client);
}

// --- database --------------------------------------------------------------------------------------------------

export interface AuditEntry {
  readonly id: number;
  readonly event: string;
  readonly audience: string;
  readonly userId: number | null;
  readonly outcome: string | null;
  readonly ip: string | null;
  readonly detail: Record<string, unknown> | null;
  readonly createdAt: string;
}

export async function auditEntries(strapi: Strapi, where: Record<string, unknown> = {}): Promise<AuditEntry[]> {
  return (await strapi.db!.query('plugin::duo-security.audit-entry').findMany({
    where,
    orderBy: [{ id: 'asc' }],
  })) as AuditEntry[];
}

export async function allRows(strapi: Strapi, uid: string): Promise<unknown[]> {
  return (await strapi.db!.query(uid).findMany({})) as unknown[];
}

/**
 * A passcode as a value of its own: not the same digits by chance inside a random hex hash, UUID or base64 token
 * (six digits turn up in a few thousand random hex characters now and then).
 */
function standalone(code: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_-])${code}(?![A-Za-z0-9_-])`);
}

/**
 * Step ids and tokens the API handed out, passcodes sent to it: none may appear in an audit row, a stored
 * row or a log line; no passcode may appear in any response. Returns how many of each were checked.
 */
export async function assertNoSecretsKept(
  harness: ClientsHarness,
): Promise<{ stepIds: number; passcodes: number; jwts: number }> {
  const responses = harness.responses.join('\n');
  const stepIds = new Set([...responses.matchAll(/"step":\{"id":"([A-Za-z0-9_-]{43})"/g)].map((m) => m[1]));
  const jwts = new Set([...responses.matchAll(new RegExp(JWT_PATTERN.source, 'g'))].map((m) => m[0]));
  const stored = JSON.stringify({
    audit: await allRows(harness.strapi, 'plugin::duo-security.audit-entry'),
    stepIds: await allRows(harness.strapi, 'plugin::duo-security.transaction'),
    enrollments: await allRows(harness.strapi, 'plugin::duo-security.enrollment'),
  });
  const logs = harness.app.logs.map((entry) => entry.message).join('\n');
  assert.ok(logs.includes('/api/duo-security/'), 'request lines are captured, so the log check means something');
  for (const [where, text] of [
    ['the database', stored],
    ['the logs', logs],
  ] as const) {
    for (const id of stepIds) assert.ok(id !== undefined && !text.includes(id), `a step id in ${where}`);
    for (const code of harness.passcodes) {
      const found = standalone(code).exec(text);
      assert.equal(
        found,
        null,
        `the passcode ${code} in ${where}: …${found?.input.slice(Math.max(0, found.index - 80), found.index + 80)}…`,
      );
    }
    for (const jwt of jwts) assert.ok(!text.includes(jwt), `a token in ${where}`);
    assert.doesNotMatch(text, JWT_PATTERN, `something like a JWT in ${where}`);
  }
  for (const code of harness.passcodes)
    assert.doesNotMatch(responses, standalone(code), `the passcode ${code} in a response`);
  return { stepIds: stepIds.size, passcodes: harness.passcodes.size, jwts: jwts.size };
}

/** Pushes a step's expiry into the past, as if its time had run out (no sleeping). */
export async function expireStep(strapi: Strapi, idHash: string): Promise<void> {
  const { count } = await strapi.db!.query('plugin::duo-security.transaction').updateMany({
    where: { idHash },
    data: { expiresAt: new Date(Date.now() - 1000).toISOString() },
  });
  assert.equal(count, 1, 'expected one step to expire');
}

/** Waits until `check` passes or `ms` runs out (for sandbox timers). */
export async function eventually<T>(check: () => T | undefined, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// --- an offline social provider ----------------------------------------------------------------------------------

/**
 * Registers a users-permissions social provider that needs no network: `/api/auth/<name>/callback?access_token=X`
 * signs in the profile registered for X. Strapi's own callback code runs unchanged (grant settings check,
 * `providers.connect`, user creation on first sign-in); only the call to the identity provider is replaced.
 */
export async function addOfflineProvider(
  strapi: Strapi | StrapiV5,
  name: string,
  /** More of the provider's grant settings (Strapi 5's OAuth endpoints: tests/helpers/social-sign-in.ts). */
  grantSettings: Record<string, unknown> = {},
): Promise<(accessToken: string, profile: { username: string; email: string }) => void> {
  const profiles = new Map<string, { username: string; email: string }>();
  const plugin = strapi.plugin('users-permissions') as {
    service(name: string): { add(name: string, provider: Record<string, unknown>): void };
  };
  const registry = plugin.service('providers-registry');
  registry.add(name, {
    enabled: true,
    icon: '',
    grantConfig: {},
    authCallback: ({ accessToken }: { accessToken: string }) => {
      const profile = profiles.get(accessToken);
      return profile === undefined ? Promise.reject(new Error('Unknown access token')) : Promise.resolve(profile);
    },
  });
  const store = upStore(strapi);
  const grant = ((await store.get({ key: 'grant' })) ?? {}) as Record<string, unknown>;
  await store.set({ key: 'grant', value: { ...grant, [name]: { ...grantSettings, enabled: true } } });
  return (accessToken, profile) => profiles.set(accessToken, profile);
}

interface UpStore {
  get(params: { key: string }): Promise<unknown>;
  set(params: { key: string; value: unknown }): Promise<unknown>;
}

// Strapi 5's instance is typed here by hand (tests/helpers/hosts.ts) and has no `store` in that type.
function upStore(strapi: Strapi | StrapiV5): UpStore {
  const host = strapi as { store?: (params: { type: string; name: string }) => UpStore };
  assert.ok(host.store !== undefined, 'the core store is available');
  return host.store({ type: 'plugin', name: 'users-permissions' });
}

/** Turns users-permissions' "Enable email confirmation" advanced setting on or off. */
export async function setEmailConfirmation(strapi: Strapi, on: boolean): Promise<void> {
  const store = upStore(strapi);
  const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
  await store.set({ key: 'advanced', value: { ...advanced, email_confirmation: on } });
}

/** GET without following redirects (email confirmation answers with one). */
export async function getManual(app: BootedStrapi, path: string): Promise<ApiResponse> {
  const response = await fetch(new URL(path, app.baseUrl), { redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: parseBody(await response.text()) };
}

/** The users-permissions GraphQL operations that can issue a token, and `me`. */
export const GQL = {
  login: `mutation Login($input: UsersPermissionsLoginInput!) { login(input: $input) { jwt user { id username } } }`,
  register: `mutation Register($input: UsersPermissionsRegisterInput!) {
    register(input: $input) { jwt user { id username } }
  }`,
  forgotPassword: `mutation Forgot($email: String!) { forgotPassword(email: $email) { ok } }`,
  resetPassword: `mutation Reset($code: String!, $password: String!, $passwordConfirmation: String!) {
    resetPassword(code: $code, password: $password, passwordConfirmation: $passwordConfirmation) { jwt user { id } }
  }`,
  changePassword: `mutation Change($currentPassword: String!, $password: String!, $passwordConfirmation: String!) {
    changePassword(currentPassword: $currentPassword, password: $password, passwordConfirmation: $passwordConfirmation) {
      jwt user { id }
    }
  }`,
  emailConfirmation: `mutation Confirm($confirmation: String!) {
    emailConfirmation(confirmation: $confirmation) { jwt user { id } }
  }`,
  me: `query Me { me { id username } }`,
} as const;
