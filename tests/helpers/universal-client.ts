import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, beforeEach } from 'node:test';

import { DuoError } from '../../server/src/duo/errors';
import {
  DuoUniversalClient,
  type DuoUniversalClientOptions,
  type DuoUniversalResult,
} from '../../server/src/duo/universal';
import { decideOnDuoFailure } from '../../server/src/engine/step/fail-mode';
import { CLIENT_ID, CLIENT_SECRET, mintJwt, startFakeDuo, verifyJwt, type FakeDuo } from './fake-duo-oauth';

/** What the Universal Prompt client's call tests share: one fake Duo per file, clients on a pinned clock. */

export const NOW = 1_800_000_000; // seconds
export const USERNAME = 'alice@example.com';
export const NONCE = 'nonce-0123456789-abcdefghij';
export const CODE = 'duo-code-0123456789abcdef';
// Not in the URL parser's normal form (host case, default port, lower-case escape): it must reach /token unchanged.
export const REDIRECT = 'https://App.Example.com:443/duo/callback?audience=staff&next=%2fadmin%20x';
export const HEALTH = '/oauth/v1/health_check';
export const TOKEN = '/oauth/v1/token';

export interface UniversalHarness {
  readonly duo: FakeDuo;
  client(overrides?: Partial<DuoUniversalClientOptions>): DuoUniversalClient;
  /** A token reply whose id_token passes every check (claims overridable). */
  goodToken(overrides?: Record<string, unknown>): unknown;
  exchange(client: DuoUniversalClient): Promise<DuoUniversalResult>;
}

/** Starts a fake Duo for the calling test file (node:test hooks) and closes it and every client afterwards. */
export function useFakeDuo(): UniversalHarness {
  let duo: FakeDuo | undefined;
  const clients: DuoUniversalClient[] = [];
  before(async () => {
    duo = await startFakeDuo();
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await duo?.close();
  });
  beforeEach(() => {
    if (duo !== undefined) duo.seen.length = 0;
  });
  const current = (): FakeDuo => {
    assert.ok(duo !== undefined, 'the fake Duo is not started');
    return duo;
  };
  return {
    get duo() {
      return current();
    },
    client(overrides = {}) {
      const made = new DuoUniversalClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiHostname: current().origin,
        production: false,
        now: () => NOW * 1000,
        random: () => 0,
        timeoutMs: 5_000,
        ...overrides,
      });
      clients.push(made);
      return made;
    },
    goodToken(overrides = {}) {
      const idToken = mintJwt({
        iss: `https://${current().host}/oauth/v1/token`,
        aud: CLIENT_ID,
        exp: NOW + 300,
        iat: NOW,
        preferred_username: USERNAME,
        nonce: NONCE,
        auth_result: { result: 'allow', status: 'allow' },
        ...overrides,
      });
      return { id_token: idToken, access_token: 'unused', expires_in: 3600, token_type: 'Bearer' };
    },
    exchange(client) {
      return client.exchangeCode({ code: CODE, username: USERNAME, nonce: NONCE, redirectUri: REDIRECT });
    },
  };
}

export async function duoFailure(promise: Promise<unknown>): Promise<DuoError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DuoError, `expected a DuoError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

/** The engine's fail mode, applied unchanged: an outage admits a fail-open login, a refusal never does. */
export function failOpenVerdict(error: DuoError): string {
  return decideOnDuoFailure({ error, purpose: 'login', failMode: 'open' }).verdict;
}

/** An origin where nothing listens: connections are refused. */
export async function closedPortOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The client assertion of one request, checked independently; returns its claims. */
export function checkAssertion(form: URLSearchParams | undefined, host: string, path: string): Record<string, unknown> {
  const token = form?.get('client_assertion');
  assert.ok(typeof token === 'string', 'no client_assertion');
  const { header, claims } = verifyJwt(token);
  assert.equal(header.alg, 'HS512');
  assert.equal(claims.iss, CLIENT_ID);
  assert.equal(claims.sub, CLIENT_ID);
  assert.equal(claims.aud, `https://${host}${path}`);
  assert.ok(typeof claims.jti === 'string' && claims.jti.length >= 32, 'jti');
  assert.ok(typeof claims.iat === 'number' && typeof claims.exp === 'number', 'iat and exp');
  assert.ok(claims.exp > claims.iat && claims.exp - claims.iat <= 300, 'a short life (≤ 300 s)');
  return claims;
}
