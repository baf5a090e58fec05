import type { Dispatcher } from 'undici';

import { DEFAULT_TIMEOUTS, hasControlCharacters, type DuoAuthClientOptions, type DuoTimeouts } from './client-options';
import { buildDuoRequest, compact, encodePushinfo, userParams, type Call, type CallKind } from './duo-request';
import { DuoError } from './errors';
import { resolveDuoEndpoint, type DuoEndpoint } from './hostname-policy';
import { isBrokenConnection, retryWhileRateLimited, sendToDuo, type RawReply } from './http-call';
import { isBadTimestamp, parseEnvelope } from './parse-envelope';
import {
  readAsyncAuth,
  readAuth,
  readAuthStatus,
  readEnrollment,
  readEnrollStatus,
  readPreauth,
  readTime,
} from './results';
import { formatRfc2822, type SignatureVersion } from './signing';
import { createDispatcher } from './transport';
import type {
  DuoAsyncAuth,
  DuoAuthRequest,
  DuoAuthResult,
  DuoAuthStatusResult,
  DuoCallOptions,
  DuoEnrollment,
  DuoEnrollRequest,
  DuoEnrollStatus,
  DuoEnrollStatusRequest,
  DuoLogo,
  DuoPreauthRequest,
  DuoPreauthResult,
  DuoTime,
} from './types';

export type { DuoAuthClientOptions, DuoTimeouts } from './client-options';

/**
 * A client for Duo's Auth API v2: one method per endpoint, typed results, one error type (`DuoError`).
 * Signs every request (v5 by default), reuses connections, bounds every call in time, backs off on HTTP 429
 * within a login-sized budget, and corrects for a skewed server clock.
 */
export class DuoAuthClient {
  readonly #integrationKey: string;
  readonly #secretKey: string;
  readonly #endpoint: DuoEndpoint;
  readonly #signatureVersion: SignatureVersion;
  readonly #timeouts: DuoTimeouts;
  readonly #rateLimitBudgetMs: number;
  /** Calls Duo answers at once (ping, check, preauth, async auth, enroll…), over at most `connections` connections. */
  readonly #dispatcher: Dispatcher;
  /**
   * Calls Duo holds until the user acts (a synchronous auth, the `auth_status` long-poll): each keeps its
   * connection busy for up to a minute. On their own dispatcher, without a connection limit, so that waiting logins
   * never queue behind each other and never hold up another user's preauth.
   */
  readonly #heldDispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #userAgent: string;
  #clockOffsetMs = 0;

