import type { Strapi } from '@strapi/strapi';

import type { UniversalReturn } from '../engine/step';
import type { Audience } from '../settings/types';

/** The parts of a Koa request that say where this server is reached. */
export interface OriginCtx {
  origin?: string;
  request: { header?: Record<string, unknown> };
}

/** The staff step page and the callbacks, relative to the server's origin (the plugin's routes, both hosts). */
export const STAFF_STEP_PAGE_PATH = '/duo-security/login';
const CALLBACK_PATH = '/duo-security/universal/callback';

/**
 * Where this server is reached: `server.url` when the app sets an absolute one (behind a proxy it is the public
 * address), else the request's own origin as Koa reads it (proxy headers only when the app trusts its proxy).
 */
export function serverOrigin(strapi: Strapi, ctx: OriginCtx): string {
  const configured = strapi.config.get('server.url');
  if (typeof configured === 'string' && /^https?:\/\//i.test(configured)) return new URL(configured).origin;
  if (typeof ctx.origin === 'string' && ctx.origin !== '') return ctx.origin;
  throw new Error("duo-security: cannot tell this server's address for Duo's callback; set server.url");
}

/** The absolute URL of the plugin's Universal Prompt callback for one audience. */
export function universalCallbackUrl(strapi: Strapi, audience: Audience, ctx: OriginCtx): string {
  const origin = serverOrigin(strapi, ctx);
  if (audience === 'staff') return `${origin}${CALLBACK_PATH}`;
  const prefix = strapi.config.get('api.rest.prefix');
  return `${origin}${typeof prefix === 'string' ? prefix.replace(/\/+$/, '') : '/api'}${CALLBACK_PATH}`;
}

/**
 * What a gate hands the engine for Duo's Universal Prompt. Staff come back to the step page; clients to the front
 * end: the one `X-Duo-Return-To` names (checked against the settings' allow-list by the engine), else the first.
 */
export function universalReturnFor(strapi: Strapi, audience: Audience, ctx: OriginCtx): UniversalReturn | undefined {
  // Under the Auth API nothing reads this: a request without an origin must not fail there.
  if (typeof ctx.origin !== 'string' && typeof strapi.config.get('server.url') !== 'string') return undefined;
  const callbackUrl = universalCallbackUrl(strapi, audience, ctx);
  if (audience === 'staff') return { callbackUrl, returnUrl: `${serverOrigin(strapi, ctx)}${STAFF_STEP_PAGE_PATH}` };
  const requested = ctx.request.header?.['x-duo-return-to'];
  return { callbackUrl, returnUrl: typeof requested === 'string' && requested !== '' ? requested : undefined };
}
