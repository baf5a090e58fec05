import assert from 'node:assert/strict';

import type { Strapi } from '@strapi/strapi';
import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';

import type { UserSpec } from '../../server/src/sandbox';
import {
  assertNoToken,
  dataOf,
  expectBackupCodes,
  errorOf,
  isRecord,
  jwtPayload,
  stepFrom,
  type DuoRequired,
} from './client-answers';
import { type ClientsHarness } from './clients-harness';
import type { AudienceConfig } from './duo-setup';
import type { ApiResponse, BootedStrapi } from './strapi';

/** Helpers for the staff (issue 5) tests: administrators, the admin Duo step, admin tokens. */

export interface Admin {
  readonly id: number;
  readonly email: string;
  readonly firstname: string;
  readonly lastname: string;
  password: string;
}

let adminCounter = 0;

export function newAdminCredentials(prefix = 'staff'): Omit<Admin, 'id'> {
  adminCounter += 1;
  const name = `${prefix}${adminCounter}x${process.pid}`;
  return { email: `${name}@example.com`, firstname: name, lastname: 'Tester', password: `Pw-${name}-A1` };
}

export type AdminRole = 'strapi-super-admin' | 'strapi-editor' | 'strapi-author';

export async function roleId(strapi: Strapi, code: AdminRole): Promise<number> {
  const role = (await strapi.db!.query('admin::role').findOne({ where: { code } })) as { id: number } | null;
  assert.ok(role !== null, `role ${code}`);
  return role.id;
}

/**
 * Creates an active administrator straight through Strapi's admin user service (bypassing the gated routes, so it
 * works whatever the enforcement). Optionally makes Duo know them (with one phone by default).
 */
export async function createAdmin(
  harness: Pick<ClientsHarness, 'strapi' | 'sandbox'>,
  options: { prefix?: string; role?: AdminRole; duo?: Omit<UserSpec, 'username'> | false } = {},
): Promise<Admin> {
  const credentials = newAdminCredentials(options.prefix);
  const users = harness.strapi.service('admin::user') as unknown as {
    create(values: Record<string, unknown>): Promise<{ id: number }>;
  };
  const user = await users.create({
    ...credentials,
    isActive: true,
    registrationToken: null,
    roles: [await roleId(harness.strapi, options.role ?? 'strapi-super-admin')],
  });
  if (options.duo !== false) harness.sandbox.addUser({ username: credentials.email, ...options.duo });
  return { id: user.id, ...credentials };
}

export function adminLogin(app: BootedStrapi, email: string, password: string): Promise<ApiResponse> {
  return app.api('/admin/login', { body: { email, password } });
}

export type StepAction =
  'push' | 'phone' | 'sms' | 'passcode' | 'backup-code' | 'postpone' | 'status' | 'enroll' | 'cancel';

/** The admin Duo step: `/duo-security/step/<action>`. */
export function staffStep(app: BootedStrapi, action: StepAction, body: unknown): Promise<ApiResponse> {
  return app.api(`/duo-security/step/${action}`, { method: 'POST', body });
}

/** The admin password step's answer for an administrator who must use Duo: HTTP 400 DuoRequiredError, no token. */
export function expectAdminDuoRequired(response: ApiResponse, what = 'admin login'): DuoRequired {
  assertNoToken(response, what);
  assert.doesNotMatch(JSON.stringify(response.body) ?? '', /"token"\s*:/, `${what} has a token field`);
  const error = errorOf(response, 400);
  assert.equal(error.name, 'DuoRequiredError', `${what}: ${JSON.stringify(response.body)}`);
  assert.match(error.message, /Duo/);
  return stepFrom(error.details, what);
}

export interface AdminSession {
  readonly token: string;
  readonly user: Record<string, unknown>;
  /**
   * Strapi 5: the refresh cookie the answer set, as a `Cookie` header (`strapi_admin_refresh` and its `.sig`: Koa
   * reads it signed), which `/admin/access-token` reads.
   */
  readonly refreshCookie?: string;
}

/** Strapi 5's admin refresh cookie (path /admin, httpOnly); Strapi 4 has none. */
export const ADMIN_REFRESH_COOKIE = 'strapi_admin_refresh';

/**
 * What Strapi's admin sign-ins answer once they open a session, on the app's host:
 * - v4: `{ data: { token, user } }`;
 * - v5: `{ data: { token, accessToken, user } }` (`token === accessToken`) and the httpOnly refresh cookie; a
 *   password reset answers `{ data: { token, user } }` with the cookie (Strapi 5's own reset-password answer).
 * Nothing else, HTTP 200.
 */