  constructor(options: DuoAuthClientOptions) {
    if (!/^[A-Za-z0-9]{1,64}$/.test(options.integrationKey ?? '')) {
      throw new DuoError({ reason: 'config', message: 'The Duo Integration Key is missing or malformed' });
    }
    if (
      typeof options.secretKey !== 'string' ||
      options.secretKey.length === 0 ||
      hasControlCharacters(options.secretKey)
    ) {
      throw new DuoError({ reason: 'config', message: 'The Duo Secret Key is missing or malformed' });
    }
    const production = options.production ?? process.env.NODE_ENV === 'production';
    this.#endpoint = resolveDuoEndpoint(options.apiHostname ?? '', production);
    this.#integrationKey = options.integrationKey;
    this.#secretKey = options.secretKey;
    this.#signatureVersion = options.signatureVersion ?? 5;
    if (this.#signatureVersion !== 5 && this.#signatureVersion !== 2) {
      throw new DuoError({ reason: 'config', message: 'The Duo signature version must be 5 or 2' });
    }
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#rateLimitBudgetMs = options.rateLimitBudgetMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#userAgent = options.userAgent ?? 'strapi-plugin-duo-security';
    this.#ownsDispatcher = options.dispatcher === undefined;
    const transport = {
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      maxResponseMs: Math.max(this.#timeouts.authMs, this.#timeouts.statusMs) + 5_000,
    };
    this.#dispatcher =
      options.dispatcher ??
      createDispatcher({
        ...transport,
        ...(options.connections === undefined ? {} : { connections: options.connections }),
      });
    this.#heldDispatcher = options.dispatcher ?? createDispatcher({ ...transport, connections: null });
  }

  /** Where requests go, e.g. `https://api-xxxxxxxx.duosecurity.com`. */
  get origin(): string {
    return this.#endpoint.origin;
  }

  /** Duo's clock minus the local clock, in ms, as last measured (0 until measured). Added to every signed date. */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  /** Unsigned liveness check; also measures the clock offset. */
  async ping(options: DuoCallOptions = {}): Promise<DuoTime> {
    return this.#timed({ method: 'GET', path: '/auth/v2/ping', params: {}, kind: 'shortMs', signed: false }, options);
  }

  /** Signed credential check ("Test connection"); also measures the clock offset. */
  async check(options: DuoCallOptions = {}): Promise<DuoTime> {
    return this.#timed({ method: 'GET', path: '/auth/v2/check', params: {}, kind: 'shortMs', signed: true }, options);
  }

  /** Re-measures the clock offset with `ping`. */
  async syncClock(options: DuoCallOptions = {}): Promise<number> {
    await this.ping(options);
    return this.#clockOffsetMs;
  }

  async logo(options: DuoCallOptions = {}): Promise<DuoLogo> {
    const call: Call = {
      method: 'GET',
      path: '/auth/v2/logo',
      params: {},
      kind: 'shortMs',
      signed: true,
      binary: true,
    };
    const reply = await this.#call(call, options);
    if (reply.status >= 200 && reply.status < 300 && reply.contentType.startsWith('image/')) {
      return { contentType: reply.contentType, data: reply.body };
    }
    parseEnvelope(call.path, reply.status, reply.body.toString('utf8'));
    throw new DuoError({
      reason: 'protocol',
      message: "Duo's reply to /auth/v2/logo is not an image",
      path: call.path,
    });
  }

  async enroll(request: DuoEnrollRequest = {}, options: DuoCallOptions = {}): Promise<DuoEnrollment> {
    const params = compact({
      username: request.username,
      valid_secs: request.validSecs === undefined ? undefined : String(Math.trunc(request.validSecs)),
    });
    const path = '/auth/v2/enroll';
    return readEnrollment(
      await this.#json({ method: 'POST', path, params, kind: 'shortMs', signed: true }, options),
      path,
    );
  }

  async enrollStatus(request: DuoEnrollStatusRequest, options: DuoCallOptions = {}): Promise<DuoEnrollStatus> {
    const params = { user_id: request.userId, activation_code: request.activationCode };
    const path = '/auth/v2/enroll_status';
    return readEnrollStatus(
      await this.#json({ method: 'POST', path, params, kind: 'shortMs', signed: true }, options),
      path,
    );
  }

  async preauth(request: DuoPreauthRequest, options: DuoCallOptions = {}): Promise<DuoPreauthResult> {
    const params = compact({
      ...userParams(request),
      ipaddr: request.ipaddr,
      hostname: request.hostname,
      trusted_device_token: request.trustedDeviceToken,
      client_supports_verified_push: request.clientSupportsVerifiedPush === true ? '1' : undefined,
    });
    const path = '/auth/v2/preauth';
    return readPreauth(
      await this.#json({ method: 'POST', path, params, kind: 'shortMs', signed: true }, options),
      path,
    );
  }

  /**
   * Starts a second factor. Synchronous by default (waits for the user); with `{ async: true }` returns a txid at
   * once, to follow with `authStatus`.
   */
  auth(request: DuoAuthRequest, options?: DuoCallOptions & { readonly async?: false }): Promise<DuoAuthResult>;
  auth(request: DuoAuthRequest, options: DuoCallOptions & { readonly async: true }): Promise<DuoAsyncAuth>;
  async auth(
    request: DuoAuthRequest,
    options: DuoCallOptions & { readonly async?: boolean } = {},
  ): Promise<DuoAuthResult | DuoAsyncAuth> {
    const isAsync = options.async === true;
    const params = compact({
      ...userParams(request),
      factor: request.factor,
      device: request.device,
      passcode: request.passcode,
      ipaddr: request.ipaddr,
      hostname: request.hostname,
      type: request.type,
      display_username: request.displayUsername,
      pushinfo: request.pushinfo === undefined ? undefined : encodePushinfo(request.pushinfo),
      txid: request.txid,
      async: isAsync ? '1' : undefined,
    });
    const path = '/auth/v2/auth';
    // A passcode is checked at once even synchronously; only out-of-band factors wait for the user.
    const kind: CallKind = isAsync || request.factor === 'passcode' ? 'shortMs' : 'authMs';
    const response = await this.#json({ method: 'POST', path, params, kind, signed: true }, options);
    return isAsync ? readAsyncAuth(response, path) : readAuth(response, path);
  }

  /** Long-polls for the next status change of an asynchronous `auth`. */
  async authStatus(txid: string, options: DuoCallOptions = {}): Promise<DuoAuthStatusResult> {
    const path = '/auth/v2/auth_status';
    const response = await this.#json(
      { method: 'GET', path, params: { txid }, kind: 'statusMs', signed: true },
      options,
    );
    return readAuthStatus(response, path);
  }

