import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { errorOf, isRecord, jwtPayload, type GraphqlAnswer } from './client-answers';
import { createClient, GQL, graphql, newCredentials } from './clients-harness';
import type { Audience, Bed, Subject } from './fault-bed';
import { assertNoTokenIn, shown, tokenOf } from './fault-checks';
import { socialSignIn } from './social-sign-in';
import { adminTokenDuo, createAdmin, newAdminCredentials, roleId } from './staff';
import type { ApiResponse } from './strapi';

/**
 * The other ways in besides the password login: GraphQL, registration, password reset, the OAuth provider callback
 * (clients), invite acceptance and password reset (staff). Each meets the same outage (Duo answering 503); the fail
 * mode must apply exactly as on the login: refused in bounded time with DuoUnavailableError, or admitted with a
 * `fail-open` session, audited for the account that signed in.
 */

/** The account a path signed in, as far as the checks need it. */
export type PathSubject = Pick<Subject, 'audience' | 'id' | 'me' | 'duoOf'>;

/** What a path answered, read the path's way (REST envelope or GraphQL errors). */
export interface PathAnswer {
  readonly who: PathSubject;
  /** The refusal's error name and details, when refused. */
  readonly error?: { readonly name: unknown; readonly details: unknown };
  /** The session's token, when admitted. */
  readonly token?: string;
  /** For assertion messages, tokens blanked. */
  readonly shown: string;
}

export interface PathCase {
  readonly audience: Audience;
  readonly name: string;
  /** A warning Strapi itself logs on this path whatever Duo does (not the plugin's). */
  readonly strapiWarning?: RegExp;
  attempt(bed: Bed): Promise<PathAnswer>;
}

function clientOf(bed: Bed, id: number): PathSubject {
  return {
    audience: 'clients',
    id,
    me: (token) => bed.h.app.api('/api/users/me', { token }),
    duoOf: (token) => Promise.resolve(jwtPayload(token).duo),
  };
}

function adminOf(bed: Bed, id: number): PathSubject {
  return {
    audience: 'staff',
    id,
    me: (token) => bed.h.app.api('/admin/users/me', { token }),
    duoOf: (token) => adminTokenDuo(bed.h.app, token),
  };
}

/** A REST answer: Strapi's error envelope when refused (no token anywhere), the token when admitted. */
function restAnswer(who: PathSubject, response: ApiResponse, what: string): PathAnswer {
  if (response.status === 200) return { who, token: tokenOf(who, response, what), shown: shown(response) };
  assertNoTokenIn(response, what);
  const error = errorOf(response);
  return { who, error: { name: error.name, details: error.details }, shown: shown(response) };
}

function graphqlAnswer(who: PathSubject, answer: GraphqlAnswer, field: string): PathAnswer {
  const text = shown(answer.raw);
  const result = answer.data?.[field];
  if (isRecord(result) && typeof result.jwt === 'string') {
    assert.ok(isRecord(result.user) && String(result.user.id) === String(who.id), `${field}: someone else's token`);
    return { who, token: result.jwt, shown: text };
  }
  assertNoTokenIn(answer.raw, field);
  assert.equal(answer.errors.length, 1, text);
  const error = answer.errors[0]?.extensions?.error;
  return { who, error: { name: error?.name, details: error?.details }, shown: text };
}

async function userIdByEmail(bed: Bed, uid: string, email: string): Promise<number> {
  const row = (await bed.strapi.db!.query(uid).findOne({ where: { email } })) as { id: number } | null;
  assert.ok(row !== null, `${email} exists`);
  return row.id;
}

async function setRow(bed: Bed, uid: string, id: number, data: Record<string, unknown>): Promise<void> {
  await bed.strapi.db!.query(uid).update({ where: { id }, data });
}

const ADMIN = 'admin::user';

/**
 * Asks for a reset code the admin app's way: Strapi 5.54 also dates the code, so one written into the row would be
 * refused as expired before Duo is ever asked. Strapi answers before it has stored the code: it is awaited.
 */
