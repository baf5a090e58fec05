import { randomBytes } from 'node:crypto';

import type { Dispatcher } from 'undici';

import { DuoError } from '../errors';
import { resolveDuoEndpoint, type DuoEndpoint } from '../hostname-policy';
import { retryWhileRateLimited, sendToDuo, type RawReply } from '../http-call';
import { requireNumber, requireObject } from '../read-fields';
import { createDispatcher } from '../transport';
import type { DuoCallOptions } from '../types';
import {
  authorizeUrl,
  checkNonce,
  checkRedirectUri,
  checkState,
  checkUsername,
  REQUEST_LIFETIME_SECONDS,
} from './authorize-request';
import { checkIdToken } from './id-token';
import { invalid, signHs512 } from './jwt-hs512';
import { readOAuthReply } from './oauth-reply';
import type {
  DuoAuthorization,
  DuoAuthorizationRequest,
  DuoCodeExchange,
  DuoHealth,
  DuoUniversalClientOptions,
  DuoUniversalResult,
} from './types';

const HEALTH_CHECK = '/oauth/v1/health_check';
const TOKEN = '/oauth/v1/token';
const ASSERTION_LIFETIME_SECONDS = 300;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * A client for Duo's Universal Prompt (Web SDK v4, OIDC-based): the health check, the authorization URL, the code
 * exchange and a strict id_token check. It rides on the Auth API client's transport (`http-call.ts`), so timeouts,
 * 429 back-off, the production hostname policy and the split between "Duo is unreachable" and "Duo refused" are
 * the same: only the first is an outage a fail mode may act on.
 *
 * Duo names itself `https://{host}` in every JWT (the SDKs' rule), also when a loopback sandbox is reached over
 * plain HTTP outside production.
 */
export class DuoUniversalClient {
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #endpoint: DuoEndpoint;
  /** `https://{host[:port]}`: the `aud` of the request object and the base of every other JWT URL. */
  readonly #duoName: string;
  readonly #timeoutMs: number;
  readonly #rateLimitBudgetMs: number;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #userAgent: string;
  #clockOffsetMs = 0;

  constructor(options: DuoUniversalClientOptions) {
    if (!/^[A-Za-z0-9]{20}$/.test(options.clientId ?? '')) {
      throw new DuoError({ reason: 'config', message: 'The Duo Client ID is missing or malformed (20 characters)' });
    }
    if (typeof options.clientSecret !== 'string' || !/^[\u0021-\u007e]{40}$/.test(options.clientSecret)) {
      throw new DuoError({
        reason: 'config',
        message: 'The Duo Client Secret is missing or malformed (40 characters)',
      });
    }
    const production = options.production ?? process.env.NODE_ENV === 'production';
    this.#endpoint = resolveDuoEndpoint(options.apiHostname ?? '', production);
    this.#duoName = `https://${new URL(this.#endpoint.origin).host}`;
    this.#clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#rateLimitBudgetMs = options.rateLimitBudgetMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#userAgent = options.userAgent ?? 'strapi-plugin-duo-security';
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      createDispatcher({
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
        ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
        ...(options.connections === undefined ? {} : { connections: options.connections }),
        maxResponseMs: this.#timeoutMs + 5_000,
      });
  }

  /** Where requests go, e.g. `https://api-xxxxxxxx.duosecurity.com`. */
  get origin(): string {
    return this.#endpoint.origin;
  }

  /** Duo's clock minus the local clock, in ms, as last measured by `healthCheck` (0 until then). */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  /** `https://{host}/oauth/v1/token`: the only issuer an id_token may name. */
  get issuer(): string {
    return `${this.#duoName}${TOKEN}`;
  }

  /**
   * Duo's health check, signed with the Client Secret: proves the credentials and measures the clock offset the
   * JWT times are corrected by. Duo answering FAIL (wrong credentials or application type) is an `api` error;
   * only an unreachable Duo (network error, timeout, 5xx, a reply that is not Duo's) is an outage.
   */
  async healthCheck(options: DuoCallOptions = {}): Promise<DuoHealth> {
    const started = this.#now();
    const response = await this.#post(HEALTH_CHECK, 'envelope', () => ({ client_id: this.#clientId }), [], options);
    const finished = this.#now();
    const timestamp = requireNumber(requireObject(response, HEALTH_CHECK, 'the response'), 'timestamp', HEALTH_CHECK);
    // Duo's time is whole seconds, truncated: its midpoint is the best estimate of the instant it was read.
    this.#clockOffsetMs = Math.round(timestamp * 1000 + 500 - (started + finished) / 2);
    return { timestamp, offsetMs: this.#clockOffsetMs };
  }

  /**
   * The URL the browser opens (top level: Duo's prompt refuses frames), with fresh `state` and `nonce` unless
   * given. No network call.
   */
  createAuthorization(request: DuoAuthorizationRequest): DuoAuthorization {
    const username = checkUsername(request.username);
    const redirectUri = checkRedirectUri(request.redirectUri);
    const state = checkState(request.state);
    const nonce = checkNonce(request.nonce);
    const url = authorizeUrl(this.#endpoint.origin, {
      clientId: this.#clientId,
      clientSecret: this.#clientSecret,
      audience: this.#duoName,
      username,
      redirectUri,
      state,
      nonce,
      nowSeconds: this.#duoSeconds(),
    });
    return { url, state, nonce, username, redirectUri, expiresAt: this.#now() + REQUEST_LIFETIME_SECONDS * 1000 };
  }

  /**
   * Trades `duo_code` for Duo's verdict and checks the id_token strictly (see `id-token.ts`). The caller must have
   * matched and consumed the state first. Bad tokens are `invalid-token` errors; a verified token that is not an
   * explicit allow comes back as `{ result: 'deny' }`.
   */
  async exchangeCode(exchange: DuoCodeExchange, options: DuoCallOptions = {}): Promise<DuoUniversalResult> {
    const { code } = exchange;
    if (typeof code !== 'string' || !/^[\u0021-\u007e]{1,2048}$/.test(code)) {
      throw invalid(TOKEN, 'The duo_code is missing or malformed');
    }
    // Never generated here: the id_token must echo the nonce of the authorization request.
    if (typeof exchange.nonce !== 'string') throw new DuoError({ reason: 'config', message: 'The nonce is missing' });
    const nonce = checkNonce(exchange.nonce);
    const username = checkUsername(exchange.username);
    const redirectUri = checkRedirectUri(exchange.redirectUri);
    const form = (): Record<string, string> => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: this.#clientId,
      client_assertion_type: JWT_BEARER,
    });
    const reply = await this.#post(TOKEN, 'plain', form, [code, nonce], options);
    const body = requireObject(reply, TOKEN, 'the response');
    if (typeof body.id_token !== 'string' || body.id_token === '') {
      throw invalid(TOKEN, "Duo's token reply has no id_token");
    }
    if (body.token_type !== 'Bearer') throw invalid(TOKEN, "Duo's token reply is not of type Bearer");
    return checkIdToken(body.id_token, {
      issuer: this.issuer,
      clientId: this.#clientId,
      clientSecret: this.#clientSecret,
      username,
      nonce,
      nowSeconds: this.#duoSeconds(),
      path: TOKEN,
    });
  }

  /** Closes the connections this client opened. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  toJSON(): Record<string, unknown> {
    return { origin: this.origin, clientId: this.#clientId };
  }

  /** A signed POST; each attempt (after a 429) carries a new client assertion, so no `jti` is ever sent twice. */
  async #post(
    path: string,
    shape: 'envelope' | 'plain',
    fields: () => Record<string, string>,
    secrets: readonly string[],
    options: DuoCallOptions,
  ): Promise<unknown> {
    const sent: string[] = [this.#clientSecret, ...secrets];
    const policy = {
      budgetMs: this.#rateLimitBudgetMs,
      now: this.#now,
      duoNow: () => this.#now() + this.#clockOffsetMs,
      random: this.#random,
    };
    const reply: RawReply = await retryWhileRateLimited(path, policy, options.signal, () => {
      const assertion = this.#clientAssertion(path);
      sent.push(assertion);
      const body = new URLSearchParams({ ...fields(), client_assertion: assertion }).toString();
      return sendToDuo({
        dispatcher: this.#dispatcher,
        origin: this.#endpoint.origin,
        method: 'POST',
        path,
        target: path,
        headers: {
          'user-agent': this.#userAgent,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
        timeoutMs: options.timeoutMs ?? this.#timeoutMs,
        signal: options.signal,
      });
    });
    return readOAuthReply(path, reply.status, reply.body.toString('utf8'), shape, sent);
  }

  /** RFC 7523 client authentication, addressed to exactly the endpoint it is sent to. */
  #clientAssertion(path: string): string {
    const now = this.#duoSeconds();
    return signHs512(
      {
        iss: this.#clientId,
        sub: this.#clientId,
        aud: `${this.#duoName}${path}`,
        jti: randomBytes(27).toString('base64url'),
        iat: now,
        exp: now + ASSERTION_LIFETIME_SECONDS,
      },
      this.#clientSecret,
    );
  }

  /** Duo's time as best known here: the local clock corrected by the last measured offset, whole seconds. */
  #duoSeconds(): number {
    return Math.floor((this.#now() + this.#clockOffsetMs) / 1000);
  }
}
