import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox, type TokenTamper } from '../../server/src/sandbox';
import {
  JWT_BEARER,
  REDIRECT,
  assertionClaims,
  authorizeUrl,
  callbackParams,
  exchange,
  jwt,
  nowSec,
  open,
  readJwt,
  requestClaims,
  type Claims,
  type WireClient,
} from '../helpers/universal-wire';

/*
 * POST /oauth/v1/token: codes single use and bound to client and redirect_uri, the client assertion for this URL,
 * the id_token's claims (§2.5, §8.5) checked with the test's own HS512, and the token faults a client must refuse.
 */

let sandbox: DuoSandbox;
let client: WireClient;
let realNow = Date.now();

before(async () => {
  sandbox = await startDuoSandbox({ users: [{ username: 'Alice.Smith' }], now: () => realNow });
  client = { base: sandbox.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
});

after(() => sandbox.close());

beforeEach(() => {
  realNow = Date.now();
  sandbox.clearFaults();
});

/** Approves in advance and follows authorize to the callback: the code the browser would bring back. */
async function codeFor(patch: Claims = {}, extra: Record<string, string> = {}, who = client): Promise<string> {
  sandbox.presetPrompt('Alice.Smith', 'approve');
  const request = jwt(requestClaims(who, 'Alice.Smith', patch), who.clientSecret);
  const res = await open(authorizeUrl(who, request, extra));
  assert.equal(res.status, 302, res.html);
  return callbackParams(res.location ?? '').get('duo_code') ?? '';
}

const invalidGrant = (res: { status: number; body: Claims }): void => {
  assert.equal(res.status, 400);
  assert.equal(res.body['error'], 'invalid_grant');
  assert.match(String(res.body['error_description']), /does not match the redirection URI/);
};

describe('sandbox universal: token endpoint', () => {
  it('exchanges a code for an id_token with the claims Duo sends', async () => {
    const nonce = 'n'.repeat(24);
    const res = await exchange(client, {
      code: await codeFor({ nonce: 'jwt-nonce-is-overridden', dest_app_name: 'Strapi' }, { nonce }),
      redirectUri: REDIRECT,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'id_token', 'token_type']);
    assert.equal(res.body['token_type'], 'Bearer');
    const { header, claims, valid } = readJwt(String(res.body['id_token']), client.clientSecret);
    assert.equal(valid, true, 'HS512 with the client secret');
    assert.equal(header['alg'], 'HS512');
    assert.equal(claims['iss'], `${sandbox.url}/oauth/v1/token`);
    assert.equal(claims['aud'], client.clientId);
    assert.equal(claims['preferred_username'], 'Alice.Smith', 'verbatim, case kept');
    assert.equal(claims['nonce'], nonce, 'the query nonce wins over the JWT’s');
    const now = nowSec();
    assert.ok(Math.abs(Number(claims['iat']) - now) <= 2);
    assert.equal(Number(claims['exp']) - Number(claims['iat']), 300);
    assert.equal(typeof claims['auth_time'], 'number');
    assert.equal(typeof claims['jti'], 'string');
    assert.deepEqual(claims['amr'], ['mfa', 'push']);
    assert.deepEqual(claims['auth_result'], {
      result: 'allow',
      status: 'allow',
      status_msg: 'Success. Logging you in...',
    });
    const context = claims['auth_context'] as Record<string, Record<string, unknown>>;
    for (const key of ['txid', 'timestamp', 'isotimestamp', 'event_type', 'factor', 'result', 'reason', 'user']) {
      assert.ok(key in context, `auth_context.${key}`);
    }
    assert.equal(context['user']?.['name'], 'Alice.Smith');
    assert.equal(context['application']?.['name'], 'Strapi');
    assert.equal(context['access_device']?.['is_encryption_enabled'], 'unknown');
  });

  it('leaves nonce out when none was sent, and uses the https issuer a client signed for', async () => {
    const httpsBase = sandbox.url.replace(/^http:/, 'https:');
    const assertion = jwt(
      assertionClaims(client, '/oauth/v1/token', { aud: `${httpsBase}/oauth/v1/token` }),
      client.clientSecret,
    );
    const res = await exchange(client, { code: await codeFor(), redirectUri: REDIRECT, assertion });
    const { claims } = readJwt(String(res.body['id_token']), client.clientSecret);
    assert.equal('nonce' in claims, false);
    assert.equal(claims['iss'], `${httpsBase}/oauth/v1/token`);
  });

  it('mints iat and exp on the skewed sandbox clock, so ±61 s of skew reaches the client’s id_token check', async () => {
    for (const skew of [61, -61]) {
      sandbox.setSkew(skew * 1000);
      const res = await exchange(client, { code: await codeFor(), redirectUri: REDIRECT });
      sandbox.setSkew(0);
      assert.equal(res.status, 200);
      const { claims } = readJwt(String(res.body['id_token']), client.clientSecret);
      assert.ok(Math.abs(Number(claims['iat']) - (nowSec() + skew)) <= 2, `iat follows a skew of ${skew} s`);
    }
  });

  it('refuses a code used twice', async () => {
    const code = await codeFor();
    assert.equal((await exchange(client, { code, redirectUri: REDIRECT })).status, 200);
    invalidGrant(await exchange(client, { code, redirectUri: REDIRECT }));
  });

  it('refuses a redirect_uri that differs by one byte, and spends the code doing so', async () => {
    const code = await codeFor();
    invalidGrant(await exchange(client, { code, redirectUri: REDIRECT.replace('%20', '+') }));
    invalidGrant(await exchange(client, { code, redirectUri: REDIRECT }));
  });

  it('refuses a code issued to another client', async () => {
    const other = sandbox.addOAuthClient();
    const otherClient = { ...client, clientId: other.clientId, clientSecret: other.clientSecret };
    invalidGrant(await exchange(otherClient, { code: await codeFor(), redirectUri: REDIRECT }));
  });

  it('refuses a code after its 60 seconds, and an unknown code', async () => {
    const code = await codeFor();
    realNow += 61_000;
    const assertion = jwt(
      assertionClaims(client, '/oauth/v1/token', { iat: nowSec() + 61, exp: nowSec() + 361 }),
      client.clientSecret,
    );
    invalidGrant(await exchange(client, { code, redirectUri: REDIRECT, assertion }));
    invalidGrant(await exchange(client, { code: 'f'.repeat(48), redirectUri: REDIRECT }));
  });

  it('authenticates the client with an assertion for the token URL, not the health check’s', async () => {
    const assertion = jwt(assertionClaims(client, '/oauth/v1/health_check'), client.clientSecret);
    const res = await exchange(client, { code: await codeFor(), redirectUri: REDIRECT, assertion });
    assert.equal(res.status, 400);
    assert.equal(res.body['error'], 'invalid_client');
  });

  it('refuses a wrong grant_type or client_assertion_type, and a missing code', async () => {
    const code = await codeFor();
    const grant = await exchange(client, { code, redirectUri: REDIRECT, form: { grant_type: 'refresh_token' } });
    assert.equal(grant.body['error'], 'unsupported_grant_type');
    const type = await exchange(client, { code, redirectUri: REDIRECT, form: { client_assertion_type: 'jwt' } });
    assert.equal(type.body['error'], 'invalid_request');
    assert.equal((await exchange(client, { code: '', redirectUri: REDIRECT })).body['error'], 'invalid_request');
  });

  it('accepts the token request as a query string, as the Python SDK sends it', async () => {
    const query = new URLSearchParams({
      grant_type: 'authorization_code',
      code: await codeFor(),
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_assertion_type: JWT_BEARER,
      client_assertion: jwt(assertionClaims(client, '/oauth/v1/token', { iat: undefined }), client.clientSecret),
    });
    const res = await fetch(`${sandbox.url}/oauth/v1/token?${query.toString()}`, { method: 'POST' });
    assert.equal(res.status, 200);
  });
});

describe('sandbox universal: token faults', () => {
  async function tampered(
    tamper: TokenTamper,
  ): Promise<{ body: Claims; token: ReturnType<typeof readJwt> | undefined }> {
    const code = await codeFor({ nonce: 'n'.repeat(20) });
    sandbox.setFault({ kind: 'token', tamper, times: 1 });
    const { body } = await exchange(client, { code, redirectUri: REDIRECT });
    const raw = body['id_token'];
    return { body, token: typeof raw === 'string' ? readJwt(raw, client.clientSecret) : undefined };
  }

  const claimCases: [TokenTamper, (c: Claims) => boolean][] = [
    ['iss', (c) => c['iss'] !== `${sandbox.url}/oauth/v1/token`],
    ['aud', (c) => c['aud'] !== client.clientId],
    ['no-exp', (c) => !('exp' in c)],
    ['no-iat', (c) => !('iat' in c)],
    ['expired', (c) => Number(c['exp']) < nowSec() - 60],
    ['future-iat', (c) => Number(c['iat']) > nowSec() + 60],
    ['username', (c) => c['preferred_username'] !== 'Alice.Smith'],
    ['nonce-wrong', (c) => typeof c['nonce'] === 'string' && c['nonce'] !== 'n'.repeat(20)],
    ['nonce-absent', (c) => !('nonce' in c)],
    ['deny', (c) => (c['auth_result'] as Claims)['status'] === 'deny'],
  ];
  for (const [tamper, broken] of claimCases) {
    it(`${tamper}: a validly signed token with exactly that defect`, async () => {
      const { token } = await tampered(tamper);
      assert.equal(token?.valid, true);
      assert.ok(broken(token?.claims ?? {}), JSON.stringify(token?.claims));
    });
  }

  it('signature, alg none and alg HS256 break the MAC or the header', async () => {
    assert.equal((await tampered('signature')).token?.valid, false);
    assert.equal((await tampered('alg-none')).token?.header['alg'], 'none');
    assert.equal((await tampered('alg-hs256')).token?.header['alg'], 'HS256');
  });

  it('response faults drop id_token or token_type, or bend token_type', async () => {
    assert.equal('id_token' in (await tampered('no-id-token')).body, false);
    assert.equal('token_type' in (await tampered('no-token-type')).body, false);
    assert.notEqual((await tampered('token-type')).body['token_type'], 'Bearer');
    assert.equal((await tampered('iss')).token?.claims['iss'] === `${sandbox.url}/oauth/v1/token`, false);
    const clean = await exchange(client, { code: await codeFor(), redirectUri: REDIRECT });
    assert.equal(clean.body['token_type'], 'Bearer', 'each fault was spent once');
  });
});
