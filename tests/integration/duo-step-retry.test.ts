import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ApiResponse } from '../helpers/strapi';
import { assertNoToken, dataOf, errorOf, expectDuoRequired, expectToken, isRecord } from '../helpers/client-answers';
import {
  createClient,
  eventually,
  login,
  startClientsHarness,
  step,
  type ClientsHarness,
  type StepAction,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { adminLogin, createAdmin, expectAdminDuoRequired, expectAdminSession, staffStep } from '../helpers/staff';

/**
 * Issue 13, item 3: after a denied or unanswered push or call the same Duo step takes another push, a call or a
 * passcode, without the password again, up to `maxPromptsPerStep` (3) prompts; a fraud report ends it at once.
 * Both audiences, through their HTTP step endpoints.
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({
    sandbox: { pushTimeoutMs: 1500, phoneRingMs: 50, longPollMs: 3000 },
    clients: { enforcement: 'required' },
    staff: { enabled: true, enforcement: 'required' },
  });
});
after(async () => {
  await h?.close();
});

type Audience = 'clients' | 'staff';

/** A person of the audience whom Duo knows, signed in with their password once: the open step and how to drive it. */
interface Login {
  readonly audience: Audience;
  readonly userId: number;
  readonly duoUsername: string;
  readonly stepId: string;
  call(action: StepAction, body?: Record<string, unknown>): Promise<ApiResponse>;
  /** The answer is the audience's credential (a users-permissions JWT, an admin session). */
  expectSignedIn(response: ApiResponse): void;
}

async function signInWithPassword(audience: Audience): Promise<Login> {
  if (audience === 'clients') {
    const client = await createClient(h);
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    return {
      audience,
      userId: client.id,
      duoUsername: client.duoUsername,
      stepId,
      call: (action, body = {}) => step(h.app, action, { step: stepId, ...body }),
      expectSignedIn: (response) => assert.equal(expectToken(response).user.id, client.id),
    };
  }
  const admin = await createAdmin(h);
  const { stepId } = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
  return {
    audience,
    userId: admin.id,
    duoUsername: admin.email,
    stepId,
    call: (action, body = {}) => staffStep(h.app, action, { step: stepId, ...body }),
    expectSignedIn: (response) => assert.equal(expectAdminSession(h.app, response).user.id, admin.id),
  };
}

/** Starts a push or call and returns its txid at the sandbox. */
async function prompt(l: Login, factor: 'push' | 'phone'): Promise<string> {
  const started = dataOf(await l.call(factor), factor);
  assert.equal(started.state, 'waiting');
  const pending = await eventually(
    () => h.sandbox.pendingPushes().find((p) => p.username === l.duoUsername && p.factor === factor),
    3000,
    `a ${factor} for ${l.duoUsername}`,
  );
  return pending.txid;
}

/** Long-polls status until Duo's answer is not "waiting" any more (a call rings, is answered, then decided). */
async function settled(l: Login): Promise<ApiResponse> {
  const waiting = (r: ApiResponse) => isRecord(r.body) && isRecord(r.body.data) && r.body.data.state === 'waiting';
  let response = await l.call('status', { wait: true });
  for (let i = 0; i < 6 && waiting(response); i += 1) {
    response = await l.call('status', { wait: true });
  }
  return response;
}

async function events(l: Login, event: string) {
  return auditEntries(h.strapi, { audience: l.audience, userId: l.userId, event });
}

for (const audience of ['clients', 'staff'] as const) {
  describe(`${audience}: retry in the same Duo step`, () => {
    it('a denied push, then a second push approved: signed in, with no second password', async () => {
      const l = await signInWithPassword(audience);
      h.sandbox.deny(await prompt(l, 'push'));
      const retry = await settled(l);
      assertNoToken(retry);
      const open = dataOf(retry, 'status after deny');
      assert.deepEqual(
        { state: open.state, duoStatus: open.duoStatus, message: open.message, promptsLeft: open.promptsLeft },
        { state: 'pending', duoStatus: 'deny', message: 'Login request denied.', promptsLeft: 2 },
      );
      assert.equal((open.duo as { result?: string }).result, 'auth', 'the ways to verify come with it');
      // Asked again without waiting, the open step says the same.
      const again = dataOf(await l.call('status', { wait: false }));
      assert.deepEqual([again.state, again.duoStatus, again.promptsLeft], ['pending', 'deny', 2]);

      h.sandbox.approve(await prompt(l, 'push'));
      l.expectSignedIn(await settled(l));
      assert.equal((await events(l, 'step.started')).length, 1, 'one password, one step');
      const retries = await events(l, 'step.retry');
      assert.deepEqual(
        retries.map((e) => [e.outcome, e.detail]),
        [['open', { duoStatus: 'deny', promptsLeft: 2 }]],
      );
      assert.equal((await events(l, 'step.denied')).length, 0);
      assert.equal((await events(l, 'step.allowed')).length, 1);
    });

    it('denied on every prompt the step allows (push, call, push): the step ends; nothing goes on', async () => {
      const l = await signInWithPassword(audience);
      const left: unknown[] = [];
      for (const factor of ['push', 'phone'] as const) {
        h.sandbox.deny(await prompt(l, factor));
        const answer = dataOf(await settled(l));
        assert.equal(answer.state, 'pending', JSON.stringify(answer));
        left.push(answer.promptsLeft);
      }
      assert.deepEqual(left, [2, 1]);
      h.sandbox.deny(await prompt(l, 'push'));
      const last = await settled(l);
      assertNoToken(last);
      const ended = dataOf(last);
      assert.deepEqual([ended.state, ended.duoStatus, ended.promptsLeft], ['denied', 'deny', 0]);
      assert.match(String(ended.message), /No more Duo prompts on this sign-in step; sign in again\.$/);
      for (const [action, body] of [
        ['push', {}],
        ['phone', {}],
        ['passcode', { passcode: h.sandbox.currentPasscode(l.duoUsername) }],
      ] as const) {
        const refused = await l.call(action, body);
        assertNoToken(refused);
        assert.deepEqual(errorOf(refused, 400).details, { state: 'denied' }, action);
      }
      assert.equal(dataOf(await l.call('status', { wait: false })).state, 'denied');
      const denied = await events(l, 'step.denied');
      assert.deepEqual(
        denied.map((e) => [e.outcome, e.detail]),
        [['prompt-limit', { duoStatus: 'deny', prompts: 3 }]],
      );
      assert.equal((await events(l, 'step.retry')).length, 2);
    });

    it('reported as fraud: the step ends at once, no retry', async () => {
      const l = await signInWithPassword(audience);
      h.sandbox.deny(await prompt(l, 'push'), { fraud: true });
      const answer = await settled(l);
      assertNoToken(answer);
      const ended = dataOf(answer);
      assert.deepEqual([ended.state, ended.duoStatus, ended.promptsLeft], ['denied', 'fraud', 0]);
      const refused = await l.call('push');
      assert.deepEqual(errorOf(refused, 400).details, { state: 'denied' });
      assert.equal(h.sandbox.pendingPushes().filter((p) => p.username === l.duoUsername).length, 0, 'no second push');
      const passcode = await l.call('passcode', { passcode: h.sandbox.currentPasscode(l.duoUsername) });
      assertNoToken(passcode);
      assert.deepEqual(errorOf(passcode, 400).details, { state: 'denied' });
      assert.deepEqual(
        (await events(l, 'step.denied')).map((e) => [e.outcome, e.detail]),
        [['denied', { duoStatus: 'fraud', retry: false }]],
      );
      assert.equal((await events(l, 'step.retry')).length, 0);
    });

    it('SMS passcode sends count against the same cap: the fourth prompt is refused, a passcode still signs in', async () => {
      const l = await signInWithPassword(audience);
      for (let sent = 1; sent <= 3; sent += 1) {
        assert.equal(dataOf(await l.call('sms')).state, 'pending', `SMS send ${sent}`);
      }
      const texts = () => h.sandbox.smsPasscodes(l.duoUsername).length;
      const before = texts();
      for (const action of ['sms', 'push'] as const) {
        const refused = await l.call(action);
        assertNoToken(refused);
        const error = errorOf(refused, 400);
        assert.equal(error.name, 'DuoFactorError', action);
        assert.match(error.message, /^No more Duo prompts on this sign-in step/);
      }
      assert.equal(texts(), before, 'a refused send reached the phone');
      assert.equal(h.sandbox.pendingPushes().filter((p) => p.username === l.duoUsername).length, 0);
      l.expectSignedIn(await l.call('passcode', { passcode: h.sandbox.currentPasscode(l.duoUsername) }));
    });

    it('an unanswered push times out, then a passcode in the same step signs in', async () => {
      const l = await signInWithPassword(audience);
      await prompt(l, 'push');
      // The sandbox times the push out after 1.5 s and holds a long-poll up to 3 s.
      const open = dataOf(await settled(l));
      assert.deepEqual(
        [open.state, open.duoStatus, open.message, open.promptsLeft],
        ['pending', 'timeout', 'Login timed out.', 2],
      );
      l.expectSignedIn(await l.call('passcode', { passcode: h.sandbox.currentPasscode(l.duoUsername) }));
      assert.equal((await events(l, 'step.started')).length, 1);
    });
  });
}
