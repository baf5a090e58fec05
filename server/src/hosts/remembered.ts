import type { PresentedEnvelope, RememberedDelivery } from '../engine/step/types';

/** Staff: the httpOnly cookie that carries the envelope back to the admin sign-in (`/admin/login`). */
export const REMEMBER_COOKIE = 'duo_remember';
/** Strapi's admin API lives under `/admin` on both hosts, whatever the admin panel's own URL. */
const COOKIE_PATH = '/admin';

/** The request header a client app sends its remembered-device token in (the step answer's `duoRememberToken`). */
export const REMEMBER_HEADER = 'x-duo-remember';

interface CookieCtx {
  cookies?: {
    get?(name: string, options?: { signed?: boolean }): string | undefined;
    set?(name: string, value: string | null, options?: Record<string, unknown>): unknown;
  };
}

interface HeaderCtx {
  request: { header?: Record<string, unknown> };
}

/** Staff: the remembered-device cookie the browser sent with the admin sign-in (httpOnly, set by the step). */
export function staffRemembered(ctx: CookieCtx): PresentedEnvelope | undefined {
  // Unsigned: the envelope is sealed (authenticated encryption), a Koa signature would add nothing.
  const value = ctx.cookies?.get?.(REMEMBER_COOKIE, { signed: false });
  if (typeof value !== 'string' || value === '') return undefined;
  return {
    value,
    // An expired cookie on the same path and name: the browser deletes it.
    forget: () => ctx.cookies?.set?.(REMEMBER_COOKIE, null, { path: COOKIE_PATH, overwrite: true, signed: false }),
  };
}

/** Clients: the token the app kept from its last Duo step, sent back as `X-Duo-Remember`. */
export function clientRemembered(ctx: HeaderCtx): PresentedEnvelope | undefined {
  const value = ctx.request.header?.[REMEMBER_HEADER];
  // The app keeps it: the plugin cannot drop it there (a refusal is audited; the next Duo step's token replaces it).
  return typeof value === 'string' && value !== '' ? { value } : undefined;
}

/**
 * The other half: where the envelope goes once a step earned one. The admin browser gets it back only on the admin
 * API (httpOnly, SameSite strict: no script and no other site can send or read it); a client app gets it in the
 * answer and keeps it as it keeps its JWT.
 */
export function handRemembered({ audience, sealed, maxAgeMs, exchange, body }: RememberedDelivery): unknown {
  if (audience === 'staff') {
    exchange.setCookie(REMEMBER_COOKIE, sealed, {
      httpOnly: true,
      secure: exchange.secure === true,
      sameSite: 'strict',
      path: COOKIE_PATH,
      maxAge: maxAgeMs,
      overwrite: true,
      signed: false,
    });
    return body;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...body, duoRememberToken: sealed };
}
