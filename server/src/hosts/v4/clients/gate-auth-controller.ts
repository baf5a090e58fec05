import type { Strapi } from '@strapi/strapi';

import { DUO_CLAIM, readDuoClaim, type DuoClaimValue } from '../../../engine/claim';
import { DuoRequiredError } from '../../../engine/errors';
import { pluginService } from '../../../plugin-services';
import { assertWellFormedPasswords } from '../../../utils/password-text';
import { clientTokenPayload, upJwt } from './up-services';
import { registry } from '../../registries';

/** The users-permissions auth actions that answer with `{ jwt, user }`. REST and GraphQL both call them. */
export const GATED_ACTIONS = ['callback', 'register', 'resetPassword', 'changePassword', 'emailConfirmation'] as const;

interface KoaLikeContext {
  body?: unknown;
  status: number;
  request: { ip?: string; body?: unknown };
}

type Action = (ctx: KoaLikeContext, ...rest: unknown[]) => unknown;

interface TokenResponse {
  jwt: string;
  user: { id: number; email?: string | null; username?: string | null } & Record<string, unknown>;
}

function isTokenResponse(body: unknown): body is TokenResponse {
  if (body === null || typeof body !== 'object') return false;
  const { jwt, user } = body as Record<string, unknown>;
  return (
    typeof jwt === 'string' &&
    user !== null &&
    typeof user === 'object' &&
    typeof (user as { id?: unknown }).id === 'number'
  );
}

/**
 * Wraps each token-issuing action: Strapi's own checks run untouched (password, blocked, confirmation codes); then,
 * for a client who must use Duo, the token it minted is dropped and a Duo step answers instead.
 */
export function gateAuthController(strapi: Strapi): void {
  const controllers = registry<Record<string, Action>>(strapi, 'controllers');

  controllers.extend('plugin::users-permissions.auth', (controller) => {
    const wrapped: Record<string, Action> = { ...controller };
    for (const name of GATED_ACTIONS) {
      const original = controller[name];
      if (typeof original !== 'function') continue;
      wrapped[name] = async function gated(this: unknown, ctx: KoaLikeContext, ...rest: unknown[]) {
        assertWellFormedPasswords(ctx.request.body);
        const result = await original.call(this, ctx, ...rest);
        if (!isTokenResponse(ctx.body)) return result;
        const { user } = ctx.body;
        const requirement = await pluginService(strapi, 'policy').requirement('clients', user.id);
        if (!requirement.needed) return result;

        const sanitizedUser = ctx.body.user;
        ctx.body = undefined;
        if (name === 'changePassword') {
          // The caller is signed in with a token that already passed Duo (verification refuses others): keep its claim.
          const payload = await clientTokenPayload(strapi, ctx);
          const claim = readDuoClaim(payload);
          if (claim !== undefined) {
            respond(ctx, { jwt: issueClientToken(strapi, user.id, claim), user: sanitizedUser });
            return result;
          }
        }
        const begin = await pluginService(strapi, 'step').begin({
          audience: 'clients',
          user,
          purpose: 'login',
          flow: { action: name, user: sanitizedUser },
          ip: ctx.request.ip,
        });
        if (begin.kind === 'allow') {
          respond(ctx, { jwt: issueClientToken(strapi, user.id, begin.via), user: sanitizedUser });
          return result;
        }
        throw new DuoRequiredError(begin.details);
      };
    }
    return wrapped;
  });
}

/**
 * Clearing the body above made Koa set an explicit 204, which would survive a new body (and Koa sends no body
 * with 204): put back the 200 the original action answered with.
 */
function respond(ctx: KoaLikeContext, body: TokenResponse): void {
  ctx.status = 200;
  ctx.body = body;
}

export function issueClientToken(strapi: Strapi, userId: number, claim: DuoClaimValue): string {
  return upJwt(strapi).issue({ id: userId, [DUO_CLAIM]: claim });
}
