import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CLIENT_ID, startFakeDuo } from '../helpers/fake-duo-oauth';
import { makeTestCertificates } from '../helpers/test-ca';
import {
  checkAssertion,
  closedPortOrigin,
  duoFailure,
  failOpenVerdict,
  HEALTH,
  NOW,
  TOKEN,
  useFakeDuo,
} from '../helpers/universal-client';

/**
 * The Universal Prompt's health check against a local server with hand-made replies: what goes on the wire, the
 * clock offset, and how each kind of failure is told apart. "Unreachable" (network error, timeout, 5xx, a reply
 * that is not Duo's) is an outage the fail mode may act on; Duo answering FAIL is a configuration error and must
 * never fail open.
 */

const h = useFakeDuo();

describe('health check', () => {
  it("POSTs a signed client assertion and returns Duo's time and the clock offset", async () => {
    h.duo.reply(HEALTH, { status: 200, body: { stat: 'OK', response: { timestamp: NOW + 120 } } });
    const c = h.client();
    const health = await c.healthCheck();
    assert.equal(health.timestamp, NOW + 120);
    assert.equal(health.offsetMs, 120_500);
    assert.equal(c.clockOffsetMs, 120_500);
    const [seen] = h.duo.seen;
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(seen?.form.get('client_id'), CLIENT_ID);
    assert.equal(checkAssertion(seen?.form ?? new URLSearchParams(), h.duo.host, HEALTH).iat, NOW);
    // The next assertion is dated in Duo's time: the offset just measured is applied.
    await c.healthCheck();
    assert.equal(checkAssertion(h.duo.seen[1]?.form ?? new URLSearchParams(), h.duo.host, HEALTH).iat, NOW + 120);
  });

  it("checks the id_token's times against Duo's clock once the offset is measured", async () => {
    // Duo's clock 120 s ahead of this server's: its fresh token looks issued in the future until corrected.
    h.duo.reply(TOKEN, { status: 200, body: h.goodToken({ iat: NOW + 120, exp: NOW + 420 }) });
    const uncorrected = await duoFailure(h.exchange(h.client()));
    assert.match(uncorrected.message, /issued in the future/);
    h.duo.reply(HEALTH, { status: 200, body: { stat: 'OK', response: { timestamp: NOW + 120 } } });
    const corrected = h.client();
    await corrected.healthCheck();
    assert.equal((await h.exchange(corrected)).result, 'allow');
  });

  it('answered FAIL is a refusal ("api"), never an outage, whatever the status', async () => {
    for (const status of [400, 401, 200]) {
      h.duo.reply(HEALTH, {
        status,
        body: { stat: 'FAIL', code: 40002, message: 'invalid_client', message_detail: 'Failed to verify signature.' },
      });
      const error = await duoFailure(h.client().healthCheck());
      assert.equal(error.reason, 'api', `HTTP ${status}`);
      assert.equal(error.code, 40002);
      assert.equal(error.duoMessage, 'invalid_client');
      assert.equal(error.isServiceFailure, false);
      assert.equal(failOpenVerdict(error), 'refuse-unavailable');
    }
  });

  it('an OAuth-style error body (an Auth API key used as a Client ID) is a refusal too', async () => {
    h.duo.reply(HEALTH, {
      status: 401,
      body: { error: 'unauthorized_request', error_description: 'Unauthorized OIDC request' },
    });
    const error = await duoFailure(h.client().healthCheck());
    assert.equal(error.reason, 'api');
    assert.equal(error.duoMessage, 'unauthorized_request');
    assert.equal(error.messageDetail, 'Unauthorized OIDC request');
    assert.equal(failOpenVerdict(error), 'refuse-unavailable');
  });

  it('5xx, with JSON or HTML, is "unavailable": an outage', async () => {
    for (const body of [{ stat: 'FAIL', code: 50001, message: 'Internal error' }, '<html>Bad gateway</html>', '']) {
      h.duo.reply(HEALTH, { status: 502, body });
      const error = await duoFailure(h.client().healthCheck());
      assert.equal(error.reason, 'unavailable');
      assert.equal(failOpenVerdict(error), 'admit');
    }
  });

  it('a 2xx reply that is not JSON (a captive proxy) is "protocol": an outage', async () => {
    h.duo.reply(HEALTH, { status: 200, body: '<html>Sign in to the Wi-Fi</html>' });
    const error = await duoFailure(h.client().healthCheck());
    assert.equal(error.reason, 'protocol');
    assert.equal(failOpenVerdict(error), 'admit');
  });

  it('no answer before the deadline is "timeout"', async () => {
    h.duo.reply(HEALTH, 'hang');
    const error = await duoFailure(h.client({ timeoutMs: 300 }).healthCheck());
    assert.equal(error.reason, 'timeout');
    assert.equal(failOpenVerdict(error), 'admit');
  });

  it('a refused or cut connection is "unavailable"', async () => {
    const refused = await duoFailure(h.client({ apiHostname: await closedPortOrigin() }).healthCheck());
    assert.equal(refused.reason, 'unavailable');
    assert.match(refused.message, /ECONNREFUSED/);
    h.duo.reply(HEALTH, 'destroy');
    const cut = await duoFailure(h.client().healthCheck());
    assert.equal(cut.reason, 'unavailable');
    assert.equal(h.duo.seen.length, 1, 'a POST is never sent twice');
  });

  it('runs over HTTPS with an extra trusted CA (the transport is the Auth API client’s)', async () => {
    const certs = makeTestCertificates();
    const secure = await startFakeDuo({ key: certs.key, cert: certs.cert });
    try {
      secure.reply(HEALTH, { status: 200, body: { stat: 'OK', response: { timestamp: NOW } } });
      assert.equal((await h.client({ apiHostname: secure.origin, ca: certs.ca }).healthCheck()).timestamp, NOW);
      const untrusted = await duoFailure(h.client({ apiHostname: secure.origin }).healthCheck());
      // A certificate nobody trusts is 'tls', never an outage: fail open must not let it through.
      assert.equal(untrusted.reason, 'tls');
      assert.equal(untrusted.isServiceFailure, false);
    } finally {
      await secure.close();
    }
  });
});

describe('HTTP 429 on the health check', () => {
  it('gives up as "rate-limited" at once when Retry-After is beyond the budget', async () => {
    h.duo.reply(HEALTH, { status: 429, body: '', headers: { 'retry-after': '30' } });
    const error = await duoFailure(h.client({ rateLimitBudgetMs: 5_000 }).healthCheck());
    assert.equal(error.reason, 'rate-limited');
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(h.duo.seen.length, 1);
    assert.equal(failOpenVerdict(error), 'admit');
  });
});
