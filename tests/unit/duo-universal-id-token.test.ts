import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DuoError } from '../../server/src/duo/errors';
import { DuoUniversalClient } from '../../server/src/duo/universal';
import { decideOnDuoFailure } from '../../server/src/engine/step/fail-mode';
import { b64url, CLIENT_ID, CLIENT_SECRET, mintJwt, startFakeDuo, type FakeDuo } from '../helpers/fake-duo-oauth';

/**
 * The id_token check, one claim wrong at a time. Duo's token endpoint is a local server answering with tokens this
 * file mints itself (node:crypto); every other claim of each token is valid, so each rejection is that claim's.
 */

const NOW = 1_800_000_000; // seconds; the client's clock is pinned here
const USERNAME = 'alice@example.com';
const NONCE = 'nonce-0123456789-abcdefghij';
const CODE = 'duo-code-0123456789abcdef';
const REDIRECT = 'https://app.example.com/duo/callback?audience=staff&x=%2F';

let duo: FakeDuo;
let client: DuoUniversalClient;

before(async () => {
  duo = await startFakeDuo();
  client = new DuoUniversalClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiHostname: duo.origin,
    production: false,
    now: () => NOW * 1000,
    timeoutMs: 5_000,
  });
});

after(async () => {
  await client.close();
  await duo.close();
});

beforeEach(() => {
  duo.seen.length = 0;
});

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: `https://${duo.host}/oauth/v1/token`,
    sub: 'DUSUBJECT0000000000',
    aud: CLIENT_ID,
    exp: NOW + 300,
    iat: NOW,
    auth_time: NOW - 5,
    preferred_username: USERNAME,
    nonce: NONCE,
    amr: ['mfa', 'push'],
    auth_result: { result: 'allow', status: 'allow', status_msg: 'Login Successful' },
    auth_context: { txid: 'tx-0001', factor: 'duo_push', reason: 'user_approved', result: 'success' },
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

function answerWith(idToken: string | undefined, extra: Record<string, unknown> = {}): void {
  duo.reply('/oauth/v1/token', {
    status: 200,
    body: {
      ...(idToken === undefined ? {} : { id_token: idToken }),
      access_token: 'unused-access-token',
      expires_in: 3600,
      token_type: 'Bearer',
      ...extra,
    },
  });
}

function exchange(): ReturnType<DuoUniversalClient['exchangeCode']> {
  return client.exchangeCode({ code: CODE, username: USERNAME, nonce: NONCE, redirectUri: REDIRECT });
}

/** Rejected as a bad token, and never an outage: a fail-open login must not follow from it. */
async function refused(message: RegExp): Promise<void> {
  await assert.rejects(exchange(), (error: unknown) => {
    assert.ok(error instanceof DuoError, `expected a DuoError, got ${String(error)}`);
    assert.equal(error.reason, 'invalid-token');
    assert.match(error.message, message);
    assert.equal(error.isServiceFailure, false);
    assert.equal(decideOnDuoFailure({ error, purpose: 'login', failMode: 'open' }).verdict, 'refuse-unavailable');
    return true;
  });
}

describe('a valid id_token', () => {
  it('yields allow with Duo audit fields, after exactly one token request', async () => {
    answerWith(mintJwt(claims()));
    const result = await exchange();
    assert.equal(result.result, 'allow');
    assert.equal(result.username, USERNAME);
    assert.equal(result.txid, 'tx-0001');
    assert.equal(result.factor, 'duo_push');
    assert.equal(result.statusMsg, 'Login Successful');
    assert.equal(duo.seen.length, 1);
  });

  it('is accepted within the 60 s leeway on both sides', async () => {
    answerWith(mintJwt(claims({ exp: NOW - 59, iat: NOW - 400 })));
    assert.equal((await exchange()).result, 'allow');
    answerWith(mintJwt(claims({ iat: NOW + 59 })));
    assert.equal((await exchange()).result, 'allow');
  });
});

describe("Duo's verdict", () => {
  it('auth_result deny is deny', async () => {
    answerWith(mintJwt(claims({ auth_result: { result: 'deny', status: 'deny', status_msg: 'Login denied' } })));
    const result = await exchange();
    assert.equal(result.result, 'deny');
    assert.equal(result.statusMsg, 'Login denied');
  });

  it('no auth_result, an unknown one or a contradictory one is deny', async () => {
    for (const authResult of [
      undefined,
      {},
      { result: 'maybe' },
      { result: 'allow', status: 'deny' },
      { status: 'fraud' },
      'allow',
    ]) {
      answerWith(mintJwt(claims({ auth_result: authResult })));
      assert.equal((await exchange()).result, 'deny', JSON.stringify(authResult));
    }
  });
});