export function expectAdminSession(
  app: Pick<BootedStrapi, 'host'>,
  response: ApiResponse,
  what = 'admin answer',
  options: { passwordReset?: boolean } = {},
): AdminSession {
  const text = `${what} (${app.host}): HTTP ${response.status} ${JSON.stringify(response.body)}`;
  assert.equal(response.status, 200, text);
  assert.ok(isRecord(response.body), text);
  assert.deepEqual(Object.keys(response.body), ['data'], text);
  const data = response.body.data;
  assert.ok(isRecord(data), text);
  const withAccessToken = app.host === 'v5' && options.passwordReset !== true;
  assert.deepEqual(
    Object.keys(data).sort(),
    withAccessToken ? ['accessToken', 'token', 'user'] : ['token', 'user'],
    text,
  );
  assert.equal(typeof data.token, 'string', text);
  assert.ok(isRecord(data.user), text);
  if (withAccessToken) assert.equal(data.accessToken, data.token, `${text}: accessToken is the token`);
  const session: AdminSession = { token: data.token as string, user: data.user };
  if (app.host === 'v4') {
    assert.equal(setCookie(response, ADMIN_REFRESH_COOKIE), undefined, `${text}: Strapi 4 sets no refresh cookie`);
    return session;
  }
  const cookie = setCookie(response, ADMIN_REFRESH_COOKIE);
  assert.ok(cookie !== undefined, `${text}: no ${ADMIN_REFRESH_COOKIE} cookie`);
  assert.match(cookie, /;\s*httponly/i, `${text}: the refresh cookie is httpOnly`);
  assert.match(cookie, /;\s*path=\/admin(;|$)/i, `${text}: the refresh cookie is for /admin`);
  const signature = setCookie(response, `${ADMIN_REFRESH_COOKIE}.sig`);
  assert.ok(signature !== undefined, `${text}: no signature of the refresh cookie`);
  return { ...session, refreshCookie: [cookie, signature].map((c) => c.split(';')[0]).join('; ') };
}

/**
 * Renews an admin session the way the admin app does on the host: Strapi 4 trades the token for a new one
 * (`POST /admin/renew-token`), Strapi 5 sends the refresh cookie to `POST /admin/access-token` (which rotates it).
 * Answers `{ data: { token } }` on both when the session is good.
 */
export function renewAdminSession(
  app: Pick<BootedStrapi, 'host' | 'api'>,
  session: Pick<AdminSession, 'token' | 'refreshCookie'>,
): Promise<ApiResponse> {
  if (app.host === 'v4') return app.api('/admin/renew-token', { body: { token: session.token } });
  assert.ok(session.refreshCookie !== undefined, 'a Strapi 5 admin session has a refresh cookie');
  return app.api('/admin/access-token', { method: 'POST', headers: { cookie: session.refreshCookie } });
}

/** The `Set-Cookie` header of the response for the cookie `name`, if any. */
export function setCookie(response: ApiResponse, name: string): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
}

/**
 * How the admin session of `token` passed Duo (`allow`, `bypass`, `fail-open`, `recovery`), or undefined when it
 * did not. Strapi 4 admin tokens carry it as the `duo` claim; Strapi 5 access tokens have a fixed payload
 * (`userId`, `sessionId`, `type`), so the mark is in the metadata of the token's `admin::session` row.
 */
export async function adminTokenDuo(app: Pick<BootedStrapi, 'host' | 'strapi'>, token: string): Promise<unknown> {
  const payload = jwtPayload(token);
  if (app.host === 'v4') return payload.duo;
  assert.equal(payload.duo, undefined, 'a Strapi 5 access token carries no claim of its own');
  assert.equal(typeof payload.sessionId, 'string', `not a Strapi 5 access token: ${JSON.stringify(payload)}`);
  const row = (await app.strapi.db!.query('admin::session').findOne({
    where: { sessionId: payload.sessionId },
  })) as { metadata?: unknown } | null;
  if (row === null) return undefined;
  return isRecord(row.metadata) ? row.metadata.duoSecurity : undefined;
}

/** The administrator an admin token is for: `id` of a Strapi 4 token, `userId` (a string) of a Strapi 5 one. */
export function adminTokenUserId(app: Pick<BootedStrapi, 'host'>, token: string): number {
  const payload = jwtPayload(token);
  return app.host === 'v4' ? Number(payload.id) : Number(payload.userId);
}

/** Whether the admin session of `token` passed Duo (see `adminTokenDuo`). */
export async function adminTokenPassedDuo(app: Pick<BootedStrapi, 'host' | 'strapi'>, token: string): Promise<boolean> {
  return (await adminTokenDuo(app, token)) !== undefined;
}

/** An admin token minted the way Strapi (or another plugin, or EE SSO) mints one: right secret, no Duo claim. */
export function mintPlainAdminToken(strapi: Strapi, userId: number): string {
  const tokens = strapi.service('admin::token') as unknown as { createJwtToken(user: { id: number }): string };
  return tokens.createJwtToken({ id: userId });
}

/** An admin token with chosen claims, signed with the admin secret (as the plugin signs Duo-claimed ones). */
export function signAdminToken(strapi: Strapi, payload: Record<string, unknown>): string {
  const tokens = strapi.service('admin::token') as unknown as {
    getTokenOptions(): { secret: string; options: jwt.SignOptions };
  };
  const { secret, options } = tokens.getTokenOptions();
  return jwt.sign(payload, secret, options);
}

