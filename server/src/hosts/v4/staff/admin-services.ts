import type { Strapi } from '@strapi/strapi';

import { plainUserId } from '../../../utils/user-id';

/** The parts of Strapi's admin the plugin relies on, typed once. Resolved per call, so later extensions apply. */
export interface AdminTokenService {
  getTokenOptions(): { secret: string; options: Record<string, unknown> };
  /** Synchronous: `jwt.verify` with the admin secret; no claim checks. */
  decodeJwtToken(token: string): { payload: Record<string, unknown> | null; isValid: boolean };
  createJwtToken(user: { id: number }): string;
}

export interface AdminUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
  readonly firstname?: string | null;
  readonly lastname?: string | null;
  readonly isActive?: boolean | null;
  readonly blocked?: boolean | null;
}

export interface AdminUserService {
  sanitizeUser(user: AdminUser): Record<string, unknown>;
}

export function adminTokenService(strapi: Strapi): AdminTokenService {
  return strapi.service('admin::token') as unknown as AdminTokenService;
}

export function adminUserService(strapi: Strapi): AdminUserService {
  return strapi.service('admin::user') as unknown as AdminUserService;
}

export function findAdminUser(strapi: Strapi, id: number): Promise<AdminUser | null> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  return strapi.db.query('admin::user').findOne({ where: { id } }) as Promise<AdminUser | null>;
}

/** The bearer token of a request, or undefined (the same parsing as Strapi's admin strategy). */
export function bearerToken(ctx: { request: { header: Record<string, unknown> } }): string | undefined {
  const authorization = ctx.request.header.authorization;
  if (typeof authorization !== 'string') return undefined;
  const parts = authorization.split(/\s+/);
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'bearer') return undefined;
  return parts[1];
}

/**
 * The admin user id a token names, when it is a usable one: Strapi looks the user up by `payload.id`, which a
 * token may carry as a number or as a string of digits.
 */
export function tokenUserId(payload: Record<string, unknown> | null): number | undefined {
  return plainUserId(payload?.id);
}
