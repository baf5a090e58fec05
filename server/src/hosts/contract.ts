import type { Strapi } from '@strapi/strapi';

import type { DuoClaimValue } from '../engine/claim';
import type { Audience } from '../settings/types';

/** How Duo was passed: the claim the new credential carries (see `engine/claim.ts`). */
export type DuoVia = DuoClaimValue;

/**
 * The HTTP request that finishes a step (or turns Duo on outside one). It reaches the adapter because a host may
 * have to answer with more than a body: Strapi 5 opens an admin session and sets its httpOnly cookie on this response.
 */
export interface StepExchange {
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
  /** Whether the request came over HTTPS (as Koa judges it, proxies included): secure cookies need it. */
  readonly secure?: boolean | undefined;
  setCookie(name: string, value: string, options: Record<string, unknown>): void;
  /** A response header beside the answer (how many backup codes are left). */
  setHeader?(name: string, value: string): void;
}

/** What the engine needs from one host (a Strapi major) for one audience, once Duo has been passed. */
export interface AudienceAdapter {
  readonly audience: Audience;
  /** What the path that started the step would have answered, once Duo allowed (token / session issued here). */
  completeLogin(input: {
    readonly userId: number;
    /** Opaque to the engine: what the gate stored when it opened the step (which path, the sanitized user). */
    readonly flow: unknown;
    readonly via: DuoVia;
    readonly exchange: StepExchange;
  }): Promise<unknown>;
  /**
   * The answer once Duo is turned on for the account. Turning Duo on ends the sessions without the claim, the
   * caller's included: hand it a fresh Duo-passed credential, in the audience's own words.
   */
  completeEnable(input: {
    readonly userId: number;
    readonly via: DuoVia;
    readonly exchange: StepExchange;
  }): Promise<unknown>;
}

export type AudienceAdapters = { readonly [A in Audience]: AudienceAdapter };

/** One Strapi major: where the plugin hooks into Strapi's own logins, and what it answers once Duo allowed. */
export interface Host {
  readonly name: 'v4' | 'v5';
  /** In the plugin's register(): the gates, before routes resolve their actions and auth strategies register. */
  register(strapi: Strapi): void;
  /** In bootstrap(): fails the start when a gate did not take hold (a Duo plugin that cannot enforce must not run). */
  bootstrap(strapi: Strapi): void;
  /** The adapters handed to the step engine. */
  adapters(strapi: Strapi): AudienceAdapters;
}
