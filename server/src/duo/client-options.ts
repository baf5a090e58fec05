import type { LookupFunction } from 'node:net';

import type { Dispatcher } from 'undici';

import type { SignatureVersion } from './signing';

export interface DuoTimeouts {
  /** ping, check, logo, enroll, enroll_status, preauth, async auth. */
  readonly shortMs: number;
  /** A synchronous `auth`, which waits for the user (Duo gives up after about 60 s). */
  readonly authMs: number;
  /** `auth_status`, a long-poll that returns on the next status change. */
  readonly statusMs: number;
}

export interface DuoAuthClientOptions {
  /** The Auth API application's Integration Key (`DI…`). */
  readonly integrationKey: string;
  /** The Auth API application's Secret Key. Kept in a private field; never logged or serialised. */
  readonly secretKey: string;
  /** `api-XXXXXXXX.duosecurity.com`; outside production also `http://127.0.0.1:PORT` for the sandbox. */
  readonly apiHostname: string;
  /** 5 (HMAC-SHA512 over a JSON body and header hash, the default) or 2 (HMAC-SHA512, form bodies). */
  readonly signatureVersion?: SignatureVersion;
  /** Only Duo's own hostnames, HTTPS only. Defaults to `NODE_ENV === 'production'`. */
  readonly production?: boolean;
  readonly ca?: string | readonly string[];
  readonly proxy?: string;
  /** Resolves Duo's host name instead of the system resolver (`dns.lookup`'s contract); not used with `proxy`. */
  readonly lookup?: LookupFunction;
  /** Connections for the calls Duo answers at once (default 16). Held calls (sync auth, auth_status) are not capped. */
  readonly connections?: number;
  readonly timeouts?: Partial<DuoTimeouts>;
  /** How long HTTP 429 answers are retried before giving up, in ms (default 10 000: sized for a login). */
  readonly rateLimitBudgetMs?: number;
  /** Bring your own undici dispatcher (tests, custom pooling). The client does not close it. */
  readonly dispatcher?: Dispatcher;
  /** Clock in ms; for tests. */
  readonly now?: () => number;
  /** Jitter source in [0, 1); for tests. */
  readonly random?: () => number;
  readonly userAgent?: string;
}

export const DEFAULT_TIMEOUTS: DuoTimeouts = { shortMs: 10_000, authMs: 75_000, statusMs: 75_000 };

/** A Secret Key with a control character was pasted wrongly (a newline, a tab): refused before any call. */
export function hasControlCharacters(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}
