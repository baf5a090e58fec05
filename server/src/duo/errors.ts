/**
 * The one error type the Duo client throws. `reason` says what kind of failure it was so callers can apply their
 * fail mode without parsing messages; `code`, `httpStatus`, `duoMessage` and `messageDetail` carry what Duo said.
 *
 * Messages never contain request credentials, passcodes or response bodies: they end up in logs and audit trails.
 * Duo's own words are escaped (`escapeDuoText`) in `message`, `duoMessage` and `messageDetail`; only the `…Raw`
 * fields keep them as sent, and `toJSON` leaves those out so no logger prints them by accident.
 */
import { escapeDuoText, escapeOptionalDuoText } from './duo-text';

export type DuoErrorReason =
  /** Duo answered `stat: FAIL` (see `code`). */
  | 'api'
  /** HTTP 429 persisted beyond the rate-limit budget. */
  | 'rate-limited'
  /** Duo (or something in front of it) failed: 5xx, connection refused, DNS, a TLS handshake that broke, reset. */
  | 'unavailable'
  /**
   * Duo's TLS certificate was refused: expired, not yet valid, for another host name, or from a CA this server does
   * not trust. Not an outage: it is what someone in the middle looks like, so no fail mode lets a login through.
   */
  | 'tls'
  /** The call's own timeout elapsed. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The reply was not a Duo envelope: HTML, garbage, empty, or fields of the wrong type. */
  | 'protocol'
  /** Duo sent a `result` this client does not know; treated as a refusal (fail closed). */
  | 'unexpected-result'
  /** The client was configured with values it refuses (hostname, keys, transport). */
  | 'config'
  /**
   * Universal Prompt: the token reply, the id_token or the code handed back failed a check (signature, issuer,
   * audience, time, nonce, username, token type). Never an outage: always a refusal.
   */
  | 'invalid-token';

export interface DuoErrorInit {
  readonly reason: DuoErrorReason;
  readonly message: string;
  readonly code?: number | undefined;
  readonly httpStatus?: number | undefined;
  /** Duo's `message` as sent; the error escapes it. */
  readonly duoMessageRaw?: string | undefined;
  /** Duo's `message_detail` as sent; the error escapes it. */
  readonly messageDetailRaw?: string | undefined;
  readonly path?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

export class DuoError extends Error {
  override readonly name = 'DuoError';
  readonly reason: DuoErrorReason;
  /** Duo's numeric error code (e.g. 40103), when Duo gave one. */
  readonly code: number | undefined;
  readonly httpStatus: number | undefined;
  /** Duo's `message`, control characters escaped: safe for logs, audit rows and answers. */
  readonly duoMessage: string | undefined;
  /** Duo's `message_detail`, control characters escaped. */
  readonly messageDetail: string | undefined;
  // Private with getters, so the raw text is no own property: `util.inspect`, loggers that copy an error's fields
  // and `JSON.stringify` never see it.
  readonly #duoMessageRaw: string | undefined;
  readonly #messageDetailRaw: string | undefined;
  /** The Duo API path of the failed call. */
  readonly path: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: DuoErrorInit) {
    // Escaped again as a whole: a message built by mistake from raw Duo text still comes out safe (idempotent).
    super(escapeDuoText(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.#duoMessageRaw = init.duoMessageRaw;
    this.#messageDetailRaw = init.messageDetailRaw;
    this.duoMessage = escapeOptionalDuoText(init.duoMessageRaw);
    this.messageDetail = escapeOptionalDuoText(init.messageDetailRaw);
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Duo's `message` exactly as sent. Never log or show it: it may carry terminal escapes. */
  get duoMessageRaw(): string | undefined {
    return this.#duoMessageRaw;
  }

  /** Duo's `message_detail` exactly as sent. Never log or show it. */
  get messageDetailRaw(): string | undefined {
    return this.#messageDetailRaw;
  }

  /** Wrong integration key (40102) or wrong secret key (40103). */
  get isCredentialError(): boolean {
    return this.code === DUO_ERROR_CODES.invalidIntegrationKey || this.code === DUO_ERROR_CODES.invalidSignature;
  }

  /** The keys belong to another Duo application type (Admin API, Web SDK…): "use an Auth API application". */
  get isWrongApplicationType(): boolean {
    return this.code === DUO_ERROR_CODES.wrongIntegrationType;
  }

  /** Duo refused the request's date: the server clock is too far from Duo's. */
  get isClockError(): boolean {
    return this.code === DUO_ERROR_CODES.badTimestamp;
  }

  /** Duo could not be used at all (the cases a fail mode applies to), as opposed to Duo refusing the request. */
  get isServiceFailure(): boolean {
    return (
      this.reason === 'unavailable' ||
      this.reason === 'timeout' ||
      this.reason === 'rate-limited' ||
      this.reason === 'protocol'
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      reason: this.reason,
      message: this.message,
      code: this.code,
      httpStatus: this.httpStatus,
      duoMessage: this.duoMessage,
      messageDetail: this.messageDetail,
      path: this.path,
    };
  }
}

export const DUO_ERROR_CODES = {
  missingParameters: 40001,
  invalidParameters: 40002,
  invalidIntegrationKey: 40102,
  invalidSignature: 40103,
  badTimestamp: 40105,
  wrongIntegrationType: 40301,
  rateLimited: 42901,
} as const;
