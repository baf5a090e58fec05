import { REMEMBER_COOKIE } from '../engine/step/remember';

/** The request header a client app sends its remembered-device token in (the step answer's `duoRememberToken`). */
export const REMEMBER_HEADER = 'x-duo-remember';

interface CookieCtx {
  cookies?: { get?(name: string, options?: { signed?: boolean }): string | undefined };
}

interface HeaderCtx {
  request: { header?: Record<string, unknown> };
}

/** Staff: the remembered-device cookie the browser sent with the admin sign-in (httpOnly, set by the step). */
export function staffRemembered(ctx: CookieCtx): string | undefined {
  // Unsigned: the envelope is sealed (authenticated encryption), a Koa signature would add nothing.
  const value = ctx.cookies?.get?.(REMEMBER_COOKIE, { signed: false });
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Clients: the token the app kept from its last Duo step, sent back as `X-Duo-Remember`. */
export function clientRemembered(ctx: HeaderCtx): string | undefined {
  const value = ctx.request.header?.[REMEMBER_HEADER];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
