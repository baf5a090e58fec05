import { createHash, timingSafeEqual } from 'node:crypto';

import { escapeDuoText } from '../duo-text';
import { isObject, type JsonObject } from '../read-fields';
import { invalid, verifyHs512 } from './jwt-hs512';
import type { DuoUniversalResult } from './types';

/** Every Duo SDK allows 60 s of clock skew on the id_token's times; more would stretch a token's life. */
export const ID_TOKEN_LEEWAY_SECONDS = 60;

export interface IdTokenExpectations {
  /** `https://{host}/oauth/v1/token`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The `duo_uname` sent in the authorization request. */
  readonly username: string;
  /** The nonce sent in the authorization request. */
  readonly nonce: string;
  /** Duo's time as best known here (local clock plus the measured offset), in seconds. */
  readonly nowSeconds: number;
  /** The endpoint named in errors. */
  readonly path: string;
}

/**
 * The checks of the Universal Prompt's id_token, in the order Duo's SDKs make them, and all of them: the signature
 * (HS512 only), issuer, audience, expiry and issue time (both required), nonce and username. Any failure is an
 * `invalid-token` error naming the claim, never its value. A token that passes yields Duo's verdict: `allow` only
 * when Duo said so explicitly, anything else is `deny`.
 */
export function checkIdToken(idToken: string, expected: IdTokenExpectations): DuoUniversalResult {
  const { path } = expected;
  const claims = verifyHs512(idToken, expected.clientSecret, 'id_token', path);
  if (claims.iss !== expected.issuer) throw invalid(path, "The id_token's issuer is not this Duo API host");
  if (!isAudience(claims.aud, expected.clientId)) {
    throw invalid(path, "The id_token's audience is not this Client ID");
  }
  const exp = claims.exp;
  const iat = claims.iat;
  if (!isTime(exp)) throw invalid(path, 'The id_token has no valid expiry (exp)');
  if (!isTime(iat)) throw invalid(path, 'The id_token has no valid issue time (iat)');
  if (expected.nowSeconds > exp + ID_TOKEN_LEEWAY_SECONDS) throw invalid(path, 'The id_token has expired');
  if (iat > expected.nowSeconds + ID_TOKEN_LEEWAY_SECONDS) throw invalid(path, 'The id_token was issued in the future');
  if (claims.nbf !== undefined && (!isTime(claims.nbf) || claims.nbf > expected.nowSeconds + ID_TOKEN_LEEWAY_SECONDS)) {
    throw invalid(path, 'The id_token is not valid yet (nbf)');
  }
  if (typeof claims.nonce !== 'string' || !equalInConstantTime(claims.nonce, expected.nonce)) {
    throw invalid(path, "The id_token's nonce does not match the authorization request's");
  }
  if (
    typeof claims.preferred_username !== 'string' ||
    !equalInConstantTime(claims.preferred_username, expected.username)
  ) {
    throw invalid(path, 'The id_token is for another user than the one sent to Duo');
  }
  return verdict(claims, expected.username);
}

function verdict(claims: JsonObject, username: string): DuoUniversalResult {
  const authResult = isObject(claims.auth_result) ? claims.auth_result : {};
  const context = isObject(claims.auth_context) ? claims.auth_context : {};
  // Duo sends both `result` and `status`; Duo's Java example reads `status`, others `result`. Allow needs every one
  // present to say `allow`, and at least one of them: a missing, contradictory or unknown verdict denies.
  const said = [authResult.result, authResult.status].filter((value) => value !== undefined);
  const allowed = said.length > 0 && said.every((value) => value === 'allow');
  return {
    result: allowed ? 'allow' : 'deny',
    username,
    ...text('status', authResult.status),
    ...text('statusMsg', authResult.status_msg),
    ...text('txid', context.txid),
    ...text('factor', context.factor),
    ...text('reason', context.reason),
    ...(isTime(claims.auth_time) ? { authTime: claims.auth_time } : {}),
  };
}

/** Duo's words for audit and display, escaped; left out when absent or not text. */
function text<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: escapeDuoText(value) } as Partial<Record<K, string>>) : {};
}

function isAudience(aud: unknown, clientId: string): boolean {
  if (typeof aud === 'string') return aud === clientId;
  return Array.isArray(aud) && aud.length === 1 && aud[0] === clientId;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Digests first: equal lengths for `timingSafeEqual`, and the time taken says nothing about where they differ. */
function equalInConstantTime(a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
