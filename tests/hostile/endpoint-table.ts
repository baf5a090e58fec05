import fc from 'fast-check';

import type { Client } from '../helpers/clients-harness';
import { GQL } from '../helpers/clients-harness';
import { type AnswerKind } from '../helpers/hostile';
import { percentEncode } from '../helpers/hostile-encoding';
import { anyStepId, field, hostileJson, hostileString, objectWith, type Node } from '../helpers/hostile-values';
import { DEFAULT_ADMIN } from '../helpers/users';

/**
 * The endpoints the hostile-input suite (endpoints.test.ts) sends its requests to: every plugin endpoint and every
 * login path the plugin gates, each with the values worth varying there. What they need of the running test (step
 * ids, devices, the sandbox, the client who must use Duo, forged tokens) is read when a request is made.
 */

export type Caller = 'admin' | 'client' | 'public';

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** Whose token the plugin expects here: such calls come more often than others. */
  readonly caller: Caller;
  readonly kind: AnswerKind;
  /** Body values (POST, PUT) or query values (GET). */
  readonly values?: () => fc.Arbitrary<Node>;
  /** Paths with a parameter: the path to request. */
  readonly paths?: () => fc.Arbitrary<string>;
  /** After each request (e.g. put back settings a valid random update changed). */
  readonly afterEach?: () => Promise<void>;
  /** A Secret Key typed into the body must not come back either. */
  readonly typesSecret?: boolean;
  /**
   * The path checks a password with Strapi's bcryptjs, which aborts the process on a lone surrogate (shown apart,
   * in a child process): JSON bodies holding one are not sent here.
   */
  readonly checksPassword?: boolean;
}

const STEP_ACTIONS = [
  'push',
  'phone',
  'sms',
  'passcode',
  'backup-code',
  'postpone',
  'status',
  'enroll',
  'cancel',
] as const;

/** What the endpoints read from the running test, when a request is made. */
export interface EndpointContext {
  readonly host: 'v4' | 'v5';
  /** Step ids handed out by real logins (both audiences): open, used up, denied. */
  readonly pool: readonly string[];
  devices(): readonly string[];
  sandbox(): { readonly url: string; readonly ikey: string };
  duoClient(): Client;
  /** `Bearer …` tokens signed wrongly, expired, without the claim or for the other audience. */
  forgedTokens(): readonly string[];
  /** Puts back the test's settings after a random update that happened to be valid. */
  restoreSettings(): Promise<void>;
}

