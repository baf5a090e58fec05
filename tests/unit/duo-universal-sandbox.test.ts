import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { DuoError, DuoUniversalClient } from '../../server/src/duo';
import { startDuoSandbox, TOKEN_TAMPERS, type DuoSandbox } from '../../server/src/sandbox';

/*
 * The plugin's own Universal Prompt client against the sandbox: two pieces written apart (the sandbox signs and
 * checks JWTs with node:crypto of its own, the client with its own code), so this is where a disagreement between
 * them about the wire (the `https://{host}` names over plain HTTP, the assertion's `aud`, the request object, the
 * id_token's claims) shows. Each token fault of the sandbox must be refused by the client, never turned into allow.
 */

const REDIRECT = 'http://127.0.0.1:1337/api/duo-security/universal/callback?audience=clients';
let sandbox: DuoSandbox;
let client: DuoUniversalClient;

before(async () => {
  sandbox = await startDuoSandbox({ users: [{ username: 'alice' }, { username: 'dora', status: 'disabled' }] });
  client = new DuoUniversalClient({
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    apiHostname: sandbox.url,
    production: false,
  });
});

after(async () => {
  await client.close();
  await sandbox.close();
});

afterEach(() => {
  sandbox.clearFaults();
  sandbox.setSkew(0);
});

/** The browser's top-level GET of the authorize URL, its outcome preset: where the sandbox redirects it. */
async function callbackFor(username: string, outcome: 'approve' | 'deny' = 'approve'): Promise<URL> {
  sandbox.presetPrompt(username, outcome);
  const authorization = client.createAuthorization({ username, redirectUri: REDIRECT });
  const response = await fetch(authorization.url, { redirect: 'manual' });
  assert.equal(response.status, 302, `the sandbox accepted the request object (${response.status})`);
  const location = new URL(response.headers.get('location') ?? '');
  assert.equal(location.searchParams.get('state'), authorization.state, 'the state comes back unchanged');
  assert.equal(location.searchParams.get('audience'), 'clients', "the redirect URI's own query is kept");
  return Object.assign(location, { nonce: authorization.nonce });
}

async function approvedExchange(username = 'alice') {
  const callback = (await callbackFor(username)) as URL & { nonce: string };
  const code = callback.searchParams.get('duo_code') ?? '';
  return { code, username, nonce: callback.nonce, redirectUri: REDIRECT };
}

async function refusal(promise: Promise<unknown>): Promise<DuoError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DuoError, String(error));
    return error;
  }
  assert.fail('the client accepted it');
}

describe('the Universal Prompt client against the sandbox', () => {
  it('health check: OK, and the clock offset measured from Duo’s timestamp', async () => {
    sandbox.setSkew(120_000);
    const health = await client.healthCheck();
    assert.ok(Math.abs(health.offsetMs - 120_000) < 2_000, `offset ${health.offsetMs} ms`);
    // The id_token checks below run on Duo's clock as last measured: measure it again with the skew gone.
    sandbox.setSkew(0);
    assert.ok(Math.abs((await client.healthCheck()).offsetMs) < 2_000);
  });

  it('authorize → approve → code exchange: allow, for the user asked about', async () => {
    const result = await client.exchangeCode(await approvedExchange());
    assert.equal(result.result, 'allow');
    assert.equal(result.username, 'alice');
    assert.equal(typeof result.txid, 'string');
  });

  it('a denied prompt sends no code back', async () => {
    sandbox.setOAuthSwitches({ denyRedirect: true });
    try {
      const callback = await callbackFor('alice', 'deny');
      assert.equal(callback.searchParams.get('duo_code'), null);
      assert.equal(callback.searchParams.get('error'), 'access_denied');
    } finally {
      sandbox.setOAuthSwitches({ denyRedirect: false });
    }
  });

  it('a code works once: the second exchange is refused and is not an outage', async () => {
    const exchange = await approvedExchange();
    assert.equal((await client.exchangeCode(exchange)).result, 'allow');
    const again = await refusal(client.exchangeCode(exchange));
    assert.equal(again.isServiceFailure, false, `reason ${again.reason}`);
  });

  it('a code for another user, or with another nonce or redirect URI, is refused', async () => {
    const exchange = await approvedExchange();
    assert.equal((await refusal(client.exchangeCode({ ...exchange, username: 'dora' }))).isServiceFailure, false);
    const second = await approvedExchange();
    assert.equal((await refusal(client.exchangeCode({ ...second, nonce: 'n'.repeat(43) }))).isServiceFailure, false);
    const third = await approvedExchange();
    const elsewhere = `${REDIRECT}&x=1`;
    assert.equal((await refusal(client.exchangeCode({ ...third, redirectUri: elsewhere }))).isServiceFailure, false);
  });

  // Every fault the sandbox can put in a token reply, so a new one is covered here as it is added.
  const tampers = TOKEN_TAMPERS.filter((tamper) => tamper !== 'deny');
  assert.ok(tampers.length >= 15);
  for (const tamper of tampers) {
    it(`an id_token the sandbox breaks (${tamper}) is refused, never an outage and never allow`, async () => {
      const exchange = await approvedExchange();
      sandbox.setFault({ kind: 'token', tamper, times: 1 });
      const error = await refusal(client.exchangeCode(exchange));
      assert.equal(error.isServiceFailure, false, `reason ${error.reason}: fail open would let it through`);
    });
  }

  it('Duo saying deny in a valid id_token is a deny, not an error', async () => {
    const exchange = await approvedExchange();
    sandbox.setFault({ kind: 'token', tamper: 'deny', times: 1 });
    assert.equal((await client.exchangeCode(exchange)).result, 'deny');
  });

  it('a wrong Client Secret is refused by the sandbox on the health check, as a refusal and not an outage', async () => {
    const wrong = new DuoUniversalClient({
      clientId: sandbox.clientId,
      clientSecret: 'x'.repeat(40),
      apiHostname: sandbox.url,
      production: false,
    });
    try {
      const error = await refusal(wrong.healthCheck());
      assert.equal(error.isServiceFailure, false, `reason ${error.reason}`);
      assert.doesNotMatch(error.message, /x{40}/, 'the secret is not in the message');
    } finally {
      await wrong.close();
    }
  });
});