/**
 * An admin session the plugin never saw being made (another plugin, EE SSO, a session from before Duo was turned
 * on), optionally marked as having passed Duo with `duo`; returns its token, usable as `Authorization: Bearer`.
 * - v4: a token signed with the admin secret, `{ id }` plus the `duo` claim when given (how the plugin marks one);
 * - v5: a `strapi_sessions` row written straight to the table (no lifecycle: the plugin's guard refuses to create
 *   an unmarked one for an administrator who must use Duo) with the mark in its metadata when given, and an access
 *   token for it signed as Strapi's session manager signs them.
 */
export async function mintAdminSession(
  app: Pick<BootedStrapi, 'host' | 'strapi'>,
  userId: number,
  duo?: string,
): Promise<string> {
  if (app.host === 'v4') {
    return duo === undefined
      ? mintPlainAdminToken(app.strapi, userId)
      : signAdminToken(app.strapi, { id: userId, duo });
  }
  const sessionId = randomBytes(16).toString('hex');
  const now = Date.now();
  const knex = (app.strapi.db as unknown as { connection(table: string): { insert(row: object): Promise<unknown> } })
    .connection;
  await knex('strapi_sessions').insert({
    document_id: randomBytes(12).toString('hex'),
    user_id: String(userId),
    session_id: sessionId,
    device_id: randomBytes(8).toString('hex'),
    origin: 'admin',
    type: 'session',
    status: 'active',
    metadata: JSON.stringify(duo === undefined ? {} : { duoSecurity: duo }),
    expires_at: new Date(now + 3_600_000).toISOString(),
    absolute_expires_at: new Date(now + 3_600_000).toISOString(),
    created_at: new Date(now).toISOString(),
    updated_at: new Date(now).toISOString(),
  });
  return signV5AdminAccessToken(app.strapi, { userId: String(userId), sessionId, type: 'access' });
}

/** Signs a Strapi 5 admin access token payload with the admin secret (HS256, Strapi's default). */
export function signV5AdminAccessToken(strapi: Strapi, payload: Record<string, unknown>): string {
  const secret = strapi.config.get('admin.auth.secret') as string;
  return jwt.sign(payload, secret, { algorithm: 'HS256', expiresIn: 1800 });
}

export function adminMe(app: BootedStrapi, token: string): Promise<ApiResponse> {
  return app.api('/admin/users/me', { token });
}

/** Signs in with the password, answers the admin Duo step with the current Duo Mobile passcode. */
export async function adminLoginWithPasscode(h: ClientsHarness, admin: Admin): Promise<AdminSession> {
  const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
  const passcode = h.sandbox.currentPasscode(admin.email);
  return expectAdminSession(h.app, await staffStep(h.app, 'passcode', { step: required.stepId, passcode }));
}

/**
 * The answer of a finished "turn Duo on" for staff: `{ data: { enabled: true, token } }` (on Strapi 5 with the
 * refresh cookie of the new session); the new session passed Duo with `allow`. Returns the token.
 */
export async function expectStaffEnabled(
  app: Pick<BootedStrapi, 'host' | 'strapi'>,
  response: ApiResponse,
  what = 'enable',
): Promise<string> {
  const data = dataOf(response, what);
  assert.deepEqual(
    Object.keys(data)
      .filter((key) => key !== 'backupCodes')
      .sort(),
    ['enabled', 'token'],
    `${what}: ${JSON.stringify(response.body)}`,
  );
  if ('backupCodes' in data) expectBackupCodes(data.backupCodes, what);
  assert.equal(data.enabled, true);
  const token = String(data.token);
  if (app.host === 'v5') assert.ok(setCookie(response, ADMIN_REFRESH_COOKIE), `${what}: the new session's cookie`);
  assert.equal(await adminTokenDuo(app, token), 'allow', `${what}: the new session passed Duo`);
  return token;
}

/** Self-service: turns Duo on for an administrator whom Duo knows (one passcode); returns the new session token. */
export async function turnOnStaffDuo(h: ClientsHarness, admin: Admin, token: string): Promise<string> {
  const started = stepFrom(
    dataOf(await h.app.api('/duo-security/me/enable', { method: 'POST', token }), 'staff enable'),
    'staff enable',
  );
  assert.equal(started.duo.result, 'auth', 'enable: Duo should know this administrator');
  const passcode = h.sandbox.currentPasscode(admin.email);
  return expectStaffEnabled(h.app, await staffStep(h.app, 'passcode', { step: started.stepId, passcode }));
}

/** Changes the staff settings straight through the settings service (works whoever is signed in). */
export async function setStaffSettings(strapi: Strapi, staff: AudienceConfig): Promise<void> {
  const settings = strapi.plugin('duo-security').service('settings') as {
    update(update: { staff: AudienceConfig }): Promise<unknown>;
  };
  await settings.update({ staff });
}

export async function adminRow(strapi: Strapi, id: number): Promise<Record<string, unknown>> {
  const row = (await strapi.db!.query('admin::user').findOne({ where: { id } })) as Record<string, unknown> | null;
  assert.ok(row !== null);
  return row;
}
