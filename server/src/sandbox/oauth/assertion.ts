import { invalidClient } from './errors';
import { decodeJws, numericDate, verifyHs512 } from './jws';
import type { SandboxOAuthClient } from '../types';

/** Seconds of clock difference tolerated on `exp` and `iat`, as Duo's SDKs allow on the id_token. */
export const ASSERTION_LEEWAY_SEC = 60;
/** Java's SDK signs for an hour; nothing longer is accepted. */
export const ASSERTION_MAX_LIFE_SEC = 3600;

/** Seen `jti`s, each kept until its assertion would have expired anyway. */
export class JtiStore {
  readonly #seen = new Map<string, number>();

  /** False when the pair was already used; otherwise remembers it until `untilSec`. */
  claim(clientId: string, jti: string, nowSec: number, untilSec: number): boolean {
    for (const [key, until] of this.#seen) if (until < nowSec) this.#seen.delete(key);
    const key = `${clientId}\u0000${jti}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, untilSec);
    return true;
  }
}

export interface AssertionCheck {
  readonly client: SandboxOAuthClient;
  readonly assertion: string | undefined;
  /** Every spelling of this endpoint's URL a client may sign for (the scheme Duo implies and the one in use). */
  readonly audiences: readonly string[];
  readonly nowSec: number;
  readonly jtis: JtiStore;
}

/**
 * RFC 7523 client authentication as Duo's SDKs perform it: HS512 with the client secret, `iss` = `sub` = client id,
 * `aud` the exact endpoint URL, a live `exp`, and a `jti` never seen before (stricter than Duo documents).
 * Returns the audience the client used, which names the sandbox the way that client sees it.
 */
export function verifyClientAssertion(check: AssertionCheck): string {
  const { client, assertion, nowSec } = check;
  if (!assertion) throw invalidClient('Missing client_assertion.');
  const jws = decodeJws(assertion);
  if (!jws) throw invalidClient('Error decoding client_assertion.');
  if (jws.header['alg'] !== 'HS512') throw invalidClient('Unsupported client_assertion algorithm.');
  if (!verifyHs512(jws, client.clientSecret)) throw invalidClient('Failed to verify signature.');
  const claims = jws.payload;
  if (claims['iss'] !== client.clientId || claims['sub'] !== client.clientId) {
    throw invalidClient('The client_assertion iss and sub must be the client id.');
  }
  const aud = claims['aud'];
  if (typeof aud !== 'string' || !check.audiences.includes(aud)) {
    throw invalidClient('The client_assertion aud must be this endpoint URL.');
  }
  const exp = numericDate(claims['exp']);
  if (exp === undefined) throw invalidClient('The client_assertion has no exp.');
  if (exp <= nowSec - ASSERTION_LEEWAY_SEC) throw invalidClient('The client_assertion has expired.');
  if (exp > nowSec + ASSERTION_MAX_LIFE_SEC + ASSERTION_LEEWAY_SEC) {
    throw invalidClient('The client_assertion lives too long.');
  }
  // No bound on a future `iat`: tests skew the sandbox ±61 s to reach the client's id_token checks, and a refused
  // assertion would stop them one step early. Most SDKs do not even send `iat`.
  if (claims['iat'] !== undefined && numericDate(claims['iat']) === undefined) {
    throw invalidClient('Bad client_assertion iat.');
  }
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti === '' || jti.length > 1024) throw invalidClient('Missing client_assertion jti.');
  if (!check.jtis.claim(client.clientId, jti, nowSec, exp + ASSERTION_LEEWAY_SEC)) {
    throw invalidClient('The client_assertion jti was already used.');
  }
  return aud;
}
