import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HS512 compact JWS, written for the sandbox alone: nothing here comes from the plugin's client or a JWT library,
 * so a mistake shared by a client and its test double cannot make both agree on a wrong token.
 */

export type JsonObject = Record<string, unknown>;

export interface DecodedJws {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly signingInput: string;
  readonly signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function base64url(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeJson(part: string): JsonObject | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function hmac(signingInput: string, secret: string, hash: 'sha512' | 'sha256' = 'sha512'): Buffer {
  return createHmac(hash, Buffer.from(secret, 'utf8')).update(signingInput, 'ascii').digest();
}

/** Splits and parses a compact JWS; undefined when it is not three base64url parts with JSON objects. */
export function decodeJws(token: string): DecodedJws | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head = '', body = '', sig = ''] = parts;
  const header = decodeJson(head);
  const payload = decodeJson(body);
  if (!header || !payload || !BASE64URL.test(sig)) return undefined;
  return { header, payload, signingInput: `${head}.${body}`, signature: Buffer.from(sig, 'base64url') };
}

/** Only `alg: HS512` counts; the MAC is compared in constant time. */
export function verifyHs512(jws: DecodedJws, secret: string): boolean {
  if (jws.header['alg'] !== 'HS512') return false;
  const expected = hmac(jws.signingInput, secret);
  return jws.signature.length === expected.length && timingSafeEqual(jws.signature, expected);
}

/** `HS256` exists only so the sandbox can mint the wrong-algorithm token a client must refuse. */
export function signJws(payload: JsonObject, secret: string, alg: 'HS512' | 'HS256' = 'HS512'): string {
  const signingInput = `${base64url(JSON.stringify({ alg, typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(hmac(signingInput, secret, alg === 'HS512' ? 'sha512' : 'sha256'))}`;
}

/** A NumericDate: a finite number (Duo's Python SDK sends fractions). */
export function numericDate(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
