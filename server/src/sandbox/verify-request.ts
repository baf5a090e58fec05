import { createHash, timingSafeEqual } from 'node:crypto';

import { canonicalize, canonicalXDuoHeaders, hmacHex, sha512Hex } from '../duo/signing';
import { badTimestamp, invalidIntegrationKey, invalidSignature, missingCredentials } from './errors';
import { mergeParams, type MultiParams } from './params';
import { parseRfc2822 } from './rfc2822';
import type { SandboxIntegration } from './types';

export interface SignedRequest {
  readonly method: string;
  /** The path exactly as sent, without the query string. */
  readonly path: string;
  /** The host the canonical text must name (configured, or the `Host` header minus port). */
  readonly host: string;
  /** Header name (lowercase) → every value received for it. */
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  readonly queryParams: MultiParams;
  /** Parameters of a form-encoded body; null for a JSON (v5) body. */
  readonly formParams: MultiParams | null;
  readonly rawBody: Buffer;
}

export interface VerifyContext {
  readonly integrations: ReadonlyMap<string, SandboxIntegration>;
  readonly nowMs: number;
  readonly dateToleranceSec: number;
}

function header(request: SignedRequest, name: string): string | undefined {
  return request.headers[name]?.[0];
}

function credentials(request: SignedRequest): { ikey: string; signature: string } {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header(request, 'authorization') ?? '');
  if (!match?.[1]) throw missingCredentials();
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) throw missingCredentials();
  return { ikey: decoded.slice(0, colon), signature: decoded.slice(colon + 1) };
}

/** `x-duo-*` headers for the v5 header hash; undefined when they cannot be canonicalised (duplicates, NUL). */
function xDuoHeaders(request: SignedRequest): Record<string, string> | undefined {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, values] of Object.entries(request.headers)) {
    if (!name.startsWith('x-duo-') || !values) continue;
    const [value, ...more] = values;
    if (value === undefined || more.length > 0) return undefined;
    out[name] = value;
  }
  try {
    canonicalXDuoHeaders(out);
  } catch {
    return undefined;
  }
  return out;
}

/** Every signature Duo would accept for this request: v2 with HMAC-SHA1 or -SHA512, and v5. */
function candidateSignatures(request: SignedRequest, skey: string, date: string): string[] {
  const base = { date, method: request.method, host: request.host, path: request.path };
  const v2Params = request.formParams ? mergeParams(request.queryParams, request.formParams) : request.queryParams;
  const v2 = canonicalize(2, { ...base, params: v2Params });
  const candidates = [hmacHex('sha1', skey, v2), hmacHex('sha512', skey, v2)];

  const headers = xDuoHeaders(request);
  if (headers) {
    // Lines 1–5 of v5 are v2's with query parameters only; the body hash covers the raw bytes received,
    // not a re-decoded string, so a client that signed what it sent always matches.
    const v5 = [
      canonicalize(2, { ...base, params: request.queryParams }),
      createHash('sha512').update(request.rawBody).digest('hex'),
      sha512Hex(canonicalXDuoHeaders(headers)),
    ].join('\n');
    candidates.push(hmacHex('sha512', skey, v5));
  }
  return candidates;
}

function sameSignature(received: Buffer, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/**
 * Duo's order of checks (as its own mockduo has it): credentials, integration key, timestamp, signature.
 * Returns the integration that signed the request, or throws the DuoApiError Duo would answer with.
 */
export function verifyRequest(request: SignedRequest, context: VerifyContext): SandboxIntegration {
  const { ikey, signature } = credentials(request);
  const integration = context.integrations.get(ikey);
  if (!integration) throw invalidIntegrationKey();

  const date = header(request, 'x-duo-date') ?? header(request, 'date');
  const dateMs = date === undefined ? null : parseRfc2822(date);
  if (date === undefined || dateMs === null) throw badTimestamp();
  if (Math.abs(dateMs - context.nowMs) > context.dateToleranceSec * 1000) throw badTimestamp();

  const received = Buffer.from(signature, 'utf8');
  let matched = false;
  // No early exit: the time taken should not say which variant came close.
  for (const candidate of candidateSignatures(request, integration.skey, date)) {
    if (sameSignature(received, candidate)) matched = true;
  }
  if (!matched) throw invalidSignature();
  return integration;
}
