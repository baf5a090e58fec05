import type { Strapi } from '@strapi/strapi';

import { plainUserId } from '../../../utils/user-id';
import type { ClientActionCtx, ClientGateMode, HeldClient } from '../../clients-gate';
import { findClientUser, type ClientUser } from '../../v4/clients/up-services';
import { duoMarkOf, SessionHeldError } from '../sessions';
import { v5 } from '../strapi';
import { UP_ORIGIN } from './client-session';
import { asksForRefreshCookie, refreshCookieConfigured } from './up-config';

/** What the step keeps to open, once Duo allows, the session Strapi's action would have opened. */
export interface RefreshFlow {
  readonly deviceId?: string | undefined;
  /** The refresh token goes to the httpOnly cookie (asked for by the sign-in, or configured). */
  readonly refreshCookie: boolean;
}

// users-permissions hands the refresh token as a cookie only from a sign-in and a rotation; registering and the
// password paths always answer it in the body.
const COOKIE_ACTIONS = new Set(['callback', 'refresh']);

export function refreshFlow(ctx: ClientActionCtx, strapi: Strapi, action: string): RefreshFlow {
  const body = ctx.request.body;
  const deviceId = body !== null && typeof body === 'object' ? (body as { deviceId?: unknown }).deviceId : undefined;
  return {
    ...(typeof deviceId === 'string' && deviceId !== '' ? { deviceId } : {}),
    refreshCookie:
      COOKIE_ACTIONS.has(action) && (asksForRefreshCookie(ctx.request.header) || refreshCookieConfigured(strapi)),
  };
}

/**
 * users-permissions in `refresh` mode (Strapi 5): a sign-in is a session row, which the session guard refuses to
 * make for a client who must use Duo (`SessionHeldError`, thrown from inside Strapi's action before any row,
 * token or cookie exists). The gate turns that refusal into the Duo step.
 */
export function refreshGateMode(strapi: Strapi): ClientGateMode {
  return {
    async run(ctx, action) {
      try {
        const result = await action();
        await settleIssuedToken(ctx);
        return { result };
      } catch (error) {
        if (!(error instanceof SessionHeldError) || error.audience !== 'clients') throw error;
        const user = await findClientUser(strapi, error.userId);
        if (user === null) throw error;
        return { result: undefined, held: { user: account(user), sanitized: await sanitizeClient(strapi, ctx, user) } };
      }
    },
    async callerVia(ctx) {
      const sessionId = (ctx.state.session as { id?: unknown } | undefined)?.id;
      const userId = plainUserId((ctx.state.user as { id?: unknown } | undefined)?.id);
      if (typeof sessionId !== 'string' || userId === undefined) return undefined;
      const row = await v5(strapi)
        .db.query('admin::session')
        .findOne({ where: { sessionId }, select: ['userId', 'origin', 'metadata'] });
      if (row === null || row.origin !== UP_ORIGIN || plainUserId(row.userId) !== userId) return undefined;
      return duoMarkOf(row.metadata);
    },
    flow: (ctx, action) => ({ ...refreshFlow(ctx, strapi, action) }),
  };
}

/**
 * The GraphQL email confirmation answers `jwt: issue(...)` unawaited; in refresh mode that is a promise, which opens
 * the session after the action returned. Awaited here, so that a refusal of the guard reaches the gate (and is not
 * left unhandled) and GraphQL gets the token itself.
 */
async function settleIssuedToken(ctx: ClientActionCtx): Promise<void> {
  const body = ctx.body;
  if (body === null || typeof body !== 'object') return;
  const jwt: unknown = (body as { jwt?: unknown }).jwt;
  if (jwt === null || typeof jwt !== 'object' || typeof (jwt as { then?: unknown }).then !== 'function') return;
  ctx.body = { ...body, jwt: await (jwt as PromiseLike<unknown>) };
}

function account(user: ClientUser): HeldClient['user'] {
  return { id: user.id, email: user.email ?? null, username: user.username ?? null };
}

interface ContentApi {
  contentAPI: { sanitize: { output(data: unknown, schema: unknown, options: { auth: unknown }): Promise<unknown> } };
  getModel(uid: string): unknown;
}

/** The user as users-permissions answers it (`sanitizeUser` of its auth controller: private fields removed). */
function sanitizeClient(strapi: Strapi, ctx: ClientActionCtx, user: ClientUser): Promise<unknown> {
  const api = strapi as unknown as ContentApi;
  return api.contentAPI.sanitize.output(user, api.getModel('plugin::users-permissions.user'), {
    auth: ctx.state.auth,
  });
}
