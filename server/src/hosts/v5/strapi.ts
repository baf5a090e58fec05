import type { Strapi } from '@strapi/strapi';

/**
 * The parts of Strapi 5 the v5 host uses and Strapi 4's types do not describe, typed once (the plugin compiles
 * against Strapi 4's types; these shapes were read from the 5.54.0 packages, see docs/strapi-v5-facts.md).
 */

export type SessionType = 'refresh' | 'session';

export interface OriginSessionManager {
  generateRefreshToken(
    userId: string,
    deviceId: string | undefined,
    options?: { type?: SessionType; metadata?: Record<string, unknown> },
  ): Promise<{ token: string; sessionId: string; absoluteExpiresAt: string }>;
  generateAccessToken(refreshToken: string): Promise<{ token: string } | { error: string }>;
  isSessionActive(sessionId: string): Promise<boolean>;
  validateAccessToken(token: string): {
    isValid: boolean;
    payload: { readonly userId?: unknown; readonly sessionId?: unknown } | null;
  };
  invalidateRefreshToken(userId: string, deviceId?: string): Promise<void>;
}

/** `strapi.sessionManager`: a callable per origin (`admin`, `users-permissions`) with a few helpers on it. */
export interface SessionManager {
  (origin: string): OriginSessionManager;
  hasOrigin?(origin: string): boolean;
  defineOrigin?(origin: string, config: unknown): void;
}

/** The Koa context of the request being served, as `strapi.requestContext.get()` gives it. */
export interface RequestCtx {
  state: Record<PropertyKey, unknown>;
  origin?: string;
  request: { ip?: string; secure?: boolean; body?: unknown; header: Record<string, unknown> };
  status: number;
  body?: unknown;
  cookies: {
    set(name: string, value: string, options?: Record<string, unknown>): unknown;
    get(name: string, options?: { signed?: boolean }): string | undefined;
  };
}

export interface SessionRow {
  readonly sessionId: string;
  readonly userId: string;
  readonly origin: string;
  readonly metadata?: unknown;
}

export interface LifecycleEvent {
  readonly params: { readonly data?: Record<string, unknown> };
}

export interface V5Strapi {
  readonly sessionManager: SessionManager | null | undefined;
  readonly requestContext: { get(): RequestCtx | undefined };
  readonly db: {
    lifecycles: {
      subscribe(subscriber: { models: string[]; beforeCreate?(event: LifecycleEvent): Promise<void> }): () => void;
    };
    query(uid: 'admin::session'): {
      findOne(params: { where: Record<string, unknown>; select?: string[] }): Promise<SessionRow | null>;
    };
  };
}

export function v5(strapi: Strapi): V5Strapi {
  return strapi as unknown as V5Strapi;
}

/** Strapi 5 serves its session manager; Strapi 4 has none. */
export function isStrapi5(strapi: Strapi): boolean {
  return (strapi as unknown as { sessionManager?: unknown }).sessionManager !== undefined;
}
