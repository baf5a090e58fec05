import { randomBytes } from 'node:crypto';

import { DuoError } from '../errors';
import { isLoopbackHost } from '../hostname-policy';
import { signHs512 } from './jwt-hs512';

/** The request object's life at Duo; the pending login around it should not outlive it (spec §3). */
export const REQUEST_LIFETIME_SECONDS = 300;

/** URL-safe without encoding, so the value Duo echoes back is the value sent, whatever parses the callback. */
const STATE = /^[A-Za-z0-9._~-]{22,1024}$/;
const NONCE = /^[A-Za-z0-9._~-]{16,1024}$/;

/** 256 random bits, 43 URL-safe characters: above the SDKs' 22-character minimum for `state`. */
export function generateState(): string {
  return randomBytes(32).toString('base64url');
}

export function generateNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function checkState(state: string | undefined): string {
  if (state === undefined) return generateState();
  if (typeof state !== 'string' || !STATE.test(state)) {
    throw config('The state must be 22 to 1024 URL-safe characters');
  }
  return state;
}

export function checkNonce(nonce: string | undefined): string {
  if (nonce === undefined) return generateNonce();
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) {
    throw config('The nonce must be 16 to 1024 URL-safe characters');
  }
  return nonce;
}

export function checkUsername(username: string): string {
  if (typeof username !== 'string' || username === '' || username.length > 1024 || hasControl(username)) {
    throw config('The Duo username is missing or malformed');
  }
  return username;
}

/**
 * The callback Duo redirects to. Duo registers none: it comes from the signed request, so it must be exactly what
 * this server means. HTTPS, or plain HTTP to a loopback host (as Duo's own demos use); no credentials, no fragment
 * (RFC 6749 §3.1.2), no characters a parser would silently drop, since the same bytes go to `/token` again.
 */
export function checkRedirectUri(redirectUri: string): string {
  // eslint-disable-next-line no-control-regex
  if (typeof redirectUri !== 'string' || redirectUri.length > 2048 || /[\u0000-\u0020\u007f]/.test(redirectUri)) {
    throw config('The redirect URI is missing or malformed');
  }
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw config('The redirect URI is not an absolute URL');
  }
  if (url.username !== '' || url.password !== '' || redirectUri.includes('#')) {
    throw config('The redirect URI must not carry credentials or a fragment');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw config('The redirect URI must use HTTPS (plain HTTP only to a loopback host)');
  }
  return redirectUri;
}

export interface RequestObject {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://{host}`: Duo's name for itself, the request's audience. */
  readonly audience: string;
  readonly username: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  /** Duo's time as best known here, seconds. */
  readonly nowSeconds: number;
}

/**
 * The signed request object (`request=`). Only `response_type`, `client_id` and the JWT go in the query: Duo lets
 * a query value override the signed one, so nothing else is put where it is not signed.
 */
export function authorizeUrl(origin: string, request: RequestObject): string {
  const jwt = signHs512(
    {
      response_type: 'code',
      scope: 'openid',
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      state: request.state,
      nonce: request.nonce,
      duo_uname: request.username,
      iss: request.clientId,
      aud: request.audience,
      exp: request.nowSeconds + REQUEST_LIFETIME_SECONDS,
      use_duo_code_attribute: true,
    },
    request.clientSecret,
  );
  const query = new URLSearchParams({ response_type: 'code', client_id: request.clientId, request: jwt });
  return `${origin}/oauth/v1/authorize?${query.toString()}`;
}

function config(message: string): DuoError {
  return new DuoError({ reason: 'config', message });
}

function hasControl(text: string): boolean {
  // Control characters have no place in a username and would reach Duo's logs and screens.
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f]/.test(text);
}
