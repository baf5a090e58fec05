import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';

import type { DuoCodeExchange } from '../../server/src/duo/universal';
import { CLIENT_ID, CLIENT_SECRET, type FakeAnswer, type SeenRequest } from '../helpers/fake-duo-oauth';
import {
  checkAssertion,
  closedPortOrigin,
  CODE,
  duoFailure,
  failOpenVerdict,
  HEALTH,
  NONCE,
  REDIRECT,
  TOKEN,
  useFakeDuo,
  USERNAME,
} from '../helpers/universal-client';

/**
 * The Universal Prompt's token exchange against a local server with hand-made replies: the form sent, 429
 * handling, failures told apart, and secrets kept out of errors even when Duo echoes them. (The id_token checks
 * themselves: duo-universal-id-token.test.ts.)
 */

const h = useFakeDuo();

describe('token exchange', () => {
  it('sends the form Duo expects, with redirect_uri byte for byte and a client assertion for /token', async () => {
    h.duo.reply(TOKEN, { status: 200, body: h.goodToken() });
    await h.exchange(h.client());
    await h.exchange(h.client());
    const [seen, again] = h.duo.seen;
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual([...(seen?.form.keys() ?? [])].sort(), [
      'client_assertion',
      'client_assertion_type',
      'client_id',
      'code',
      'grant_type',
      'redirect_uri',
    ]);
    assert.equal(seen?.form.get('grant_type'), 'authorization_code');
    assert.equal(seen?.form.get('code'), CODE);
    assert.equal(seen?.form.get('redirect_uri'), REDIRECT);
    assert.equal(seen?.form.get('client_id'), CLIENT_ID);
    assert.equal(seen?.form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jtis = [seen, again].map((s) => checkAssertion(s?.form ?? new URLSearchParams(), h.duo.host, TOKEN).jti);
    assert.notEqual(jtis[0], jtis[1]);
  });

  it('invalid_grant and invalid_client are refusals ("api"), never outages', async () => {
    for (const [status, code] of [
      [400, 'invalid_grant'],
      [401, 'invalid_client'],
    ] as const) {
      h.duo.reply(TOKEN, { status, body: { error: code, error_description: 'The request was refused.' } });
      const error = await duoFailure(h.exchange(h.client()));
      assert.equal(error.reason, 'api');
      assert.equal(error.duoMessage, code);
      assert.equal(failOpenVerdict(error), 'refuse-unavailable');
    }
  });

  it('5xx, a timeout and a refused connection are told apart', async () => {
    h.duo.reply(TOKEN, { status: 503, body: '' });
    assert.equal((await duoFailure(h.exchange(h.client()))).reason, 'unavailable');
    h.duo.reply(TOKEN, 'hang');
    assert.equal((await duoFailure(h.exchange(h.client({ timeoutMs: 300 })))).reason, 'timeout');
    const refused = await duoFailure(h.exchange(h.client({ apiHostname: await closedPortOrigin() })));
    assert.equal(refused.reason, 'unavailable');
  });
});

describe('what the callback handed over', () => {
  it('a malformed duo_code is refused before anything is sent to Duo', async () => {
    const c = h.client();
    for (const code of ['', 'has space', 'line\nbreak', 'x'.repeat(2049)]) {
      const error = await duoFailure(c.exchangeCode({ code, username: USERNAME, nonce: NONCE, redirectUri: REDIRECT }));
      assert.equal(error.reason, 'invalid-token');
      assert.equal(failOpenVerdict(error), 'refuse-unavailable');
    }
    assert.equal(h.duo.seen.length, 0);
  });

  it('a missing nonce is a programming error, never replaced by a fresh one', async () => {
    const exchange = { code: CODE, username: USERNAME, redirectUri: REDIRECT } as unknown as DuoCodeExchange;
    const error = await duoFailure(h.client().exchangeCode(exchange));
    assert.equal(error.reason, 'config');
    assert.equal(h.duo.seen.length, 0);
  });
});

describe('HTTP 429 on the token endpoint', () => {
  it('waits as Retry-After says and tries again with a fresh assertion (new jti), same code', async () => {
    h.duo.reply(
      TOKEN,
      { status: 429, body: '', headers: { 'retry-after': '0' } },
      { status: 200, body: h.goodToken() },
    );
    // A budget below the 1 s back-off: only by obeying Retry-After: 0 does the client retry at all.
    const result = await h.exchange(h.client({ rateLimitBudgetMs: 500 }));
    assert.equal(result.result, 'allow');
    assert.equal(h.duo.seen.length, 2);
    const [first, second] = h.duo.seen.map((s) => checkAssertion(s.form, h.duo.host, TOKEN));
    assert.notEqual(first?.jti, second?.jti);
    assert.deepEqual(
      h.duo.seen.map((s) => s.form.get('code')),
      [CODE, CODE],
    );
  });
});

describe('secrets', () => {
  it('never reach an error, even when Duo echoes them back', async () => {
    const c = h.client();
    // Duo's error text repeating every secret of the request it refuses: the code, the client assertion (a
    // credential until it expires), the nonce and the Client Secret.
    const echo = (request: SeenRequest): FakeAnswer => {
      const text = [request.form.get('code'), request.form.get('client_assertion'), NONCE, CLIENT_SECRET].join(' ');
      return { status: 400, body: { error: `invalid_grant ${CODE}`, error_description: text, message_detail: text } };
    };
    h.duo.reply(TOKEN, echo);
    const tokenError = await duoFailure(h.exchange(c));
    h.duo.reply(HEALTH, (request) => ({
      status: 400,
      body: {
        stat: 'FAIL',
        code: 40002,
        message: CLIENT_SECRET,
        message_detail: `${request.form.get('client_assertion') ?? ''} ${CLIENT_SECRET}`,
      },
    }));
    const healthError = await duoFailure(c.healthCheck());
    const assertions = h.duo.seen.map((s) => s.form.get('client_assertion') ?? '');
    assert.equal(assertions.length, 2);
    for (const error of [tokenError, healthError]) {
      const texts = [
        error.message,
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
        String(error.duoMessageRaw),
        String(error.messageDetailRaw),
      ];
      for (const text of texts) {
        for (const secret of [CLIENT_SECRET, CODE, NONCE, ...assertions]) {
          assert.ok(!text.includes(secret), `a secret leaked in: ${text}`);
        }
      }
      assert.match(error.message, /\[redacted\]/);
    }
  });

  it('are absent from the client itself', () => {
    const c = h.client();
    for (const text of [JSON.stringify(c), inspect(c, { depth: 10, showHidden: true }), String(c)]) {
      assert.ok(!text.includes(CLIENT_SECRET));
    }
  });
});
