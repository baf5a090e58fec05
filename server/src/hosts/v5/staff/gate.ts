import { universalReturnFor } from '../../universal-return';
import { staffRemembered } from '../../remembered';
import type { Strapi } from '@strapi/strapi';

import { DuoRequiredError } from '../../../engine/errors';
import { pluginService } from '../../../plugin-services';
import { assertSignInBody } from '../../../utils/sign-in-body';
import { stepExchange } from '../../../controllers/exchange';
import type { AudienceAdapter } from '../../contract';
import { registry } from '../../registries';
import { holdSessions, releaseHold, type HeldSession } from '../sessions';
import { v5, type RequestCtx, type SessionManager } from '../strapi';
import { deviceParams } from './admin-session';

/** The `admin::authentication` actions that open an admin session. */
export const GATED_ADMIN_ACTIONS = ['login', 'registerAdmin', 'register', 'resetPassword'] as const;
export type GatedAdminAction = (typeof GATED_ADMIN_ACTIONS)[number];

/** What the step keeps of the sign-in, to open the session Strapi would have opened once Duo allows. */
export interface StaffFlow {
  readonly action: GatedAdminAction;
  readonly deviceId?: string | undefined;
  readonly rememberMe: boolean;
}

export interface HeldAdmin {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
}

type Action = (ctx: RequestCtx, ...rest: unknown[]) => unknown;
type Service = Record<string, unknown>;
type AsyncFn = (...args: unknown[]) => Promise<unknown>;

function isAdmin(value: unknown): value is HeldAdmin {
  return value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'number';
}

/**
 * Strapi 5 admin sign-ins. Strapi's own actions run untouched (validation, password, active account, EE SSO lock,
 * registration and reset codes, its events). The services they call to find the account are wrapped: once one
 * names an administrator who must use Duo, the request is held, so Strapi's session step opens no session (no row,
 * no cookie, no token). The action then answers a bare 500, which the gated action replaces with the Duo step
 * (HTTP 400 `DuoRequiredError`; never 401, which the admin app takes for an expired session).
 */
export function gateAdminSignIns(strapi: Strapi, adapter: () => AudienceAdapter, manager: () => SessionManager): void {
  const holdIfDuo = async (user: unknown): Promise<void> => {
    const ctx = v5(strapi).requestContext.get();
    if (ctx === undefined || !isAdmin(user)) return;
    if ((await pluginService(strapi, 'policy').requirement('staff', user.id)).needed) {
      holdSessions<HeldAdmin>(ctx, { audience: 'staff', user });
    }
  };
  // Each answers the account it checked, created or changed: the one the session would be for.
  const afterward = (service: Service, name: string, userOf: (result: unknown) => unknown): void => {
    const original = service[name];
    if (typeof original !== 'function') throw new Error(`duo-security: Strapi 5 has no ${name} to gate`);
    service[name] = async function gated(this: unknown, ...args: unknown[]) {
      const result = await (original as AsyncFn).apply(this, args);
      await holdIfDuo(userOf(result));
      return result;
    };
  };
  const services = registry<Service>(strapi, 'services');
  services.extend('admin::auth', (service) => {
    const wrapped = { ...service };
    // `[error, user, info]`: `user` is false for a wrong password or an inactive account.
    afterward(wrapped, 'checkCredentials', (result) => (Array.isArray(result) ? result[1] : undefined));
    afterward(wrapped, 'resetPassword', (user) => user);
    return wrapped;
  });
  services.extend('admin::user', (service) => {
    const wrapped = { ...service };
    afterward(wrapped, 'createFirstAdmin', (user) => user);
    afterward(wrapped, 'register', (user) => user);
    return wrapped;
  });

  registry<Record<string, Action>>(strapi, 'controllers').extend('admin::authentication', (controller) => {
    const wrapped: Record<string, Action> = { ...controller };
    for (const name of GATED_ADMIN_ACTIONS) {
      const original = controller[name];
      if (typeof original !== 'function') throw new Error(`duo-security: Strapi 5 has no admin ${name} to gate`);
      wrapped[name] = async function gated(this: unknown, ctx: RequestCtx, ...rest: unknown[]) {
        assertSignInBody(ctx.request.body, { mustBeObject: false, passwordsAreText: true });
        let result: unknown;
        let held: HeldSession<HeldAdmin> | undefined;
        try {
          result = await original.call(this, ctx, ...rest);
        } finally {
          // Lifted whatever happened: a failed sign-in (wrong code, SSO lock) answers as Strapi answered it.
          held = releaseHold<HeldAdmin>(ctx);
        }
        if (held === undefined) return result;
        ctx.body = undefined;
        ctx.status = 200;
        // Strapi ends every session of an account whose password was reset, before it opens the new one.
        if (name === 'resetPassword') await manager()('admin').invalidateRefreshToken(String(held.user.id));
        const flow: StaffFlow = { action: name, ...deviceParams(ctx.request.body) };
        const begin = await pluginService(strapi, 'step').begin({
          audience: 'staff',
          user: held.user,
          purpose: 'login',
          flow,
          ip: ctx.request.ip,
          universal: universalReturnFor(strapi, 'staff', ctx),
          remembered: staffRemembered(ctx),
        });
        if (begin.kind === 'step') throw new DuoRequiredError(begin.details);
        ctx.body = await adapter().completeLogin({
          userId: held.user.id,
          flow,
          via: begin.via,
          exchange: stepExchange(ctx),
        });
        return result;
      };
    }
    return wrapped;
  });
}
