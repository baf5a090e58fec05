import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { hashStepId } from '../../server/src/engine/step-id';
import { TOKEN_TAMPERS } from '../../server/src/sandbox';
import { assertNoToken, errorOf, expectToken, type DuoRequired } from '../helpers/client-answers';
import { createClient, login, startClientsHarness, type Client, type ClientsHarness } from '../helpers/clients-harness';
import { auditEntries, expireStep } from '../helpers/plugin-rows';
import {
  APP_RETURN_URL,
  callbackError,
  completionFrom,
  expectUniversalRequired,
  followCallback,
  RETURN_URL,
  throughPrompt,
  useUniversalPrompt,
} from '../helpers/universal-flow';

/*
 * Clients through Duo's Universal Prompt, headless, on the running host: the Duo-required answer carries the
 * authorize URL; the browser goes to Duo and back to the plugin's callback, which sends it on to an allow-listed
 * front-end URL with a one-time completion code; the front end trades step id + code for the login's answer.
 * Every way to get the answer without Duo's allow for this very step must fail.
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ clients: { enforcement: 'required' } });
  await useUniversalPrompt(h.strapi, h.sandbox);
});
after(async () => {
  await h?.close();
});
afterEach(() => {
  h.sandbox.clearFaults();
  h.sandbox.setOAuthSwitches({ denyRedirect: false });
});

const complete = (body: unknown, headers?: Record<string, string>) =>
  h.app.api('/api/duo-security/step/complete', { method: 'POST', body, ...(headers ? { headers } : {}) });

async function startLogin(
  client: Client,
  headers?: Record<string, string>,
): Promise<DuoRequired & { authorizeUrl: string }> {
  const response = headers
    ? await h.app.api('/api/auth/local', { body: { identifier: client.email, password: client.password }, headers })
    : await login(h.app, client.email, client.password);
  return expectUniversalRequired(response);
}

/** Password, Duo's prompt (approved), the callback: the completion code and the step it finishes. */
async function approvedReturn(client: Client, returnUrl = RETURN_URL, headers?: Record<string, string>) {
  const required = await startLogin(client, headers);
  const callback = await throughPrompt(h.sandbox, required.authorizeUrl, client.duoUsername);
  const answer = await followCallback(callback);
  return { required, callback, completion: completionFrom(answer, returnUrl), answer };
}

describe('Universal Prompt, clients: the journey', () => {
  it('password → Duo → callback → completion code → the same { jwt, user } a plain login gives', async () => {
    const client = await createClient(h);
    const { required, callback, completion, answer } = await approvedReturn(client);
    assert.equal(new URL(callback).pathname, '/api/duo-security/universal/callback', 'Duo returns to the plugin');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
    const token = expectToken(await complete({ step: required.stepId, completion }), 'complete');
    assert.equal(token.user.id, client.id);
    const me = await h.app.api('/api/users/me', { token: token.jwt });
    assert.equal(me.status, 200, 'the token works');
    const events = (await auditEntries(h.strapi, { userId: client.id })).map((e) => e.event);
    assert.ok(events.includes('step.started') && events.includes('step.allowed'), events.join());
  });

  it('X-Duo-Return-To picks another allow-listed URL (a mobile app link); one not in the list gets no step', async () => {
    const client = await createClient(h);
    const { required, completion } = await approvedReturn(client, APP_RETURN_URL, {
      'x-duo-return-to': APP_RETURN_URL,
    });
    expectToken(await complete({ step: required.stepId, completion }));

    const refused = await h.app.api('/api/auth/local', {
      body: { identifier: client.email, password: client.password },
      headers: { 'x-duo-return-to': 'https://attacker.example/steal' },
    });
    assertNoToken(refused);
    assert.equal(errorOf(refused, 400).name, 'ValidationError');
  });

  it('Duo denies: the callback says so, and nothing finishes the step', async () => {
    const client = await createClient(h);
    h.sandbox.setOAuthSwitches({ denyRedirect: true });
    const required = await startLogin(client);
    const callback = await throughPrompt(h.sandbox, required.authorizeUrl, client.duoUsername, 'deny');
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callbackError(await followCallback(callback), RETURN_URL), 'denied');
    const status = await h.app.api('/api/duo-security/step/status', {
      method: 'POST',
      body: { step: required.stepId },
    });
    assertNoToken(status);
  });
});

