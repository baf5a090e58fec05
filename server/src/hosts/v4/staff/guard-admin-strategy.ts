import type { Strapi } from '@strapi/strapi';
import jwt from 'jsonwebtoken';

import { readDuoClaim } from '../../../engine/claim';
import { pluginService } from '../../../plugin-services';
import { bearerToken, tokenUserId } from './admin-services';

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
 * check sits in the strategy's (asynchronous) `authenticate`, after Strapi's own has verified the token.
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
  const policy = () => pluginService(strapi, 'policy');

  // Runs after Strapi's strategy accepted the token: its signature and expiry are verified, so reading the claim
  // needs no second verification (jsonwebtoken's verify costs more than the rest of the check together).
  const refuse = async (ctx: RequestCtx, result: unknown): Promise<boolean> => {
    if (!(await policy().audienceEnabled('staff'))) return false;
    const token = bearerToken(ctx);
    if (token === undefined) return true;
    const decoded: unknown = jwt.decode(token);
    const payload = decoded !== null && typeof decoded === 'object' ? (decoded as Record<string, unknown>) : null;
    if (readDuoClaim(payload) !== undefined) return false;
    const userId = credentialsId(result) ?? tokenUserId(payload);
    if (userId === undefined) return true;
    return (await policy().cachedRequirement('staff', userId)).needed;
  };

  return {
    ...strategy,
    async authenticate(ctx: unknown) {
      const result = await strategy.authenticate(ctx);
      if (!isAuthenticated(result) || !(await refuse(ctx as RequestCtx, result))) return result;
      // Strapi's strategy put the user on the request as it accepted the token: take them off again.
      const state = (ctx as { state?: Record<string, unknown> }).state;
      if (state !== undefined) {
        delete state.user;
        delete state.userAbility;
      }
      return { authenticated: false };
    },
  };
}

function isAuthenticated(result: unknown): boolean {
  return (
    result !== null && typeof result === 'object' && (result as { authenticated?: unknown }).authenticated === true
  );
}

/** The id of the administrator Strapi's strategy authenticated. */
function credentialsId(result: unknown): number | undefined {
  const id = (result as { credentials?: { id?: unknown } }).credentials?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
