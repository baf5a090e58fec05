import { timingSafeEqual } from 'node:crypto';

import { canonicalV2, canonicalV5, hmacOf, xDuoHeaderText, type ParamLists } from './duo-canonical';
import { badTimestamp, invalidIntegrationKey, invalidSignature, missingCredentials } from './errors';
import { parseRfc2822 } from './rfc2822';
import type { SandboxIntegration } from './types';

/**
 * Duo's check of a signed request (duo-auth-api.md §1.6), on the sandbox's own canonical text (`duo-canonical.ts`):
 * it shares no code with the client's signer, so a bug in one shows up as a refusal of the other.
 */
export interface SignedRequest {
  readonly method: string;
  /** The path exactly as sent, without the query string. */
  readonly path: string;
  /** The host the canonical text must name (configured, or the `Host` header minus port). */
  readonly host: string;
  /** Header name (lowercase) → every value received for it. */
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  /** The query string as sent, without `?` (empty when there is none). */
  readonly query: string;
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

/** Form decoding (`+` is a space): Python's and Go's clients send that even though they sign `%20` (§1.4). */
function formDecode(text: string, into: Record<string, string[]>): void {
  for (const [key, value] of new URLSearchParams(text)) (into[key] ??= []).push(value);
}

function decodeParams(...texts: readonly string[]): ParamLists {
  const params = Object.create(null) as Record<string, string[]>;
  for (const text of texts) formDecode(text, params);
  return params;
}

/**
 * How the body was sent decides the signature version (§1.4): v5 puts POST parameters in a JSON body that it hashes;
 * v2 puts them in a form body that it signs as parameters. A v2 signature never covers a JSON body, so accepting
 * one would let anyone on the path rewrite the body; a v5 signature over a form body is no request Duo's clients send.
 */
type BodyKind = 'none' | 'json' | 'form';

function bodyKind(request: SignedRequest): BodyKind {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'DELETE' || method === 'HEAD') return 'none';
  return /^application\/json\s*(;|$)/i.test(header(request, 'content-type') ?? '') ? 'json' : 'form';
}

/** The `x-duo-*` headers received, or undefined when one came twice (no Duo client sends that). */
function xDuoHeaders(request: SignedRequest): Record<string, string> | undefined {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, values] of Object.entries(request.headers)) {
    if (!name.toLowerCase().startsWith('x-duo-') || !values) continue;
    if (values.length !== 1 || values[0] === undefined) return undefined;
    out[name] = values[0];
  }
  return out;
}

/** Every signature Duo would accept for this request: v2 with HMAC-SHA1 or -SHA512 and/or v5, by body kind. */
function candidateSignatures(request: SignedRequest, skey: string, date: string): string[] {
  const kind = bodyKind(request);
  const base = { date, method: request.method, host: request.host, path: request.path };
  const candidates: string[] = [];
  if (kind !== 'json') {
    const params =
      kind === 'form' ? decodeParams(request.query, request.rawBody.toString('utf8')) : decodeParams(request.query);
    const v2 = canonicalV2({ ...base, params });
    candidates.push(hmacOf('sha1', skey, v2), hmacOf('sha512', skey, v2));
  }
  const headers = kind === 'form' ? undefined : xDuoHeaders(request);
  const headerText = headers === undefined ? undefined : xDuoHeaderText(headers);
  if (headerText !== undefined) {
    // The body hash covers the raw bytes received, not a re-serialised object: a client signs what it sends.
    const v5 = canonicalV5({ ...base, params: decodeParams(request.query) }, request.rawBody, headerText);
    candidates.push(hmacOf('sha512', skey, v5));
  }
  return candidates;
}

function sameSignature(received: Buffer, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/**
 * The date the signature covers: `X-Duo-Date` when present (as mockduo prefers it), else `Date`. §1.1 names both for
 * every version: duo_unix signs v2 with `X-Duo-Date` and duo_hmac_python v5 with it, so v2 + `X-Duo-Date` is accepted.
 * A date header sent twice is ambiguous and refused.
 */
function signedDate(request: SignedRequest): string {
  const values = request.headers['x-duo-date'] ?? request.headers['date'];
  if (values?.length !== 1 || values[0] === undefined) throw badTimestamp();
  return values[0];
}

/**
 * Whole seconds on both sides: the header cannot say more, so exactly `dateToleranceSec` away passes and one
 * second more fails, whichever way the clock is off.
 */
function checkDate(date: string, context: VerifyContext): void {
  const dateMs = parseRfc2822(date);
  if (dateMs === null) throw badTimestamp();
  const skewSec = Math.floor(dateMs / 1000) - Math.floor(context.nowMs / 1000);
  if (Math.abs(skewSec) > context.dateToleranceSec) throw badTimestamp();
}

/**
 * Duo's order of checks (as its own mockduo has it): credentials, integration key, timestamp, signature.
 * Returns the integration that signed the request, or throws the DuoApiError Duo would answer with.
 */
export function verifyRequest(request: SignedRequest, context: VerifyContext): SandboxIntegration {
  const { ikey, signature } = credentials(request);
  const integration = context.integrations.get(ikey);
  if (!integration) throw invalidIntegrationKey();

  const date = signedDate(request);
  checkDate(date, context);

  const received = Buffer.from(signature, 'utf8');
  let matched = false;
  // No early exit: the time taken should not say which variant came close.
  for (const candidate of candidateSignatures(request, integration.skey, date)) {
    if (sameSignature(received, candidate)) matched = true;
  }
  if (!matched) throw invalidSignature();
  return integration;
}
