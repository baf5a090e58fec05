import type { LookupFunction } from 'node:net';

import type { Dispatcher } from 'undici';

export interface DuoUniversalClientOptions {
  /** The Web SDK application's Client ID (20 characters). */
  readonly clientId: string;
  /** The Web SDK application's Client Secret (40 characters). Kept in a private field; never logged or serialised. */
  readonly clientSecret: string;
  /** `api-XXXXXXXX.duosecurity.com`; outside production also `http://127.0.0.1:PORT` for the sandbox. */
  readonly apiHostname: string;
  /** Only Duo's own hostnames, HTTPS only. Defaults to `NODE_ENV === 'production'`. */
  readonly production?: boolean;
  readonly ca?: string | readonly string[];
  readonly proxy?: string;
  /** Resolves Duo's host name instead of the system resolver (`dns.lookup`'s contract); not used with `proxy`. */
  readonly lookup?: LookupFunction;
  /** Connections to Duo (default 16). */
  readonly connections?: number;
  /** Per call: the health check and the token exchange (default 10 000 ms). */
  readonly timeoutMs?: number;
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

export interface DuoHealth {
  /** Duo's clock, unix seconds. */
  readonly timestamp: number;
  /** Duo's clock minus the local clock, in ms. */
  readonly offsetMs: number;
}

export interface DuoAuthorizationRequest {
  /** The Duo username (or alias) the prompt is for; the id_token must name the same one. */
  readonly username: string;
  /** Absolute `https:` URL (or `http:` on a loopback host) of the callback; sent again, unchanged, to `/token`. */
  readonly redirectUri: string;
  /** 22–1024 URL-safe characters; generated when absent. */
  readonly state?: string;
  /** 16–1024 URL-safe characters; generated when absent. */
  readonly nonce?: string;
}

/** What to keep (hashed where it is a secret) until Duo redirects back: the exchange needs all of it. */
export interface DuoAuthorization {
  /** Where the browser goes, top level. */
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
  readonly username: string;
  readonly redirectUri: string;
  /** When the signed request expires at Duo (local clock, ms). */
  readonly expiresAt: number;
}

export interface DuoCodeExchange {
  /** `duo_code` from the callback. */
  readonly code: string;
  /** The username of the authorization request. */
  readonly username: string;
  /** The nonce of the authorization request. */
  readonly nonce: string;
  /** The redirect URI of the authorization request, byte for byte. */
  readonly redirectUri: string;
}

/** Duo's verdict from a verified id_token. Text fields are Duo's words, escaped for logs and screens. */
export interface DuoUniversalResult {
  /** `allow` only when Duo said so; anything else, including no verdict at all, is `deny`. */
  readonly result: 'allow' | 'deny';
  /** The username the id_token was checked against. */
  readonly username: string;
  readonly status?: string;
  readonly statusMsg?: string;
  /** Duo's transaction id (`auth_context.txid`), for the audit trail. */
  readonly txid?: string;
  readonly factor?: string;
  readonly reason?: string;
  /** When the user authenticated, unix seconds. */
  readonly authTime?: number;
}
