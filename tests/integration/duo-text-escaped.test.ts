import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertNoToken, dataOf, errorOf, expectDuoRequired, expectToken } from '../helpers/client-answers';
import {
  createClient,
  enableDuoForClient,
  login,
  startClientsHarness,
  step,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { HOSTILE_DUO_TEXT, READABLE_PART, UNSAFE_CHARACTER } from '../helpers/hostile-duo-text';

/**
 * Issue 14 item 2 on a running Strapi (STRAPI_HOST=v4|v5): the sandbox answers text full of terminal escapes, bidi
 * overrides and forged log lines (a `reply` fault), and none of it reaches the Duo step's answers, the audit table
 * or the server log unescaped; an `allow` Duo's own clients would refuse is refused.
 */

let h: ClientsHarness;
let client: Client;

before(async () => {
  h = await startClientsHarness({ sandbox: { longPollMs: 500 } });
  client = await createClient(h);
  await enableDuoForClient(h, client, expectToken(await login(h.app, client.email, client.password)).jwt);
});
after(async () => {
  await h?.close();
});

/** Every string inside a parsed JSON value (what an API client, a log viewer or a screen gets to show). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function assertAllSafe(value: unknown, what: string): void {
  for (const text of stringsIn(value)) assert.doesNotMatch(text, UNSAFE_CHARACTER, `${what}: ${JSON.stringify(text)}`);
}

/** What the server logged from `since` on that mentions Duo's hostile text: present, and escaped. */
function assertLoggedSafely(since: number): void {
  const lines = h.app.logs.slice(since).filter((entry) => /555-0100|owned|gnp\.exe/.test(entry.message));
  assert.ok(lines.length > 0, 'the server log says what Duo answered');
  for (const line of lines) assert.doesNotMatch(line.message, UNSAFE_CHARACTER, JSON.stringify(line.message));
}

async function startLogin(): Promise<string> {
  return expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
}

describe('hostile Duo text through the Duo step', () => {
  it('an error answer (message, message_detail) reaches the step answer and the log escaped', async () => {
    const stepId = await startLogin();
    const since = h.app.logs.length;
    const failure = { stat: 'FAIL', code: 40002, message: HOSTILE_DUO_TEXT, message_detail: HOSTILE_DUO_TEXT };
    h.sandbox.setFault({ kind: 'reply', path: '/auth/v2/auth', status: 400, body: failure, times: 1 });
    const response = await step(h.app, 'push', { step: stepId });
    const error = errorOf(response, 400);
    assert.equal(error.name, 'DuoFactorError');
    assert.ok(error.message.includes(READABLE_PART), error.message);
    assertAllSafe(response.body, 'push answer');
    assertLoggedSafely(since);
  });

  it('a deny (status, status_msg) reaches the status answer, the stored step and the audit row escaped', async () => {
    const stepId = await startLogin();
    h.sandbox.setFault({
      kind: 'reply',
      path: '/auth/v2/auth',
      body: { stat: 'OK', response: { txid: 'tx-hostile' } },
      times: 1,
    });
    const deny = { result: 'deny', status: HOSTILE_DUO_TEXT, status_msg: HOSTILE_DUO_TEXT };
    h.sandbox.setFault({ kind: 'reply', path: '/auth/v2/auth_status', body: { stat: 'OK', response: deny }, times: 1 });
    assert.equal(dataOf(await step(h.app, 'push', { step: stepId }), 'push').state, 'waiting');

    const status = await step(h.app, 'status', { step: stepId });
    assertNoToken(status);
    const answer = dataOf(status, 'status');
    assert.equal(answer.state, 'denied');
    assert.ok(String(answer.message).includes(READABLE_PART), String(answer.message));
    assertAllSafe(status.body, 'status answer');
    // Asked again, the answer comes from the stored step row.
    const again = await step(h.app, 'status', { step: stepId });
    assert.equal(dataOf(again, 'status again').state, 'denied');
    assertAllSafe(again.body, 'stored status answer');

    const denied = (await auditEntries(h.strapi, { userId: client.id, event: 'step.denied' })).at(-1);
    assert.ok(denied, 'the refusal is audited');
    assert.ok(String(denied.detail?.duoStatus).includes(READABLE_PART), JSON.stringify(denied.detail));
    assertAllSafe(denied, 'audit row');
  });
});

describe("replies Duo's own clients refuse", () => {
  for (const [what, response] of [
    ['an allow without status_msg', { result: 'allow' }],
    ['a result nobody knows', { result: `allow${HOSTILE_DUO_TEXT}`, status_msg: HOSTILE_DUO_TEXT }],
  ] as const) {
    it(`${what} from preauth refuses the login, audited and logged, nothing unescaped`, async () => {
      const since = h.app.logs.length;
      h.sandbox.setFault({ kind: 'reply', path: '/auth/v2/preauth', body: { stat: 'OK', response }, times: 1 });
      const response_ = await login(h.app, client.email, client.password);
      assertNoToken(response_);
      const error = errorOf(response_, 400);
      assert.equal(error.name, 'DuoDeniedError');
      assert.deepEqual(error.details, { reason: 'unexpected-result' });
      assertAllSafe(response_.body, 'login answer');
      const entry = (await auditEntries(h.strapi, { userId: client.id, event: 'step.denied' })).at(-1);
      assert.equal(entry?.outcome, 'unexpected-result');
      const logged = h.app.logs.slice(since).filter((line) => line.message.includes('was not understood'));
      assert.equal(logged.length, 1, 'one warning for the operator');
      assertAllSafe(logged, 'log line');
      assert.ok(!logged[0]?.message.includes('owned'), 'the unknown result itself is not repeated');
    });
  }
});