describe('the signature', () => {
  it('alg none is refused, with or without a signature', async () => {
    const input = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}`;
    answerWith(`${input}.`);
    await refused(/not a compact JWT/);
    answerWith(mintJwt(claims(), { header: { alg: 'none' } }));
    await refused(/not signed with HS512/);
  });

  it('HS256, even keyed with the Client Secret, is refused', async () => {
    answerWith(mintJwt(claims(), { header: { alg: 'HS256', typ: 'JWT' }, hmac: 'sha256' }));
    await refused(/not signed with HS512/);
  });

  it('RS256 is refused, with a real RSA signature or an HMAC posing as one', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims())}`;
    answerWith(`${input}.${rsaSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`);
    await refused(/not signed with HS512/);
    answerWith(`${input}.${createHmac('sha512', CLIENT_SECRET).update(input).digest('base64url')}`);
    await refused(/not signed with HS512/);
  });

  it('another key, a tampered payload or a truncated signature is refused', async () => {
    answerWith(mintJwt(claims(), { secret: 'AnotherSecretAnotherSecretAnotherSecret0' }));
    await refused(/signature does not verify/);
    const [header, , signature] = mintJwt(claims()).split('.');
    answerWith(`${header}.${b64url(claims({ preferred_username: 'mallory' }))}.${signature}`);
    await refused(/signature does not verify/);
    answerWith(mintJwt(claims()).slice(0, -2));
    await refused(/signature does not verify/);
  });

  it('a critical header extension is refused', async () => {
    answerWith(mintJwt(claims(), { header: { alg: 'HS512', crit: ['b64'], b64: false } }));
    await refused(/critical/);
  });
});

describe('each claim', () => {
  it('iss must be https://{host}/oauth/v1/token', async () => {
    for (const iss of [
      `http://${duo.host}/oauth/v1/token`,
      'https://api-other.duosecurity.com/oauth/v1/token',
      undefined,
    ]) {
      answerWith(mintJwt(claims({ iss })));
      await refused(/issuer/);
    }
  });

  it('aud must be this Client ID', async () => {
    for (const aud of ['DIOTHERCLIENT0000000', [CLIENT_ID, 'DIOTHERCLIENT0000000'], undefined]) {
      answerWith(mintJwt(claims({ aud })));
      await refused(/audience/);
    }
  });

  it('exp is required, and more than 60 s past is expired', async () => {
    answerWith(mintJwt(claims({ exp: undefined })));
    await refused(/no valid expiry/);
    answerWith(mintJwt(claims({ exp: String(NOW + 300) })));
    await refused(/no valid expiry/);
    answerWith(mintJwt(claims({ exp: NOW - 61, iat: NOW - 400 })));
    await refused(/expired/);
  });

  it('iat is required, and more than 60 s ahead is refused', async () => {
    answerWith(mintJwt(claims({ iat: undefined })));
    await refused(/no valid issue time/);
    answerWith(mintJwt(claims({ iat: NOW + 61 })));
    await refused(/issued in the future/);
  });

  it('nbf, when present, must not be more than 60 s ahead', async () => {
    answerWith(mintJwt(claims({ nbf: NOW + 61 })));
    await refused(/not valid yet/);
    answerWith(mintJwt(claims({ nbf: NOW + 59 })));
    assert.equal((await exchange()).result, 'allow');
  });

  it('nonce must equal the one sent', async () => {
    answerWith(mintJwt(claims({ nonce: 'nonce-0123456789-abcdefghiJ' })));
    await refused(/nonce/);
    answerWith(mintJwt(claims({ nonce: undefined })));
    await refused(/nonce/);
  });

  it('preferred_username must equal the username sent, exactly', async () => {
    for (const name of ['Alice@example.com', 'bob@example.com', `${USERNAME} `, undefined]) {
      answerWith(mintJwt(claims({ preferred_username: name })));
      await refused(/another user/);
    }
  });
});

describe("the token endpoint's reply", () => {
  it('without an id_token is refused', async () => {
    answerWith(undefined);
    await refused(/no id_token/);
    answerWith('');
    await refused(/no id_token/);
  });

  it('whose token_type is not Bearer is refused', async () => {
    answerWith(mintJwt(claims()), { token_type: 'MAC' });
    await refused(/not of type Bearer/);
    answerWith(mintJwt(claims()), { token_type: undefined });
    await refused(/not of type Bearer/);
  });
});