  /** Closes the connections this client opened. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await Promise.all([this.#dispatcher.close(), this.#heldDispatcher.close()]);
  }

  toJSON(): Record<string, unknown> {
    return { origin: this.origin, integrationKey: this.#integrationKey, signatureVersion: this.#signatureVersion };
  }

  async #timed(call: Call, options: DuoCallOptions): Promise<DuoTime> {
    const started = this.#now();
    const time = readTime(await this.#json(call, options), call.path);
    const finished = this.#now();
    // Duo's time is whole seconds, truncated: its midpoint is the best estimate of the instant it was read.
    this.#clockOffsetMs = Math.round(time * 1000 + 500 - (started + finished) / 2);
    return { time, offsetMs: this.#clockOffsetMs };
  }

  async #json(call: Call, options: DuoCallOptions): Promise<unknown> {
    const reply = await this.#call(call, options);
    return parseEnvelope(call.path, reply.status, reply.body.toString('utf8'));
  }

  /** One logical call: the request, plus the retries Duo's protocol calls for (429 back-off, one clock fix). */
  async #call(call: Call, options: DuoCallOptions): Promise<RawReply> {
    let clockFixed = false;
    let resent = false;
    const policy = {
      budgetMs: this.#rateLimitBudgetMs,
      now: this.#now,
      duoNow: () => this.#now() + this.#clockOffsetMs,
      random: this.#random,
    };
    return retryWhileRateLimited(call.path, policy, options.signal, async () => {
      for (;;) {
        try {
          const reply = await this.#send(call, options);
          if (reply.status === 401 && call.signed && !clockFixed && isBadTimestamp(reply.body)) {
            clockFixed = true;
            await this.syncClock(options);
            continue;
          }
          return reply;
        } catch (error) {
          // A GET changes nothing at Duo, so one that a broken connection lost is sent once more.
          if (!resent && call.method === 'GET' && isBrokenConnection(error)) {
            resent = true;
            continue;
          }
          throw error;
        }
      }
    });
  }

  async #send(call: Call, options: DuoCallOptions): Promise<RawReply> {
    const { path, headers, body } = buildDuoRequest(call, {
      integrationKey: this.#integrationKey,
      secretKey: this.#secretKey,
      signatureVersion: this.#signatureVersion,
      canonicalHost: this.#endpoint.canonicalHost,
      userAgent: this.#userAgent,
      date: formatRfc2822(this.#now() + this.#clockOffsetMs),
    });
    return sendToDuo({
      dispatcher: call.kind === 'shortMs' ? this.#dispatcher : this.#heldDispatcher,
      origin: this.#endpoint.origin,
      method: call.method,
      path: call.path,
      target: path,
      headers,
      body,
      timeoutMs: options.timeoutMs ?? this.#timeouts[call.kind],
      signal: options.signal,
    });
  }
}
