import { createHmac, timingSafeEqual } from 'node:crypto';

import { DuoError } from '../errors';
import { isObject, type JsonObject } from '../read-fields';

/**
 * Compact JWTs signed with HMAC-SHA512 and the Client Secret: the only kind Duo's Universal Prompt uses (client
 * assertions, the request object, the id_token). No other algorithm is ever produced or accepted, so a token that
 * names `none`, HS256 or RS256 cannot be slipped past the check (the classic algorithm-confusion attacks).
 */

const HEADER = base64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export function signHs512(claims: JsonObject, secret: string): string {
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${mac(signingInput, secret)}`;
}

/**
 * The claims of a token whose header says HS512 and whose signature is the Client Secret's. `what` names the token
 * in errors; the token itself never appears in one.
 */
export function verifyHs512(token: string, secret: string, what: string, path: string): JsonObject {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw invalid(path, `The ${what} is not a compact JWT`);
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (header === undefined) throw invalid(path, `The ${what}'s header is not a JSON object`);
  if (header.alg !== 'HS512') throw invalid(path, `The ${what} is not signed with HS512`);
  // A critical extension this code does not implement must make the token unusable (RFC 7515 §4.1.11).
  if (header.crit !== undefined) throw invalid(path, `The ${what} names critical extensions`);
  // Compared as text: a signature re-encoded differently (padding bits, other alphabet) is refused, not decoded.
  const expected = Buffer.from(mac(`${headerPart}.${payloadPart}`, secret), 'latin1');
  const given = Buffer.from(signaturePart, 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid(path, `The ${what}'s signature does not verify`);
  }
  const claims = decodeJson(payloadPart);
  if (claims === undefined) throw invalid(path, `The ${what}'s claims are not a JSON object`);
  return claims;
}

export function invalid(path: string, message: string): DuoError {
  return new DuoError({ reason: 'invalid-token', message, path });
}

function mac(signingInput: string, secret: string): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(signingInput, 'latin1').digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeJson(segment: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
