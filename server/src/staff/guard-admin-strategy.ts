import type { Strapi } from '@strapi/strapi';

import { readDuoClaim } from '../engine/claim';
import type { PolicyService } from '../engine/policy-service';
import { adminTokenService, bearerToken, tokenUserId } from './admin-services';

interface AuthStrategy {
  readonly name?: string;
  authenticate(ctx: unknown): unknown;
  readonly [key: string]: unknown;
}

interface AuthRegistry {
  register(type: string, strategy: AuthStrategy): AuthRegistry;
}

interface RequestCtx {
  request: { header: Record<string, unknown> };
}

const guarded = new WeakSet<object>();

/**
 * Defence in depth for admin sessions: the admin authentication strategy refuses, for an administrator who must use
 * Duo, any token without the Duo claim (tokens from before Duo was on, or minted by a path the gates do not know,
 * such as EE SSO). `admin::token.decodeJwtToken` is synchronous and the Duo requirement needs the database, so the
 * check sits in the strategy's (asynchronous) `authenticate`, before Strapi's own.
 *
 * The admin registers its `admin` strategy in its own register(), which runs after the plugins': the plugin wraps
 * the auth registry's `register` here and guards the strategy as it arrives. bootstrap() then insists that it did.
 */
export function guardAdminStrategy(strapi: Strapi): void {
  const auth = strapi.container.get('auth') as AuthRegistry;
  const register = auth.register;
  auth.register = function registerGuarded(this: AuthRegistry, type: string, strategy: AuthStrategy) {
    if (type === 'admin' && strategy?.name === 'admin' && typeof strategy.authenticate === 'function') {
      guarded.add(strapi);
      return register.call(this, type, withDuoClaimCheck(strapi, strategy));
    }
    return register.call(this, type, strategy);
  };
}

/** Fails the start when the admin strategy escaped the guard: a Duo plugin that cannot enforce must not run. */
export function assertAdminStrategyGuarded(strapi: Strapi): void {
  if (!guarded.has(strapi)) {
    throw new Error(
      'duo-security: the admin authentication strategy was registered before the plugin could guard it; ' +
        'admin tokens without the Duo claim could not be refused, so Strapi must not start',
    );
  }
}

function withDuoClaimCheck(strapi: Strapi, strategy: AuthStrategy): AuthStrategy {
  const policy = () => strapi.plugin('duo-security').service('policy') as PolicyService;

  const refuse = async (ctx: RequestCtx): Promise<boolean> => {
    const token = bearerToken(ctx);
    if (token === undefined) return false;
    if (!(await policy().audienceEnabled('staff'))) return false;
    const { isValid, payload } = adminTokenService(strapi).decodeJwtToken(token);
    // Strapi's strategy refuses invalid tokens itself.
    if (!isValid || readDuoClaim(payload) !== undefined) return false;
    const userId = tokenUserId(payload);
    if (userId === undefined) return true;
    return (await policy().cachedRequirement('staff', userId)).needed;
  };

  return {
    ...strategy,
    async authenticate(ctx: unknown) {
      if (await refuse(ctx as RequestCtx)) return { authenticated: false };
      return strategy.authenticate(ctx);
    },
  };
}