async function adminResetCode(bed: Bed, email: string, id: number): Promise<string> {
  const response = await bed.h.app.api('/admin/forgot-password', { body: { email } });
  assert.equal(response.status, 204, shown(response));
  const started = Date.now();
  for (;;) {
    const row = (await bed.strapi.db!.query(ADMIN).findOne({ where: { id } })) as { resetPasswordToken?: unknown };
    if (typeof row.resetPasswordToken === 'string') return row.resetPasswordToken;
    assert.ok(Date.now() - started < 5_000, 'forgot-password never stored a code');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const CLIENT = 'plugin::users-permissions.user';
const code = () => randomBytes(24).toString('hex');

export const PATH_CASES: readonly PathCase[] = [
  {
    audience: 'clients',
    name: 'GraphQL login mutation',
    attempt: async (bed) => {
      const client = await createClient(bed.h, { prefix: 'faultgql', duo: {} });
      const input = { identifier: client.email, password: client.password };
      return graphqlAnswer(clientOf(bed, client.id), await graphql(bed.h.app, GQL.login, { input }), 'login');
    },
  },
  {
    audience: 'clients',
    name: 'registration (POST /api/auth/local/register)',
    attempt: async (bed) => {
      const fresh = newCredentials('faultreg');
      const response = await bed.h.app.api('/api/auth/local/register', { body: fresh });
      const who = clientOf(bed, await userIdByEmail(bed, CLIENT, fresh.email));
      return restAnswer(who, response, 'register');
    },
  },
  {
    audience: 'clients',
    name: 'password reset (POST /api/auth/reset-password)',
    attempt: async (bed) => {
      const client = await createClient(bed.h, { prefix: 'faultreset', duo: {} });
      // The code forgot-password would have mailed (the bypass matrix walks that part): only the reset is at stake.
      const resetPasswordToken = code();
      await setRow(bed, CLIENT, client.id, { resetPasswordToken });
      const password = `${client.password}-new`;
      const body = { code: resetPasswordToken, password, passwordConfirmation: password };
      return restAnswer(clientOf(bed, client.id), await bed.h.app.api('/api/auth/reset-password', { body }), 'reset');
    },
  },
  {
    audience: 'clients',
    name: 'OAuth provider callback (GET /api/auth/<provider>/callback)',
    // Strapi 5's OAuth connect route warns when config/server.js has no absolute url (the test app has none).
    strapiWarning: /third party provider for login/,
    attempt: async (bed) => {
      const profile = newCredentials('faultsso');
      const accessToken = code();
      bed.provider.profile(accessToken, { username: profile.username, email: profile.email });
      const response = await socialSignIn(bed.h.app, bed.provider, accessToken);
      const who = clientOf(bed, await userIdByEmail(bed, CLIENT, profile.email));
      return restAnswer(who, response, 'provider callback');
    },
  },
  {
    audience: 'staff',
    name: 'invite acceptance (POST /admin/register)',
    attempt: async (bed) => {
      const invited = newAdminCredentials('faultinvite');
      const users = bed.strapi.service('admin::user') as unknown as {
        create(values: Record<string, unknown>): Promise<{ id: number }>;
      };
      const { id } = await users.create({
        email: invited.email,
        firstname: invited.firstname,
        lastname: invited.lastname,
        isActive: false,
        roles: [await roleId(bed.strapi, 'strapi-editor')],
      });
      const registrationToken = code();
      await setRow(bed, ADMIN, id, { registrationToken, isActive: false });
      const userInfo = { firstname: invited.firstname, lastname: invited.lastname, password: invited.password };
      const response = await bed.h.app.api('/admin/register', { body: { registrationToken, userInfo } });
      return restAnswer(adminOf(bed, id), response, 'register');
    },
  },
  {
    audience: 'staff',
    name: 'password reset (POST /admin/reset-password)',
    attempt: async (bed) => {
      const admin = await createAdmin(bed.h, { prefix: 'faultadminreset' });
      const resetPasswordToken = await adminResetCode(bed, admin.email, admin.id);
      const body = { resetPasswordToken, password: `${admin.password}-New1` };
      return restAnswer(adminOf(bed, admin.id), await bed.h.app.api('/admin/reset-password', { body }), 'reset');
    },
  },
];
