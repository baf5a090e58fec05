import assert from 'node:assert/strict';

import type { Strapi } from '@strapi/strapi';
import jwt from 'jsonwebtoken';

import type { UserSpec } from '../../server/src/sandbox';
import {
  assertNoToken,
  dataOf,
  errorOf,
  isRecord,
  jwtPayload,
  stepFrom,
  type ClientsHarness,
  type DuoRequired,
} from './clients-harness';
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

export type StepAction = 'push' | 'phone' | 'sms' | 'passcode' | 'status' | 'enroll' | 'cancel';

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
}

/** `{ data: { token, user } }` and nothing else, HTTP 200: what Strapi's admin login answers. */
export function expectAdminToken(response: ApiResponse, what = 'admin answer'): AdminSession {
  const text = `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`;
  assert.equal(response.status, 200, text);
  assert.ok(isRecord(response.body), text);
  assert.deepEqual(Object.keys(response.body), ['data'], text);
  const data = response.body.data;
  assert.ok(isRecord(data), text);
  assert.deepEqual(Object.keys(data).sort(), ['token', 'user'], text);
  assert.equal(typeof data.token, 'string', text);
  assert.ok(isRecord(data.user), text);
  return { token: data.token as string, user: data.user };
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

export function adminMe(app: BootedStrapi, token: string): Promise<ApiResponse> {
  return app.api('/admin/users/me', { token });
}

/** Signs in with the password, answers the admin Duo step with the current Duo Mobile passcode. */
export async function adminLoginWithPasscode(h: ClientsHarness, admin: Admin): Promise<AdminSession> {
  const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
  const passcode = h.sandbox.currentPasscode(admin.email);
  return expectAdminToken(await staffStep(h.app, 'passcode', { transaction: required.transaction, passcode }));
}

/** The answer of a finished "turn Duo on" for staff: `{ data: { enabled: true, token } }`; returns the token. */
export function expectStaffEnabled(response: ApiResponse, what = 'enable'): string {
  const data = dataOf(response, what);
  assert.deepEqual(Object.keys(data).sort(), ['enabled', 'token'], `${what}: ${JSON.stringify(response.body)}`);
  assert.equal(data.enabled, true);
  const token = String(data.token);
  assert.equal(jwtPayload(token).duo, 'allow', `${what}: the new session carries the Duo claim`);
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
  return expectStaffEnabled(await staffStep(h.app, 'passcode', { transaction: started.transaction, passcode }));
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