describe('Universal Prompt, clients: what yields nothing', () => {
  it('the completion code works once; the callback works once', async () => {
    const client = await createClient(h);
    const { required, callback, completion } = await approvedReturn(client);
    expectToken(await complete({ step: required.stepId, completion }));
    const again = await complete({ step: required.stepId, completion });
    assertNoToken(again);
    assert.equal(errorOf(again, 400).name, 'DuoStepError');
    const replayed = await followCallback(callback);
    assert.equal(replayed.fragment.get('duo_completion'), null, 'a replayed callback hands out nothing');
  });

  it("a wrong code, another step's code, or the step id alone finish nothing", async () => {
    const alice = await createClient(h);
    const bob = await createClient(h);
    const a = await approvedReturn(alice);
    const b = await approvedReturn(bob);
    const wrong = `${a.completion.slice(0, -1)}${a.completion.endsWith('A') ? 'B' : 'A'}`;
    for (const body of [
      { step: a.required.stepId, completion: wrong },
      { step: a.required.stepId, completion: b.completion },
      { step: b.required.stepId, completion: a.completion },
    ]) {
      const response = await complete(body);
      assertNoToken(response);
      assert.equal(errorOf(response, 400).name, 'DuoStepError', JSON.stringify(response.body));
    }
    // An approved step is not finished by the Auth API's status call (no completion code there).
    const status = await h.app.api('/api/duo-security/step/status', {
      method: 'POST',
      body: { step: a.required.stepId, wait: false },
    });
    assertNoToken(status);
    // And both still finish with their own codes.
    expectToken(await complete({ step: a.required.stepId, completion: a.completion }));
    expectToken(await complete({ step: b.required.stepId, completion: b.completion }));
  });

  it("a forged state, another step's state, or a state at the staff callback yield nothing", async () => {
    const alice = await createClient(h);
    const bob = await createClient(h);
    const a = await startLogin(alice);
    const b = await startLogin(bob);
    const aCallback = await throughPrompt(h.sandbox, a.authorizeUrl, alice.duoUsername);
    const bCallback = await throughPrompt(h.sandbox, b.authorizeUrl, bob.duoUsername);

    const forged = new URL(aCallback);
    forged.searchParams.set('state', 'x'.repeat(43));
    assert.equal(callbackError(await followCallback(forged), RETURN_URL), 'unknown');

    const atStaff = new URL(aCallback);
    atStaff.pathname = '/duo-security/universal/callback';
    const staffAnswer = await followCallback(atStaff);
    assert.equal(staffAnswer.fragment.get('duo_completion'), null);
    assert.equal(staffAnswer.fragment.get('duo_error'), 'unknown');
    // The state is bound to clients: it still works where it belongs.
    completionFrom(await followCallback(aCallback), RETURN_URL);

    // Bob's state with Alice's code: the code belongs to Alice's request (and is spent), so Bob's step ends refused.
    const swapped = new URL(bCallback);
    swapped.searchParams.set('duo_code', aCallback.searchParams.get('duo_code') ?? '');
    assert.notEqual(callbackError(await followCallback(swapped), RETURN_URL), '');
    assert.equal(callbackError(await followCallback(bCallback), RETURN_URL), 'unknown', 'a state works once');
  });

  it('an expired step: its state at the callback and its completion code both yield nothing', async () => {
    const client = await createClient(h);
    const late = await startLogin(client);
    const callback = await throughPrompt(h.sandbox, late.authorizeUrl, client.duoUsername);
    await expireStep(h.strapi, hashStepId(late.stepId));
    assert.equal(callbackError(await followCallback(callback), RETURN_URL), 'expired');

    // Back from Duo in time, but the completion code is used after its two minutes.
    const { required, completion } = await approvedReturn(client);
    const steps = h.strapi.db!.query('plugin::duo-security.transaction');
    const row = (await steps.findOne({ where: { idHash: hashStepId(required.stepId) } })) as {
      challenge: { universal: Record<string, unknown> };
    };
    const universal = { ...row.challenge.universal, completionExpiresAt: new Date(Date.now() - 1000).toISOString() };
    await steps.update({
      where: { idHash: hashStepId(required.stepId) },
      data: { challenge: { ...row.challenge, universal } },
    });
    const response = await complete({ step: required.stepId, completion });
    assertNoToken(response);
    assert.deepEqual(errorOf(response, 400).details, { state: 'expired' });
  });

  for (const tamper of TOKEN_TAMPERS) {
    it(`an id_token the sandbox spoils (${tamper}) is refused at the callback`, async () => {
      const client = await createClient(h);
      const required = await startLogin(client);
      const callback = await throughPrompt(h.sandbox, required.authorizeUrl, client.duoUsername);
      h.sandbox.setFault({ kind: 'token', tamper, times: 1 });
      const answer = await followCallback(callback);
      assert.notEqual(callbackError(answer, RETURN_URL), '');
      const status = await h.app.api('/api/duo-security/step/status', {
        method: 'POST',
        body: { step: required.stepId },
      });
      assertNoToken(status);
      const denied = await auditEntries(h.strapi, { userId: client.id, event: 'step.denied' });
      assert.equal(denied.length, 1, 'audited once');
    });
  }
});
