import { randomUUID } from 'node:crypto';

import type { Strapi } from '@strapi/strapi';

import type { DuoVia, StepExchange } from '../../contract';
import { passedDuoMetadata } from '../sessions';
import type { SessionManager, SessionType } from '../strapi';

/** Strapi 5's admin refresh cookie (`@strapi/admin` shared/utils/session-auth, not exported). */
export const REFRESH_COOKIE = 'strapi_admin_refresh';

/** How an admin sign-in asked for its session: `deviceId` and `rememberMe` of the login body, as Strapi reads them. */
export interface DeviceParams {
  readonly deviceId?: string | undefined;
  readonly rememberMe: boolean;
}

export function deviceParams(body: unknown): DeviceParams {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const deviceId = typeof record.deviceId === 'string' && record.deviceId !== '' ? record.deviceId : undefined;
  return { deviceId, rememberMe: Boolean(record.rememberMe) };
}

const DEFAULT_IDLE_REFRESH_SECONDS = 14 * 24 * 60 * 60;

/**
 * The refresh cookie's options, as Strapi's own login sets them (httpOnly; path, domain, sameSite and secure from
 * `admin.auth.cookie`; a browser-session cookie for `session`, an expiring one for `refresh`), so a session opened
 * after Duo behaves like one opened by Strapi: `/admin/access-token`, logout and remember me work unchanged.
 */
export function refreshCookieOptions(
  strapi: Strapi,
  type: SessionType,
  absoluteExpiresAt: string,
  secureRequest: boolean | undefined,
): Record<string, unknown> {
  const config = (key: string): unknown => strapi.config.get(`admin.auth.${key}`);
  const configuredSecure = config('cookie.secure');
  const production = process.env.NODE_ENV === 'production';
  const secure = typeof configuredSecure === 'boolean' ? configuredSecure : production && (secureRequest ?? true);
  const path = config('cookie.path');
  const domain = config('cookie.domain') || config('domain');
  const options: Record<string, unknown> = {
    httpOnly: true,
    secure,
    overwrite: true,
    path: typeof path === 'string' && path.startsWith('/') ? path : '/admin',
    ...(typeof domain === 'string' && domain !== '' ? { domain } : {}),
    sameSite: config('cookie.sameSite') ?? 'lax',
  };
  if (type === 'session') return options;
  const idleSeconds = Number(config('sessions.idleRefreshTokenLifespan') ?? DEFAULT_IDLE_REFRESH_SECONDS);
  const now = Date.now();
  const expires = new Date(Math.min(now + idleSeconds * 1000, Date.parse(absoluteExpiresAt) || Infinity));
  return { ...options, expires, maxAge: Math.max(0, expires.getTime() - now) };
}

// RFC 6265 cookie-name characters, as Strapi's admin checks `admin.auth.cookie.name`.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Where Strapi 5's admin app looks for the access token of a sign-in without "Remember me": a script-readable
 * browser-session cookie (`admin.auth.cookie.name`, default `jwtToken`, on the admin cookie path and domain), which
 * its login form writes itself and EE single sign-on sets from the server. After Duo the browser is on the plugin's
 * step page, not the login form, so the server sets it, as single sign-on does. Secure when the request was.
 */
export function accessCookie(
  strapi: Strapi,
  secureRequest: boolean | undefined,
): { name: string; options: Record<string, unknown> } {
  const config = (key: string): unknown => strapi.config.get(`admin.auth.cookie.${key}`);
  const name = typeof config('name') === 'string' ? String(config('name')).trim() : '';
  const path = typeof config('path') === 'string' ? String(config('path')).trim() : '';
  const domain = config('domain');
  return {
    name: COOKIE_NAME.test(name) ? name : 'jwtToken',
    options: {
      httpOnly: false,
      secure: secureRequest === true,
      overwrite: true,
      // eslint-disable-next-line no-control-regex -- RFC 6265 forbids control characters in a cookie path
      path: path.startsWith('/') && !/[\x00-\x1f\x7f;]/.test(path) ? path : '/admin',
      ...(typeof domain === 'string' && domain !== '' ? { domain } : {}),
      sameSite: 'lax',
    },
  };
}

/**
 * Opens an admin session that passed Duo: a row through Strapi's session manager, marked (see `sessions.ts`), its
 * refresh cookie on the finishing response, and the access token Strapi would have answered.
 */
export async function openAdminSession(
  strapi: Strapi,
  manager: () => SessionManager,
  input: { userId: number; device: DeviceParams; via: DuoVia; exchange: StepExchange },
): Promise<string> {
  const type: SessionType = input.device.rememberMe ? 'refresh' : 'session';
  const admin = manager()('admin');
  const { token: refreshToken, absoluteExpiresAt } = await admin.generateRefreshToken(
    String(input.userId),
    input.device.deviceId ?? randomUUID(),
    { type, metadata: passedDuoMetadata(input.exchange.userAgent, input.via) },
  );
  input.exchange.setCookie(
    REFRESH_COOKIE,
    refreshToken,
    refreshCookieOptions(strapi, type, absoluteExpiresAt, input.exchange.secure),
  );
  const access = await admin.generateAccessToken(refreshToken);
  if ('error' in access) throw new Error('duo-security: Strapi refused an access token for the new session');
  return access.token;
}
