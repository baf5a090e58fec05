import { createHmac, randomBytes } from 'node:crypto';

/*
 * A deliberately small, independent Universal Prompt client for the sandbox tests. It shares no code with the
 * sandbox (server/src/sandbox/oauth) nor with the plugin's client (server/src/duo/universal), so the sandbox is
 * checked against a third reading of the protocol as well as against Duo's official SDK.
 */

export type Claims = Record<string, unknown>;

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** `alg` decides the MAC (`none` gives an empty signature); `signWith` lets a test sign with a wrong secret. */
export function jwt(claims: Claims, secret: string, alg: 'HS512' | 'HS256' | 'none' = 'HS512'): string {
  const input = `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  if (alg === 'none') return `${input}.`;
  const mac = createHmac(alg === 'HS512' ? 'sha512' : 'sha256', secret)
    .update(input)
    .digest();
  return `${input}.${b64(mac)}`;
}

/** Header and payload of a compact JWS, and whether its HS512 MAC matches `secret`. */
export function readJwt(token: string, secret: string): { header: Claims; claims: Claims; valid: boolean } {
  const [head = '', body = '', sig = ''] = token.split('.');
  const mac = createHmac('sha512', secret).update(`${head}.${body}`).digest('base64url');
  return {
    header: JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Claims,
    claims: JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims,
    valid: mac === sig,
  };
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);
export const randomText = (bytes = 18): string => randomBytes(bytes).toString('hex');

export interface WireClient {
  /** e.g. `http://127.0.0.1:1234`: where requests go and what assertions name. */
  readonly base: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Claims of a client assertion the way Duo's Node SDK makes them; `patch` replaces or (undefined) removes one. */
export function assertionClaims(client: WireClient, path: string, patch: Claims = {}): Claims {
  const now = nowSec();
  const claims: Claims = {
    iss: client.clientId,
    sub: client.clientId,
    aud: `${client.base}${path}`,
    jti: randomText(),
    iat: now,
    exp: now + 300,
    ...patch,
  };
  for (const key of Object.keys(patch)) if (patch[key] === undefined) delete claims[key];
  return claims;
}

export async function postForm(url: string, form: Record<string, string>): Promise<{ status: number; body: Claims }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Claims };
}

export function healthCheck(client: WireClient, assertion?: string, clientId = client.clientId) {
  return postForm(`${client.base}/oauth/v1/health_check`, {
    client_id: clientId,
    client_assertion: assertion ?? jwt(assertionClaims(client, '/oauth/v1/health_check'), client.clientSecret),
  });
}

export interface TokenCall {
  readonly code: string;
  readonly redirectUri: string;
  readonly assertion?: string;
  readonly form?: Record<string, string>;
}

export function exchange(client: WireClient, call: TokenCall) {
  return postForm(`${client.base}/oauth/v1/token`, {
    grant_type: 'authorization_code',
    code: call.code,
    redirect_uri: call.redirectUri,
    client_id: client.clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: call.assertion ?? jwt(assertionClaims(client, '/oauth/v1/token'), client.clientSecret),
    ...call.form,
  });
}

export const REDIRECT = 'https://app.example/duo/callback?tenant=a%20b';

/** Claims of the `request` JWT as the Node SDK builds them, plus `patch` (undefined removes a claim). */
export function requestClaims(client: WireClient, username: string, patch: Claims = {}): Claims {
  const claims: Claims = {
    response_type: 'code',
    scope: 'openid',
    exp: nowSec() + 300,
    client_id: client.clientId,
    redirect_uri: REDIRECT,
    state: randomText(),
    duo_uname: username,
    iss: client.clientId,
    aud: client.base,
    use_duo_code_attribute: true,
    ...patch,
  };
  for (const key of Object.keys(patch)) if (patch[key] === undefined) delete claims[key];
  return claims;
}

export function authorizeUrl(client: WireClient, request: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: client.clientId, request, ...extra });
  return `${client.base}/oauth/v1/authorize?${query.toString()}`;
}

/** GET without following redirects: the status, the Location, the headers and the page. */
export async function open(
  url: string,
): Promise<{ status: number; location: string | null; headers: Headers; html: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, html: await res.text() };
}

/** The code and state a redirect carries (`duo_code`, or `code` when the client asked for it). */
export function callbackParams(location: string): URLSearchParams {
  return new URL(location).searchParams;
}
