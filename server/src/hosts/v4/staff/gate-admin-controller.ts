import { universalReturnFor } from '../../universal-return';
import { staffRemembered } from '../../remembered';
import type { Strapi } from '@strapi/strapi';
import { errors, validateYupSchema, yup } from '../../../utils/strapi-utils';

import { readDuoClaim } from '../../../engine/claim';
import { DuoRequiredError } from '../../../engine/errors';
import { pluginService } from '../../../plugin-services';
import { assertNotTooDeep } from '../../../utils/nesting';
import { assertSignInBody } from '../../../utils/sign-in-body';
import { adminTokenService, tokenUserId } from './admin-services';
import { issueAdminToken } from './admin-token';
import { registry } from '../../registries';

/** The `admin::authentication` actions that answer `{ data: { token, user } }`. */
export const GATED_ADMIN_ACTIONS = ['login', 'registerAdmin', 'register', 'resetPassword'] as const;

interface AdminCtx {
  body?: unknown;
  status: number;
  origin?: string;
  request: { ip?: string; body?: unknown; header?: Record<string, unknown> };
  cookies?: { get?(name: string, options?: { signed?: boolean }): string | undefined };
}

type Action = (ctx: AdminCtx, ...rest: unknown[]) => unknown;

interface AdminUserView {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
}

interface AdminTokenResponse {
  data: { token: string; user: AdminUserView & Record<string, unknown> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isAdminTokenResponse(body: unknown): body is AdminTokenResponse {
  if (!isRecord(body) || !isRecord(body.data)) return false;
  const { token, user } = body.data;
  return typeof token === 'string' && isRecord(user) && typeof user.id === 'number';
}

/** Strapi's own schema of `/admin/renew-token` (so bad bodies get the very same answer). */
const renewTokenSchema = yup.object().shape({ token: yup.string().required() }).required().noUnknown();

/**
 * Wraps the admin actions that mint a session token. Strapi's own checks run untouched (password, active user,
 * EE SSO lock, registration and reset codes); then, for an administrator who must use Duo, the token it minted is
 * dropped and a Duo step answers instead (HTTP 400 `DuoRequiredError`, never 401: the admin app reloads on 401).
 * `renewToken` keeps the Duo claim and never upgrades a token without it for such an administrator.
 */
export function gateAdminController(strapi: Strapi): void {
  const policy = () => pluginService(strapi, 'policy');
  const controllers = registry<Record<string, Action>>(strapi, 'controllers');

  controllers.extend('admin::authentication', (controller) => {
    const wrapped: Record<string, Action> = { ...controller };
    for (const name of GATED_ADMIN_ACTIONS) {
      const original = controller[name];
      if (typeof original !== 'function') continue;
      // `login` is a koa-compose of the passport step and the token step: called with (ctx, next), it has
      // answered when it resolves.
      wrapped[name] = async function gated(this: unknown, ctx: AdminCtx, ...rest: unknown[]) {
        assertSignInBody(ctx.request.body, { mustBeObject: false, passwordsAreText: true });
        const result = await original.call(this, ctx, ...rest);
        if (!isAdminTokenResponse(ctx.body)) return result;
        const { user } = ctx.body.data;
        if (!(await policy().requirement('staff', user.id)).needed) return result;

        ctx.body = undefined;
        const begin = await pluginService(strapi, 'step').begin({
          audience: 'staff',
          user,
          purpose: 'login',
          flow: { action: name },
          ip: ctx.request.ip,
          universal: universalReturnFor(strapi, 'staff', ctx),
          remembered: staffRemembered(ctx),
        });
        if (begin.kind === 'allow') {
          respond(ctx, { data: { token: issueAdminToken(strapi, user.id, begin.via), user } });
          return result;
        }
        throw new DuoRequiredError(begin.details);
      };
    }

    const renewToken = controller.renewToken;
    if (typeof renewToken === 'function') {
      wrapped.renewToken = async function renew(this: unknown, ctx: AdminCtx, ...rest: unknown[]) {
        assertNotTooDeep(ctx.request.body);
        await validateYupSchema(renewTokenSchema)(ctx.request.body);
        const { token } = ctx.request.body as { token: string };
        const { isValid, payload } = adminTokenService(strapi).decodeJwtToken(token);
        if (!isValid) throw new errors.ValidationError('Invalid token');
        const claim = readDuoClaim(payload);
        const userId = tokenUserId(payload);
        if (claim !== undefined && userId !== undefined) {
          ctx.body = { data: { token: issueAdminToken(strapi, userId, claim) } };
          return undefined;
        }
        // Strapi's own renewal would upgrade anything the secret signed into a fresh session: not for an
        // administrator who must use Duo (nor a token naming nobody while Duo protects staff logins).
        if (await policy().audienceEnabled('staff')) {
          if (userId === undefined || (await policy().requirement('staff', userId)).needed)
            throw new errors.ValidationError('Invalid token');
        }
        return renewToken.call(this, ctx, ...rest);
      };
    }
    return wrapped;
  });
}

/**
 * Clearing the body above made Koa set an explicit 204, which would survive a new body (and Koa sends no body
 * with 204): put back the 200 the original action answered with.
 */
function respond(ctx: AdminCtx, body: AdminTokenResponse): void {
  ctx.status = 200;
  ctx.body = body;
}
