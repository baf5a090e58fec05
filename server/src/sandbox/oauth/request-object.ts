import { AuthorizeRequestError } from './errors';
import { decodeJws, numericDate, verifyHs512 } from './jws';
import { ASSERTION_LEEWAY_SEC, ASSERTION_MAX_LIFE_SEC } from './assertion';
import type { SandboxOAuthClient } from '../types';

/** A verified authorization request: what the prompt shows and what the redirect and the code carry. */
export interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly username: string;
  readonly nonce?: string;
  /** `duo_code` on the way back when true, `code` otherwise (the claim absent means false, as on Duo). */
  readonly useDuoCode: boolean;
  readonly appName?: string;
  /** Below the SDKs' 22 characters but within Duo's 16. */
  readonly shortState: boolean;
}

export interface RequestObjectCheck {
  readonly client: SandboxOAuthClient;
  readonly query: URLSearchParams;
  /** `https://host` and `https://host/oauth/v1/authorize`, in each accepted scheme. */
  readonly audiences: readonly string[];
  readonly nowSec: number;
}

function refuse(message: string): never {
  throw new AuthorizeRequestError(message);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function absoluteUrl(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

/** Checks the query and its signed `request` JWT (§8.2 of the Universal Prompt notes). */
export function verifyRequestObject({ client, query, audiences, nowSec }: RequestObjectCheck): AuthorizeRequest {
  if (query.get('response_type') !== 'code') refuse('response_type must be code.');
  const request = query.get('request');
  if (!request) refuse('The request parameter is missing.');
  const jws = decodeJws(request);
  if (!jws) refuse('The request parameter is not a JWT.');
  if (jws.header['alg'] !== 'HS512') refuse('The request JWT must be signed with HS512.');
  if (!verifyHs512(jws, client.clientSecret)) refuse('The request JWT signature is invalid.');
  const claims = jws.payload;

  if (claims['client_id'] !== client.clientId) refuse('client_id does not match the request JWT.');
  if (claims['response_type'] !== 'code') refuse('The request JWT response_type must be code.');
  if (claims['scope'] !== 'openid') refuse('The request JWT scope must be openid.');
  if (claims['iss'] !== undefined && claims['iss'] !== client.clientId) refuse('The request JWT iss is wrong.');
  if (claims['aud'] !== undefined && !audiences.includes(text(claims['aud']) ?? '')) {
    refuse('The request JWT aud is wrong.');
  }
  const exp = numericDate(claims['exp']);
  if (exp === undefined || exp <= nowSec) refuse('The request JWT has expired or has no exp.');
  if (exp > nowSec + ASSERTION_MAX_LIFE_SEC + ASSERTION_LEEWAY_SEC) refuse('The request JWT lives too long.');

  const redirectUri = text(claims['redirect_uri']);
  if (!redirectUri || !absoluteUrl(redirectUri)) refuse('redirect_uri must be an absolute URL.');
  if (redirectUri.includes('#')) refuse('redirect_uri must not have a fragment.');
  // The query copy is unsigned: it may repeat the signed value, never replace it.
  const queryRedirect = query.get('redirect_uri');
  if (queryRedirect !== null && queryRedirect !== redirectUri) refuse('redirect_uri differs from the request JWT.');
  const state = text(claims['state']);
  if (!state || state.length < 16 || state.length > 1024) refuse('state must be 16 to 1024 characters.');
  const username = text(claims['duo_uname']);
  if (!username) refuse('duo_uname is missing.');

  // Duo's precedence rule: a nonce in the query wins over the one in the JWT.
  const nonce = query.get('nonce') ?? text(claims['nonce']);
  if (nonce !== undefined && (nonce.length < 16 || nonce.length > 1024)) refuse('nonce must be 16 to 1024 characters.');
  const appName = text(claims['dest_app_name']);
  return {
    clientId: client.clientId,
    redirectUri,
    state,
    username,
    ...(nonce === undefined ? {} : { nonce }),
    useDuoCode: claims['use_duo_code_attribute'] === true,
    ...(appName ? { appName } : {}),
    shortState: state.length < 22,
  };
}
