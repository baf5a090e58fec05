import { universalReturnFor } from './universal-return';
import { clientRemembered } from './remembered';
import type { Strapi } from '@strapi/strapi';

import { stepExchange } from '../controllers/exchange';
import { DuoRequiredError } from '../engine/errors';
import { pluginService } from '../plugin-services';
import { assertSignInBody } from '../utils/sign-in-body';
import type { AudienceAdapter, DuoVia } from './contract';
import { registry } from './registries';

/** The users-permissions auth actions that sign a client in. REST and GraphQL both call them. */
export const CLIENT_SIGN_IN_ACTIONS = [
  'callback',
  'register',
  'resetPassword',
  'changePassword',
  'emailConfirmation',
] as const;

/** The Koa context of a users-permissions auth action, as far as the gate reads it. */
export interface ClientActionCtx {
  body?: unknown;
  status: number;
  state: Record<PropertyKey, unknown>;
  params?: Record<string, unknown>;
  origin?: string;
  request: { ip?: string; secure?: boolean; body?: unknown; method?: string; header: Record<string, unknown> };
  cookies?: { set(name: string, value: string, options?: Record<string, unknown>): unknown };
}

/** The client a sign-in was stopped for: the account (for Duo) and what Strapi would have answered as `user`. */
export interface HeldClient {
  readonly user: { readonly id: number; readonly email?: string | null; readonly username?: string | null };
  readonly sanitized: unknown;
}

/**
 * How users-permissions issues credentials right now (Strapi 4 JWTs, or Strapi 5's sessions): how a sign-in is
 * stopped before the client holds anything, and what the step must remember to finish it the same way.
 */
export interface ClientGateMode {
  /** Runs Strapi's action; names the client it stopped, who must pass Duo first (no credential left behind). */
  run(ctx: ClientActionCtx, action: () => Promise<unknown>): Promise<{ result: unknown; held?: HeldClient }>;
  /** How the caller's current credential passed Duo, if it did: a password change keeps that. */
  callerVia(ctx: ClientActionCtx): Promise<DuoVia | undefined>;
  /** What the step keeps of the request besides the action and the user (device, cookie wish). */
  flow(ctx: ClientActionCtx, action: string): Record<string, unknown>;
}

type Action = (ctx: ClientActionCtx, ...rest: unknown[]) => unknown;

/**
 * Wraps each action that signs a client in. Strapi's own checks run untouched (password, blocked, confirmation
 * codes); for a client who must use Duo, the mode stops the credential and a Duo step answers instead. Once Duo
 * allows (at once for a bypass, or later through the step), the adapter issues what the action would have.
 */
export function gateClientSignIns(
  strapi: Strapi,
  options: {
    readonly actions: readonly string[];
    readonly mode: (ctx: ClientActionCtx) => ClientGateMode;
    readonly adapter: () => AudienceAdapter;
  },
): void {
  registry<Record<string, Action>>(strapi, 'controllers').extend('plugin::users-permissions.auth', (controller) => {
    const wrapped: Record<string, Action> = { ...controller };
    for (const name of options.actions) {
      const original = controller[name];
      if (typeof original !== 'function') continue;
      wrapped[name] = async function gated(this: unknown, ctx: ClientActionCtx, ...rest: unknown[]) {
        // users-permissions' local sign-in (`callback` without a provider) reads the body's fields.
        const local = name === 'callback' && (ctx.params?.provider ?? 'local') === 'local';
        assertSignInBody(ctx.request.body, { mustBeObject: local && ctx.request.method === 'POST' });
        const mode = options.mode(ctx);
        // Read first: changing the password may end the caller's session before the action answers.
        const prior = name === 'changePassword' ? await mode.callerVia(ctx) : undefined;
        const { result, held } = await mode.run(ctx, async () => original.call(this, ctx, ...rest));
        if (held === undefined) return result;

        dropAnswer(ctx);
        const flow = { action: name, user: held.sanitized, ...mode.flow(ctx, name) };
        const finish = async (via: DuoVia) =>
          respond(
            ctx,
            await options.adapter().completeLogin({ userId: held.user.id, flow, via, exchange: stepExchange(ctx) }),
          );
        // The caller is signed in with a credential that already passed Duo (verification refuses others).
        if (prior !== undefined) {
          await finish(prior);
          return result;
        }
        const begin = await pluginService(strapi, 'step').begin({
          audience: 'clients',
          user: held.user,
          purpose: 'login',
          flow,
          ip: ctx.request.ip,
          universal: universalReturnFor(strapi, 'clients', ctx),
          remembered: clientRemembered(ctx),
        });
        if (begin.kind === 'step') throw new DuoRequiredError(begin.details);
        await finish(begin.via);
        return result;
      };
    }
    return wrapped;
  });
}

/**
 * The token answer the action left, dropped. Clearing a body makes Koa set an explicit 204, which survives the next
 * body (and Koa sends no body with 204): GraphQL's Koa integration writes its answer without a status, so the Duo
 * step's GraphQL error would go out as an empty 204. Put back the 200 the action answered with.
 */
function dropAnswer(ctx: ClientActionCtx): void {
  if (ctx.body === undefined) return;
  ctx.body = undefined;
  ctx.status = 200;
}

/** The adapter's answer, with the status the action would have answered with (see `dropAnswer`). */
function respond(ctx: ClientActionCtx, body: unknown): void {
  ctx.status = 200;
  ctx.body = body;
}
