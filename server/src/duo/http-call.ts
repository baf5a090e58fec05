import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

import type { Dispatcher } from 'undici';

import { DuoError } from './errors';
import { exponentialBackoffMs, parseRetryAfter } from './retry-after';
import { isCertificateRefusal } from './tls-refusal';

/**
 * One HTTP exchange with Duo, shared by the Auth API client and the Universal Prompt client so both classify
 * failures the same way: the call's own deadline is `timeout`, the caller's signal is `aborted`, anything between
 * here and Duo breaking is `unavailable`. The fail mode depends on that split, so it lives in one place.
 */

export interface RawReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  readonly retryAfter?: string | undefined;
}

export interface DuoHttpRequest {
  readonly dispatcher: Dispatcher;
  readonly origin: string;
  readonly method: 'GET' | 'POST';
  /** The endpoint, as named in errors: never the query, which can carry user data. */
  readonly path: string;
  /** What goes on the request line: the path plus its query, if any. */
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface RateLimitPolicy {
  /** How long 429 answers are retried before giving up, in ms. */
  readonly budgetMs: number;
  readonly now: () => number;
  /** Duo's time as last measured: an HTTP date in Retry-After is on Duo's clock, which may be minutes away. */
  readonly duoNow: () => number;
  readonly random: () => number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const NETWORK_CODES_TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/**
 * The connection broke under the request: typically a kept-alive connection the server (or a load balancer) closed
 * just as it was reused.
 */
const NETWORK_CODES_RESEND = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** Sends one request and reads the whole reply, bounded in time and size. HTTP statuses are not judged here. */
export async function sendToDuo(request: DuoHttpRequest): Promise<RawReply> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
  try {
    const response = await request.dispatcher.request({
      origin: request.origin,
      method: request.method,
      path: request.target,
      headers: request.headers,
      body: request.body,
      signal,
    });
    const bytes = await readLimited(response.body, request.path);
    // undici marks the socket idle only after the body's end has been processed; a call made in the same turn
    // would find it busy and open a second connection. One turn keeps back-to-back calls on one connection.
    await nextTurn();
    return {
      status: response.statusCode,
      contentType: headerValue(response.headers['content-type']) ?? '',
      body: bytes,
      retryAfter: headerValue(response.headers['retry-after']) ?? headerValue(response.headers['x-retry-after']),
    };
  } catch (error) {
    if (error instanceof DuoError) throw error;
    const path = request.path;
    if (request.signal?.aborted === true && !isTimeoutReason(request.signal.reason)) {
      throw new DuoError({ reason: 'aborted', message: `The call to ${path} was cancelled`, path, cause: error });
    }
    const code = errorCode(error);
    if (
      timeout.aborted ||
      request.signal?.aborted === true ||
      (code !== undefined && NETWORK_CODES_TIMEOUT.has(code))
    ) {
      throw new DuoError({
        reason: 'timeout',
        message: `Duo did not answer ${path} before the deadline`,
        path,
        cause: error,
      });
    }
    // A refused certificate is not an outage: it may be someone between here and Duo, so it never fails open.
    if (isCertificateRefusal(code)) {
      throw new DuoError({
        reason: 'tls',
        message: `Duo's TLS certificate was refused (${code} on ${path})`,
        path,
        cause: error,
      });
    }
    throw new DuoError({
      reason: 'unavailable',
      message: `Duo is unreachable (${code ?? 'network error'} on ${path})`,
      path,
      cause: error,
    });
  }
}

/**
 * Runs `attempt` until Duo stops answering HTTP 429: waits as long as Duo's Retry-After says, else backs off as
 * Duo's own clients do, and gives up as `rate-limited` once the budget would be exceeded. `attempt` builds its
 * request afresh each time, so a signature, date or one-time JWT id is never sent twice.
 */
export async function retryWhileRateLimited(
  path: string,
  policy: RateLimitPolicy,
  signal: AbortSignal | undefined,
  attempt: () => Promise<RawReply>,
): Promise<RawReply> {
  const started = policy.now();
  for (let tries = 0; ; tries++) {
    const reply = await attempt();
    if (reply.status !== 429) return reply;
    const retryAfterMs = parseRetryAfter(reply.retryAfter, policy.duoNow());
    const wait = retryAfterMs ?? exponentialBackoffMs(tries, policy.random);
    if (policy.now() - started + wait > policy.budgetMs) {
      throw new DuoError({
        reason: 'rate-limited',
        message: `Duo is temporarily unavailable: it is rate limiting requests to ${path}`,
        code: 42901,
        httpStatus: 429,
        path,
        retryAfterMs,
      });
    }
    await sleepOrStop(wait, signal, path);
  }
}

async function sleepOrStop(ms: number, signal: AbortSignal | undefined, path: string): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (isTimeoutReason(signal?.reason)) {
      throw new DuoError({ reason: 'timeout', message: `The deadline for ${path} passed`, path, cause: error });
    }
    throw new DuoError({ reason: 'aborted', message: `The call to ${path} was cancelled`, path, cause: error });
  }
}

/** A connection that broke under a request: safe to send a request that changes nothing at Duo once more. */
export function isBrokenConnection(error: unknown): boolean {
  const code = error instanceof DuoError && error.reason === 'unavailable' ? errorCode(error.cause) : undefined;
  return code !== undefined && NETWORK_CODES_RESEND.has(code);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `AbortSignal.timeout()` is how callers express a deadline: report it as a timeout, not a cancellation. */
function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

async function readLimited(body: AsyncIterable<Buffer | Uint8Array>, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new DuoError({
        reason: 'protocol',
        message: `Duo's reply to ${path} is larger than ${MAX_BODY_BYTES} bytes`,
        path,
      });
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
