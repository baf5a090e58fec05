import type { Strapi } from '@strapi/strapi';

/** The parts of users-permissions the plugin relies on, typed once. */
export interface UpJwtService {
  issue(payload: Record<string, unknown>, options?: Record<string, unknown>): string;
  verify(token: string): Promise<Record<string, unknown>>;
  /** Returns null at once (not a promise) when there is no `Authorization: Bearer <token>` header. */
  getToken(ctx: unknown): Promise<Record<string, unknown>> | null;
}

export function upJwt(strapi: Strapi): UpJwtService {
  return strapi.plugin('users-permissions').service('jwt') as unknown as UpJwtService;
}

/** The verified payload of the request's users-permissions token (Duo claim check included), or null. */
export async function clientTokenPayload(strapi: Strapi, ctx: unknown): Promise<Record<string, unknown> | null> {
  try {
    return (await upJwt(strapi).getToken(ctx)) ?? null;
  } catch {
    return null;
  }
}

export interface ClientUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
  readonly blocked?: boolean | null;
  readonly confirmed?: boolean | null;
}

export function findClientUser(strapi: Strapi, id: number): Promise<ClientUser | null> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  return strapi.db.query('plugin::users-permissions.user').findOne({ where: { id } }) as Promise<ClientUser | null>;
}
