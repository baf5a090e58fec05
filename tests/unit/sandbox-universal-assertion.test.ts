import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { assertionClaims, healthCheck, jwt, nowSec, type Claims, type WireClient } from '../helpers/universal-wire';

/*
 * Client authentication on /oauth/v1/health_check (and, through the same check, /oauth/v1/token): every rule of
 * §8 "Client-assertion checks" refused on its own, with one field broken per test.
 */

const HC = '/oauth/v1/health_check';
let sandbox: DuoSandbox;
let client: WireClient;

before(async () => {
  sandbox = await startDuoSandbox();
  client = { base: sandbox.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
});

after(() => sandbox.close());

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.setSkew(0);
  sandbox.setOAuthSwitches({ healthCheckErrors: 'duo' });
});

const signed = (patch: Claims = {}): string => jwt(assertionClaims(client, HC, patch), client.clientSecret);

async function refused(assertion: string, detail: RegExp, clientId?: string): Promise<void> {
  const { status, body } = await healthCheck(client, assertion, clientId);
  assert.equal(status, 400);
  assert.equal(body['stat'], 'FAIL');
  assert.equal(body['code'], 40002);
  assert.equal(body['message'], 'invalid_client');
  assert.match(String(body['message_detail']), detail);
}

describe('sandbox universal: health check', () => {
  it('answers OK with the sandbox clock for a good assertion', async () => {
    sandbox.setSkew(-50_000);
    const { status, body } = await healthCheck(client);
    assert.equal(status, 200);
    assert.equal(body['stat'], 'OK');
    const timestamp = (body['response'] as { timestamp: number }).timestamp;
    assert.ok(Math.abs(timestamp - (nowSec() - 50)) <= 2, `timestamp ${timestamp} shows the skewed clock`);
  });

  it('accepts what the other SDKs send: no iat, a fractional exp, an https aud on a plain-HTTP sandbox', async () => {
    assert.equal((await healthCheck(client, signed({ iat: undefined, exp: nowSec() + 299.5 }))).status, 200);
    const httpsAud = `${client.base.replace(/^http:/, 'https:')}${HC}`;
    assert.equal((await healthCheck(client, signed({ aud: httpsAud }))).status, 200);
    assert.equal((await healthCheck(client, signed({ exp: nowSec() + 3600 }))).status, 200, "Java's one hour");
  });

  it('refuses alg none and HS256, even with a correct HS512 key', async () => {
    await refused(jwt(assertionClaims(client, HC), client.clientSecret, 'none'), /algorithm/);
    await refused(jwt(assertionClaims(client, HC), client.clientSecret, 'HS256'), /algorithm/);
  });

  it('refuses a signature made with another secret, and a token that is not a JWT', async () => {
    await refused(jwt(assertionClaims(client, HC), `${client.clientSecret.slice(1)}x`), /Failed to verify signature/);
    await refused('not-a-jwt', /decoding/);
    await refused('', /Missing client_assertion/);
  });

  it('refuses an aud that is not exactly this endpoint URL', async () => {
    await refused(signed({ aud: `${client.base}/oauth/v1/token` }), /aud/);
    await refused(signed({ aud: `${client.base}${HC}/` }), /aud/);
    await refused(signed({ aud: client.base }), /aud/);
    await refused(signed({ aud: [`${client.base}${HC}`] }), /aud/);
    await refused(signed({ aud: `http://127.0.0.2:${sandbox.port}${HC}` }), /aud/);
  });

  it('refuses a missing, expired or far-future exp, and an iat that is not a number', async () => {
    await refused(signed({ exp: undefined }), /no exp/);
    await refused(signed({ exp: nowSec() - 61 }), /expired/);
    await refused(signed({ exp: String(nowSec() + 300) }), /no exp/);
    await refused(signed({ exp: nowSec() + 3600 + 120 }), /too long/);
    await refused(signed({ iat: 'yesterday' }), /iat/);
  });

  it('judges exp on the sandbox clock, so a skewed Duo refuses a fresh assertion', async () => {
    sandbox.setSkew(400_000);
    await refused(signed(), /expired/);
  });

  it('refuses a replayed jti, and a missing one', async () => {
    const once = signed();
    assert.equal((await healthCheck(client, once)).status, 200);
    await refused(once, /jti was already used/);
    await refused(signed({ jti: undefined }), /jti/);
  });

  it('refuses iss or sub other than the client id', async () => {
    const other = sandbox.addOAuthClient();
    await refused(signed({ iss: other.clientId }), /iss and sub/);
    await refused(signed({ sub: other.clientId }), /iss and sub/);
  });

  it('refuses another client: unknown id, or a known id with this client’s assertion', async () => {
    const other = sandbox.addOAuthClient();
    await refused(signed(), /Invalid client_id/, 'DIUNKNOWN00000000000');
    await refused(signed(), /Failed to verify signature/, other.clientId);
  });

  it('answers unauthorized_request to Auth API keys and to a client switched to type Auth API', async () => {
    const authKeys = await healthCheck(client, signed(), sandbox.ikey);
    assert.equal(authKeys.body['message'], 'unauthorized_request');
    assert.equal(authKeys.body['message_detail'], 'Unauthorized OIDC request');

    const switched = sandbox.addOAuthClient();
    sandbox.setOAuthClientType(switched.clientId, 'auth');
    const switchedClient = { ...client, clientId: switched.clientId, clientSecret: switched.clientSecret };
    const res = await healthCheck(switchedClient);
    assert.equal(res.status, 400);
    assert.equal(res.body['message'], 'unauthorized_request');
    sandbox.setOAuthClientType(switched.clientId, 'websdk');
    assert.equal((await healthCheck(switchedClient)).status, 200);
  });

  it('answers OAuth-style error bodies when switched to', async () => {
    sandbox.setOAuthSwitches({ healthCheckErrors: 'oauth' });
    const { status, body } = await healthCheck(client, signed({ exp: undefined }));
    assert.equal(status, 400);
    assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
    assert.equal(body['error'], 'invalid_client');
  });

  it('meets transport faults set without a path, like the Auth API', async () => {
    sandbox.setFault({ kind: 'status', status: 503, times: 1 });
    assert.equal((await healthCheck(client)).status, 503);
    sandbox.setFault({ kind: 'wrong-app-type', times: 1 });
    assert.equal((await healthCheck(client)).body['message'], 'unauthorized_request');
    sandbox.setFault({ kind: 'close', times: 1 });
    await assert.rejects(healthCheck(client));
    sandbox.setFault({ kind: 'garbage', times: 1 });
    await assert.rejects(healthCheck(client), SyntaxError);
    sandbox.setFault({ kind: 'hang', times: 1 });
    await assert.rejects(
      fetch(`${client.base}${HC}`, { method: 'POST', signal: AbortSignal.timeout(300) }),
      /TimeoutError|aborted/,
    );
    sandbox.setFault({ kind: 'latency', ms: 600_000, times: 1 });
    await assert.rejects(
      fetch(`${client.base}${HC}`, { method: 'POST', signal: AbortSignal.timeout(300) }),
      /TimeoutError|aborted/,
      'a latency beyond the client timeout holds the answer',
    );
    sandbox.setFault({ kind: 'latency', ms: 10, times: 1 });
    assert.equal((await healthCheck(client)).status, 200, 'latency delays, then the request goes on');
    assert.deepEqual(sandbox.faults(), []);
    assert.equal((await healthCheck(client)).status, 200, 'each fault was spent once');
  });
});
