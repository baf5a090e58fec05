import type { Strapi } from '@strapi/strapi';

/**
 * users-permissions settings on Strapi 5 that decide how a client's credential looks. Read per request, as
 * users-permissions reads them: `jwtManagement` can change while the app runs.
 */

export function isRefreshMode(strapi: Strapi): boolean {
  const mode: unknown = strapi.config.get('plugin::users-permissions.jwtManagement');
  return mode === 'refresh';
}

interface UpSessionsConfig {
  readonly httpOnly?: boolean;
  readonly cookie?: {
    readonly name?: string;
    readonly secure?: boolean;
    readonly sameSite?: string;
    readonly path?: string;
    readonly domain?: string;
    readonly maxAge?: number;
  };
}

function sessionsConfig(strapi: Strapi): UpSessionsConfig {
  const value = strapi.config.get('plugin::users-permissions.sessions') as unknown;
  return value !== null && typeof value === 'object' ? (value as UpSessionsConfig) : {};
}

/** The header a client sends on sign-in to get its refresh token as an httpOnly cookie instead of in the body. */
export function asksForRefreshCookie(header: Record<string, unknown>): boolean {
  return header['x-strapi-refresh-cookie'] === 'httpOnly';
}

/** Whether the site hands every refresh token as a cookie (`sessions.httpOnly`). */
export function refreshCookieConfigured(strapi: Strapi): boolean {
  return sessionsConfig(strapi).httpOnly === true;
}

export function refreshCookieName(strapi: Strapi): string {
  return sessionsConfig(strapi).cookie?.name || 'strapi_up_refresh';
}

/**
 * The refresh cookie's options, as users-permissions sets them (`buildRefreshCookieOptions`,
 * `utils/refresh-cookie-options.js` of 5.54.0, not exported): a session opened after Duo refreshes and logs out
 * through Strapi's own routes unchanged.
 */
export function refreshCookieOptions(strapi: Strapi): Record<string, unknown> {
  const cookie = sessionsConfig(strapi).cookie ?? {};
  const production = process.env.NODE_ENV === 'production';
  return {
    httpOnly: true,
    secure: typeof cookie.secure === 'boolean' ? cookie.secure : production,
    sameSite: cookie.sameSite ?? 'lax',
    path: cookie.path ?? '/',
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
    ...(cookie.maxAge === undefined ? {} : { maxAge: cookie.maxAge }),
    overwrite: true,
  };
}
