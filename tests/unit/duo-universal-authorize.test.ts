import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';

import { DuoError } from '../../server/src/duo/errors';
import { DuoUniversalClient, type DuoUniversalClientOptions } from '../../server/src/duo/universal';
import { CLIENT_ID, CLIENT_SECRET, verifyJwt } from '../helpers/fake-duo-oauth';

/**
 * The authorization URL the browser is sent to: its request object is checked here with an independent HMAC-SHA512
 * (node:crypto in the helper), claim by claim. Also the configuration the client refuses up front.
 */

const NOW = 1_800_000_000;
const HOST = 'api-1a2b3c4d.duosecurity.com';
// Not in the URL parser's normal form: the request object must carry it exactly as given.
const REDIRECT = 'https://Strapi.Example.com:443/api/duo-security/universal/callback?audience=clients&x=%2fa%20b';

function client(overrides: Partial<DuoUniversalClientOptions> = {}): DuoUniversalClient {
  return new DuoUniversalClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiHostname: HOST,
    production: true,
    now: () => NOW * 1000,
    ...overrides,
  });
}

function configError(fn: () => unknown): DuoError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DuoError, `expected a DuoError, got ${String(error)}`);
    assert.equal(error.reason, 'config');
    return error;
  }
  assert.fail('accepted');
}

describe('the authorization URL', () => {
  it("goes to Duo's /oauth/v1/authorize with only response_type, client_id and a signed request", async () => {
    const c = client();
    try {
      const auth = c.createAuthorization({ username: 'alice@example.com', redirectUri: REDIRECT });
      const url = new URL(auth.url);
      assert.equal(url.origin, `https://${HOST}`);
      assert.equal(url.pathname, '/oauth/v1/authorize');
      assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request', 'response_type']);
      assert.equal(url.searchParams.get('response_type'), 'code');
      assert.equal(url.searchParams.get('client_id'), CLIENT_ID);
      const { header, claims } = verifyJwt(url.searchParams.get('request') ?? '');
      assert.equal(header.alg, 'HS512');
      assert.deepEqual(claims, {
        response_type: 'code',
        scope: 'openid',
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT,
        state: auth.state,
        nonce: auth.nonce,
        duo_uname: 'alice@example.com',
        iss: CLIENT_ID,
        aud: `https://${HOST}`,
        exp: NOW + 300,
        use_duo_code_attribute: true,
      });
      assert.equal(auth.redirectUri, REDIRECT);
      assert.equal(auth.username, 'alice@example.com');
      assert.equal(auth.expiresAt, (NOW + 300) * 1000);
      assert.ok(!auth.url.includes(CLIENT_SECRET));
    } finally {
      await c.close();
    }
  });

  it('has a fresh state (≥ 22 URL-safe characters) and nonce each time', async () => {
    const c = client();
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const auth = c.createAuthorization({ username: 'alice', redirectUri: REDIRECT });
        assert.match(auth.state, /^[A-Za-z0-9_-]{22,}$/);
        assert.match(auth.nonce, /^[A-Za-z0-9_-]{16,}$/);
        assert.notEqual(auth.state, auth.nonce);
        seen.add(auth.state).add(auth.nonce);
      }
      assert.equal(seen.size, 40);
    } finally {
      await c.close();
    }
  });

  it('uses a given state and nonce, and refuses ones too short or not URL-safe', async () => {
    const c = client();
    try {
      const state = 's'.repeat(22);
      const nonce = 'n'.repeat(16);
      const auth = c.createAuthorization({ username: 'alice', redirectUri: REDIRECT, state, nonce });
      const { claims } = verifyJwt(new URL(auth.url).searchParams.get('request') ?? '');
      assert.equal(claims.state, state);
      assert.equal(claims.nonce, nonce);
      for (const bad of [{ state: 's'.repeat(21) }, { state: `${'s'.repeat(22)}&x=1` }, { nonce: 'n'.repeat(15) }]) {
        configError(() => c.createAuthorization({ username: 'alice', redirectUri: REDIRECT, ...bad }));
      }
    } finally {
      await c.close();
    }
  });

  it('refuses redirect URIs that are not HTTPS (but loopback HTTP), relative, with credentials or a fragment', async () => {
    const c = client();
    try {
      for (const redirectUri of [
        'http://strapi.example.com/callback',
        'javascript:alert(1)',
        'myapp://duo-callback',
        '/api/duo-security/universal/callback',
        'https://user:pass@strapi.example.com/callback',
        'https://strapi.example.com/callback#x',
        'https://strapi.example.com/call back',
        '',
      ]) {
        configError(() => c.createAuthorization({ username: 'alice', redirectUri }));
      }
      for (const redirectUri of ['http://localhost:1337/callback', 'http://127.0.0.1:1337/callback']) {
        assert.equal(c.createAuthorization({ username: 'alice', redirectUri }).redirectUri, redirectUri);
      }
      for (const username of ['', 'alice\nbob', 'a\u001b[31m']) {
        configError(() => c.createAuthorization({ username, redirectUri: REDIRECT }));
      }
    } finally {
      await c.close();
    }
  });
});

describe('configuration', () => {
  it('follows the Auth API production hostname policy', () => {
    for (const apiHostname of [
      'http://127.0.0.1:8080',
      'evil.example',
      'https://api-1a2b3c4d.duosecurity.com.evil.example',
    ]) {
      configError(() => client({ apiHostname }));
    }
    const federal = client({ apiHostname: 'api-99.duofederal.com' });
    assert.equal(federal.origin, 'https://api-99.duofederal.com');
    assert.equal(federal.issuer, 'https://api-99.duofederal.com/oauth/v1/token');
    void federal.close();
    const sandbox = client({ apiHostname: 'http://127.0.0.1:8080', production: false });
    assert.equal(sandbox.origin, 'http://127.0.0.1:8080');
    // Duo names itself https://{host} in its JWTs, also for a plain-HTTP sandbox (the SDKs' rule).
    assert.equal(sandbox.issuer, 'https://127.0.0.1:8080/oauth/v1/token');
    void sandbox.close();
  });

  it('refuses a malformed Client ID or Client Secret, without ever naming the secret', () => {
    for (const clientId of ['', 'DI-SHORT', `${CLIENT_ID}X`, 'DIUNIVERSALCLIENT00:']) {
      const error = configError(() => client({ clientId }));
      assert.match(error.message, /Client ID/);
    }
    for (const clientSecret of ['', 'x'.repeat(39), 'x'.repeat(41), `${'x'.repeat(39)}\n`, `${'x'.repeat(39)} `]) {
      const error = configError(() => client({ clientSecret }));
      assert.match(error.message, /Client Secret/);
      for (const text of [error.message, JSON.stringify(error), inspect(error)]) {
        assert.ok(clientSecret.length < 8 || !text.includes(clientSecret.trim()));
      }
    }
    const error = configError(() => client({ apiHostname: 'evil.example' }));
    assert.ok(!inspect(error).includes(CLIENT_SECRET));
  });
});
