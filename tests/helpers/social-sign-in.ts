import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Strapi } from '@strapi/strapi';

import { addOfflineProvider } from './clients-harness';
import { setCookies } from './clients-v5';
import { callApi, type ApiResponse, type HostName, type StrapiV5 } from './strapi';

/**
 * A social sign-in (`GET /api/auth/<provider>/callback`) with an offline provider, on either host. Strapi 4 takes
 * the provider's access token from the query. Strapi 5.54 takes it only from the koa session, where its OAuth connect
 * middleware puts it after exchanging an authorization code at the provider's token endpoint: so on Strapi 5 the
 * sign-in goes through `/api/connect/<provider>` and its callback, with a local token endpoint standing in for the
 * provider's. Either way Strapi's own callback runs and asks the provider's `authCallback` for the profile.
 */

export type SocialProfile = { username: string; email: string };

export interface OfflineProvider {
  readonly name: string;
  /** The profile the provider answers for an access token. */
  profile(accessToken: string, profile: SocialProfile): void;
  close(): Promise<void>;
}

export async function startOfflineProvider(strapi: Strapi | StrapiV5, name: string): Promise<OfflineProvider> {
  const server = createServer((request, response) => {
    void answerTokenRequest(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const profile = await addOfflineProvider(strapi, name, {
      key: 'offline-client-id',
      secret: 'offline-client-secret',
      authorize_url: `${base}/authorize`,
      access_url: `${base}/token`,
      // Where Strapi sends the browser after the code exchange: the front end, which then calls the auth callback.
      callback: `${base}/signed-in`,
    });
    return { name, profile, close: () => closeServer(server) };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

async function answerTokenRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const code = form.get('code');
  const valid =
    request.method === 'POST' &&
    request.url === '/token' &&
    form.get('grant_type') === 'authorization_code' &&
    form.get('client_secret') === 'offline-client-secret' &&
    code !== null;
  // The authorization code is the access token itself: the test picks both at once, and the endpoint keeps no state.
  response.writeHead(valid ? 200 : 400, { 'content-type': 'application/json' });
  response.end(JSON.stringify(valid ? { access_token: code, token_type: 'bearer' } : { error: 'invalid_grant' }));
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Signs in through the provider with `accessToken` as the client's browser would, and returns the auth callback's
 * answer (the token, or the Duo step). `headers` go with the front end's call of the auth callback.
 */
export async function socialSignIn(
  app: { readonly host: HostName; readonly baseUrl: string },
  provider: Pick<OfflineProvider, 'name'>,
  accessToken: string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const callback = `/api/auth/${provider.name}/callback`;
  if (app.host === 'v4') {
    return callApi(app.baseUrl, `${callback}?access_token=${encodeURIComponent(accessToken)}`, { headers });
  }

  const cookies = new Map<string, string>();
  const started = await browse(app.baseUrl, `/api/connect/${provider.name}`, cookies);
  const state = new URL(started).searchParams.get('state');
  assert.ok(state !== null && state !== '', `connect: no state in ${started}`);
  const code = encodeURIComponent(accessToken);
  const exchanged = await browse(
    app.baseUrl,
    `/api/connect/${provider.name}/callback?code=${code}&state=${encodeURIComponent(state)}`,
    cookies,
  );
  // Strapi reports a failed exchange by redirecting to the front end with the error in the query.
  assert.equal(new URL(exchanged).search, '', `connect callback: ${exchanged}`);
  return callApi(app.baseUrl, callback, { headers: { ...headers, cookie: cookieHeader(cookies) } });
}

/** One redirecting GET with the session cookies, which it updates; returns where it redirects. */
async function browse(baseUrl: string, path: string, cookies: Map<string, string>): Promise<string> {
  const response = await fetch(new URL(path, baseUrl), {
    redirect: 'manual',
    headers: cookies.size === 0 ? {} : { cookie: cookieHeader(cookies) },
  });
  const location = response.headers.get('location');
  assert.equal(response.status, 302, `${path}: HTTP ${response.status} ${await response.text()}`);
  assert.ok(location !== null, `${path}: no Location`);
  for (const [name, value] of setCookies({ status: response.status, headers: response.headers, body: undefined })) {
    cookies.set(name, value);
  }
  return location;
}

function cookieHeader(cookies: ReadonlyMap<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
