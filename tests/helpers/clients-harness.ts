import assert from 'node:assert/strict';

import type { Strapi } from '@strapi/strapi';

import { startDuoSandbox, type DuoSandbox, type SandboxOptions, type UserSpec } from '../../server/src/sandbox';
import { activateDuo, type AudienceConfig } from './duo-setup';
import {
  dataOf,
  expectDuoRequired,
  expectEnabled,
  expectToken,
  isRecord,
  stepFrom,
  type GraphqlAnswer,
  type TokenAnswer,
} from './client-answers';
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

export type StepAction =
  'push' | 'phone' | 'sms' | 'passcode' | 'backup-code' | 'postpone' | 'status' | 'enroll' | 'cancel';

export function step(app: BootedStrapi, action: StepAction, body: unknown): Promise<ApiResponse> {
  return app.api(`/api/duo-security/step/${action}`, { method: 'POST', body });
}

export function login(app: BootedStrapi, identifier: string, password: string): Promise<ApiResponse> {
  return app.api('/api/auth/local', { body: { identifier, password } });
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
