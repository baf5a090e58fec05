import { DuoError } from './errors';
import { canonicalParams, percentEncode, sign, type SignatureVersion } from './signing';
import type { DuoUserRef } from './types';

/** Which of the client's time bounds applies (see `DuoTimeouts`). */
export type CallKind = 'shortMs' | 'authMs' | 'statusMs';
export type Params = Record<string, string>;

/** One Auth API call, before it is encoded and signed. */
export interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly params: Params;
  readonly kind: CallKind;
  readonly signed: boolean;
  readonly binary?: boolean;
}

/** What signing needs besides the call; `date` is already corrected for Duo's clock. */
export interface RequestSigner {
  readonly integrationKey: string;
  readonly secretKey: string;
  readonly signatureVersion: SignatureVersion;
  readonly canonicalHost: string;
  readonly userAgent: string;
  readonly date: string;
}

export interface DuoRequest {
  /** The path with its query, canonicalised exactly as signed. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * The exact bytes of one request, and the signature over those same bytes: v5 sends a POST's parameters as JSON
 * and signs the body's hash; v2 sends and signs them form-encoded. A GET's query is sent as canonicalised, so Duo
 * hashes what was signed.
 */
export function buildDuoRequest(call: Call, signer: RequestSigner): DuoRequest {
  const { date } = signer;
  const headers: Record<string, string> = { date, 'user-agent': signer.userAgent, accept: 'application/json' };
  const v5 = signer.signatureVersion === 5;
  let queryParams: Params = {};
  let body: string | undefined;
  if (call.method === 'GET') {
    queryParams = call.params;
  } else if (v5) {
    body = JSON.stringify(call.params);
    headers['content-type'] = 'application/json';
  } else {
    body = canonicalParams(call.params);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (call.signed) {
    const signed = sign(signer.signatureVersion, {
      integrationKey: signer.integrationKey,
      secretKey: signer.secretKey,
      date,
      method: call.method,
      host: signer.canonicalHost,
      path: call.path,
      params: v5 || call.method === 'GET' ? queryParams : call.params,
      body: v5 ? (body ?? '') : null,
      xDuoHeaders: {},
    });
    headers.authorization = signed.authorization;
  }
  const query = canonicalParams(queryParams);
  return { path: query === '' ? call.path : `${call.path}?${query}`, headers, body };
}

/** Duo names a user by `username` or `user_id`, never both. */
export function userParams(ref: DuoUserRef): Params {
  const hasUsername = typeof ref.username === 'string' && ref.username !== '';
  const hasUserId = typeof ref.userId === 'string' && ref.userId !== '';
  if (hasUsername === hasUserId) {
    throw new DuoError({ reason: 'config', message: 'Give exactly one of username and userId' });
  }
  return hasUsername ? { username: ref.username as string } : { user_id: ref.userId as string };
}

/** Leaves out the parameters not given: Duo refuses empty ones. */
export function compact(params: Record<string, string | undefined>): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}

/** `pushinfo` is itself a form-encoded string inside the (signed) parameters. */
export function encodePushinfo(info: Readonly<Record<string, string>>): string {
  return Object.entries(info)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}