export function hostileEndpoints(ctx: EndpointContext): readonly Endpoint[] {
  const stepId = () => field(anyStepId(() => ctx.pool));
  const device = () => field(fc.constantFrom('auto', ...ctx.devices()), fc.string({ maxLength: 70 }));
  const passcode = () => field(fc.stringMatching(/^[0-9]{4,16}$/), fc.constantFrom('123456', '000000', '1234567890'));

  const STEP_VALUES: Record<string, () => fc.Arbitrary<Node>> = {
    push: () => objectWith({ step: stepId(), device: device() }),
    phone: () => objectWith({ step: stepId(), device: device() }),
    sms: () => objectWith({ step: stepId(), device: device() }),
    passcode: () => objectWith({ step: stepId(), passcode: passcode() }),
    'backup-code': () => objectWith({ step: stepId(), code: field(fc.string({ maxLength: 60 })) }),
    status: () => objectWith({ step: stepId(), wait: field(fc.boolean()) }),
    enroll: () => objectWith({ step: stepId() }),
    postpone: () => objectWith({ step: stepId() }),
    cancel: () => objectWith({ step: stepId() }),
  };

  const audienceFields = () =>
    objectWith({
      enabled: field(fc.boolean()),
      enforcement: field(fc.constantFrom('optional', 'required')),
      failMode: field(fc.constantFrom('closed', 'open')),
      usernameSource: field(fc.constantFrom('id', 'email', 'username')),
    });
  // Hosts that fail fast and never leave the machine (nothing on the Internet is called).
  const apiHostname = () =>
    field(
      fc.constant(ctx.sandbox().url),
      fc.constantFrom('http://127.0.0.1:1', 'localhost:1', 'https://127.0.0.1:1', 'api-0000.duosecurity.invalid'),
    );
  const credentialFields = {
    integrationKey: () => field(fc.constant(ctx.sandbox().ikey), fc.stringMatching(/^DI[A-Z0-9]{18}$/)),
    secretKey: () => field(fc.constant(''), fc.string({ minLength: 40, maxLength: 40 })),
  };

  return [
    ...STEP_ACTIONS.map((action): Endpoint => ({
      method: 'POST',
      path: `/api/duo-security/step/${action}`,
      caller: 'public',
      kind: 'envelope',
      values: STEP_VALUES[action],
    })),
    { method: 'GET', path: '/api/duo-security/me', caller: 'client', kind: 'envelope' },
    { method: 'POST', path: '/api/duo-security/me/enable', caller: 'client', kind: 'envelope' },
    { method: 'POST', path: '/api/duo-security/me/disable', caller: 'client', kind: 'envelope' },
    { method: 'POST', path: '/api/duo-security/me/backup-codes', caller: 'client', kind: 'envelope' },
    { method: 'GET', path: '/api/duo-security/me/devices', caller: 'client', kind: 'envelope' },
    ...STEP_ACTIONS.map((action): Endpoint => ({
      method: 'POST',
      path: `/duo-security/step/${action}`,
      caller: 'public',
      kind: 'envelope',
      values: STEP_VALUES[action],
    })),
    { method: 'GET', path: '/duo-security/login', caller: 'public', kind: 'page' },
    {
      method: 'GET',
      path: '/duo-security/login/:file',
      caller: 'public',
      kind: 'page',
      paths: () =>
        fc
          .oneof(
            fc.constantFrom('app.mjs', 'style.css', 'logo.svg', 'session.d.mts', 'APP.MJS', 'app.mjs%00', '%2e%2e%2fx'),
            hostileString.filter((s) => s.length > 0 && s.length < 200).map(percentEncode),
          )
          .filter((file) => file !== '.' && file !== '..')
          .map((file) => `/duo-security/login/${file}`),
    },
    { method: 'GET', path: '/duo-security/info', caller: 'admin', kind: 'envelope' },
    { method: 'GET', path: '/duo-security/settings', caller: 'admin', kind: 'envelope' },
    { method: 'GET', path: '/duo-security/settings/roles', caller: 'admin', kind: 'envelope' },
    {
      method: 'PUT',
      path: '/duo-security/settings',
      caller: 'admin',
      kind: 'envelope',
      values: () =>
        objectWith({
          activated: field(fc.boolean()),
          integrationKey: credentialFields.integrationKey(),
          secretKey: credentialFields.secretKey(),
          apiHostname: apiHostname(),
          staff: field(audienceFields()),
          clients: field(audienceFields()),
        }),
      afterEach: ctx.restoreSettings,
      typesSecret: true,
    },
    {
      method: 'POST',
      path: '/duo-security/settings/check',
      caller: 'admin',
      kind: 'envelope',
      values: () =>
        objectWith({
          integrationKey: credentialFields.integrationKey(),
          secretKey: credentialFields.secretKey(),
          apiHostname: apiHostname(),
        }),
      typesSecret: true,
    },
    { method: 'GET', path: '/duo-security/me', caller: 'admin', kind: 'envelope' },
    { method: 'POST', path: '/duo-security/me/enable', caller: 'admin', kind: 'envelope' },
    { method: 'POST', path: '/duo-security/me/disable', caller: 'admin', kind: 'envelope' },
    { method: 'POST', path: '/duo-security/me/backup-codes', caller: 'admin', kind: 'envelope' },
    { method: 'GET', path: '/duo-security/me/devices', caller: 'admin', kind: 'envelope' },
    {
      method: 'GET',
      path: '/duo-security/users',
      caller: 'admin',
      kind: 'envelope',
      values: () =>
        objectWith({
          audience: field(fc.constantFrom('staff', 'clients')),
          search: field(hostileString),
          page: field(fc.integer({ min: -2, max: 1_000_000 }).map(String)),
          pageSize: field(fc.integer({ min: -2, max: 200 }).map(String)),
        }),
    },
    {
      method: 'POST',
      path: '/duo-security/users/reset',
      caller: 'admin',
      kind: 'envelope',
      values: () =>
        objectWith({
          audience: field(fc.constantFrom('staff', 'clients')),
          userId: field(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
        }),
    },
    ...(['/duo-security/audit', '/duo-security/audit/export'] as const).map((path): Endpoint => ({
      method: 'GET',
      path,
      caller: 'admin',
      kind: 'envelope',
      values: () =>
        objectWith({
          audience: field(fc.constantFrom('staff', 'clients')),
          event: field(fc.constantFrom('step.allowed', 'passcode.failed')),
          user: field(hostileString),
          userId: field(fc.integer({ min: -2, max: 1_000_000 }).map(String)),
          from: field(fc.constantFrom('2026-01-01', '2026-02-30', '2026-12-06T10:00:00Z'), hostileString),
          to: field(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
          page: field(fc.integer({ min: -2, max: 1_000_000 }).map(String)),
          pageSize: field(fc.integer({ min: -2, max: 200 }).map(String)),
        }),
    })),
    // The login paths the plugin gates, with right and wrong credentials of users who must use Duo.
    {
      method: 'POST',
      path: '/api/auth/local',
      caller: 'public',
      checksPassword: true,
      kind: 'envelope',
      values: () =>
        objectWith({
          identifier: field(
            fc.constantFrom(ctx.duoClient().email, ctx.duoClient().username, ctx.duoClient().email.toUpperCase()),
          ),
          password: field(fc.constant(ctx.duoClient().password)),
        }),
    },
    {
      method: 'POST',
      path: '/admin/login',
      caller: 'public',
      checksPassword: true,
      kind: 'envelope',
      values: () =>
        objectWith({
          email: field(fc.constantFrom(DEFAULT_ADMIN.email, DEFAULT_ADMIN.email.toUpperCase())),
          password: field(fc.constant(DEFAULT_ADMIN.password)),
          rememberMe: field(fc.boolean()),
        }),
    },
    // Renewing a session: Strapi 4 takes the token in the body; Strapi 5 takes the refresh cookie (never the live
    // session's here: renewing that legitimately answers a token), so any body is fuzz there.
    ctx.host === 'v5'
      ? { method: 'POST', path: '/admin/access-token', caller: 'public', kind: 'envelope', values: () => hostileJson }
      : {
          method: 'POST',
          path: '/admin/renew-token',
          caller: 'public',
          kind: 'envelope',
          values: () =>
            objectWith({ token: field(fc.constantFrom(...ctx.forgedTokens().map((t) => t.slice('Bearer '.length)))) }),
        },
    {
      method: 'POST',
      path: '/graphql',
      caller: 'public',
      checksPassword: true,
      kind: 'graphql',
      values: () =>
        objectWith({
          query: field(fc.constant(GQL.login)),
          operationName: field(fc.constantFrom('Login', 'Other')),
          variables: field(
            objectWith({
              input: field(
                objectWith({
                  identifier: field(fc.constant(ctx.duoClient().email)),
                  password: field(fc.constant(ctx.duoClient().password)),
                  provider: field(fc.constant('local')),
                }),
              ),
            }),
          ),
        }),
    },
  ];
}
