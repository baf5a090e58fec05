import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertNoToken, dataOf, errorOf, expectDuoRequired, expectToken } from '../helpers/client-answers';
import {
  createClient,
  login,
  startClientsHarness,
  step,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { printFigure } from '../helpers/figures';

/**
 * Issue 6, brute force: someone who holds a client's password guesses Duo passcodes. One Duo step allows
 * `maxPasscodeAttempts` (5) wrong ones, one user 10 in 15 minutes across all their steps, and neither limit gives way
 * when the guesses arrive all at once. Each stop is proved by what Duo saw (the sandbox counts every passcode that
 * reached it) and by the right passcode being refused afterwards.
 */

const PER_STEP = 5;
const PER_USER = 10;
const CONCURRENT = 50;
/** Steps one user opens for the concurrent per-user attack, each with `PER_STEP` guesses at once. */
const USER_STEPS = 10;
const AUDIT_UID = 'plugin::duo-security.audit-entry';
const STEP_UID = 'plugin::duo-security.transaction';

let h: ClientsHarness;
const figures: {
  oneStep?: number;
  oneUser?: number;
  concurrent?: number;
  reached?: number;
  userConcurrent?: number;
  userReached?: number;
} = {};

before(async () => {
  h = await startClientsHarness({ clients: { enforcement: 'required' } });
});

after(async () => {
  if (
    figures.oneStep !== undefined &&
    figures.oneUser !== undefined &&
    figures.concurrent !== undefined &&
    figures.reached !== undefined
  ) {
    printFigure(
      'brute force',
      `one step: stopped after ${figures.oneStep} attempts; one user: stopped after ` +
        `${figures.oneUser} attempts; ${figures.concurrent} concurrent guesses, ${figures.reached} reached Duo` +
        (figures.userConcurrent === undefined
          ? ''
          : `; ${figures.userConcurrent} concurrent guesses over ${USER_STEPS} steps of one user, ` +
            `${figures.userReached} reached Duo`),
    );
  }
  await h?.close();
});

/** Passcodes Duo checked so far (every factor goes to /auth/v2/auth; these tests send only passcodes). */
const checkedByDuo = (): number => h.sandbox.stats().byPath['/auth/v2/auth'] ?? 0;

/** A passcode that is certainly wrong: every digit of the current one shifted. */
function wrongPasscode(client: Client): string {
  return h.sandbox
    .currentPasscode(client.duoUsername)
    .replace(/[0-9]/g, (d) => String((Number(d) + 1) % 10))
    .padEnd(6, '1');
}

async function openStep(client: Client): Promise<string> {
  return expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
}

function passcode(stepId: string, code: string) {
  return step(h.app, 'passcode', { step: stepId, passcode: code });
}

/** State and passcode count of the client's steps (each test's client opens its own steps). */
async function rowsOf(client: Client): Promise<Array<{ state: string; passcodeFailures: number }>> {
  const rows = (await h.strapi.db!.query(STEP_UID).findMany({
    where: { userId: client.id },
    orderBy: [{ id: 'asc' }],
  })) as Array<{ state: string; passcodeFailures: number }>;
  return rows.map(({ state, passcodeFailures }) => ({ state, passcodeFailures }));
}

/** The right passcode on a dead step: refused without a token and without asking Duo; the step stays dead. */
async function assertDead(client: Client, stepId: string): Promise<void> {
  const duoBefore = checkedByDuo();
  const right = await passcode(stepId, h.sandbox.currentPasscode(client.duoUsername));
  assertNoToken(right, 'the right passcode on a dead step');
  const error = errorOf(right, 400);
  assert.equal(error.name, 'DuoStepError');
  assert.deepEqual(error.details, { state: 'denied' });
  assert.equal(checkedByDuo(), duoBefore, 'a dead step never reaches Duo');
  assert.equal(dataOf(await step(h.app, 'status', { step: stepId, wait: false })).state, 'denied');
  const push = await step(h.app, 'push', { step: stepId });
  assertNoToken(push, 'a push on a dead step');
  assert.equal(errorOf(push, 400).name, 'DuoStepError');
}

describe('passcode brute force', () => {
  it(`against one step: stopped after ${PER_STEP} wrong passcodes, then even the right one is refused`, async () => {
    const client = await createClient(h);
    const stepId = await openStep(client);
    const duoBefore = checkedByDuo();
    let attempts = 0;
    for (;;) {
      const response = await passcode(stepId, wrongPasscode(client));
      assertNoToken(response, 'a wrong passcode');
      const error = errorOf(response, 400);
      attempts += 1;
      assert.equal(error.name, 'DuoPasscodeError', `attempt ${attempts}`);
      const left = (error.details as { attemptsLeft: number }).attemptsLeft;
      assert.equal(left, PER_STEP - attempts, `attempts left after ${attempts}`);
      if (left === 0) break;
      assert.ok(attempts < 50, 'the step never stopped the guesses');
    }
    figures.oneStep = attempts;
    assert.equal(attempts, PER_STEP);
    assert.equal(checkedByDuo() - duoBefore, PER_STEP, 'each wrong passcode was checked by Duo once');
    await assertDead(client, stepId);
    assert.deepEqual(await rowsOf(client), [{ state: 'denied', passcodeFailures: PER_STEP }]);
  });

  it(`against one user across steps: stopped after ${PER_USER} wrong passcodes for 15 minutes`, async () => {
    const client = await createClient(h);
    const duoBefore = checkedByDuo();
    let wrong = 0;
    let stopped: string | undefined;
    // Three guesses per step, then a fresh step (a password login each time), as an attacker would.
    while (stopped === undefined) {
      const stepId = await openStep(client);
      for (let i = 0; i < 3; i += 1) {
        const atDuo = checkedByDuo();
        const response = await passcode(stepId, wrongPasscode(client));
        assertNoToken(response, 'a wrong passcode');
        const error = errorOf(response, 400);
        assert.equal(error.name, 'DuoPasscodeError');
        if (checkedByDuo() === atDuo) {
          // Refused without asking Duo: the user's limit.
          assert.deepEqual(error.details, { attemptsLeft: 0 });
          stopped = stepId;
          break;
        }
        wrong += 1;
        assert.ok(wrong <= 50, 'the user was never stopped');
      }
    }
    figures.oneUser = wrong;
    assert.equal(wrong, PER_USER, 'wrong passcodes Duo checked before the user was stopped');
    assert.equal(checkedByDuo() - duoBefore, PER_USER);
    // The step where the limit struck is closed.
    await assertDead(client, stopped);

    // Duo itself locks a user after ten wrong passcodes in a row; unlock him there, so what refuses him next is
    // the plugin's own limit.
    h.sandbox.updateUser(client.duoUsername, { status: 'active' });
    const fresh = await openStep(client);
    const atDuo = checkedByDuo();
    const right = await passcode(fresh, h.sandbox.currentPasscode(client.duoUsername));
    assertNoToken(right, 'the right passcode within the window');
    assert.deepEqual(errorOf(right, 400).details, { attemptsLeft: 0 });
    assert.equal(checkedByDuo(), atDuo, 'the right passcode never reached Duo within the window');

    // Fifteen minutes later (the audit trail moved back in time) the right passcode works again.
    const { count } = await h.strapi.db!.query(AUDIT_UID).updateMany({
      where: { userId: client.id, audience: 'clients' },
      data: { createdAt: new Date(Date.now() - 16 * 60 * 1000).toISOString() },
    });
    assert.ok(count >= PER_USER);
    const later = await openStep(client);
    const token = expectToken(await passcode(later, h.sandbox.currentPasscode(client.duoUsername)), 'after the window');
    assert.equal(token.user.id, client.id);
  });

  it(`${CONCURRENT} wrong passcodes at once against one step: at most ${PER_STEP} reach Duo`, async () => {
    const client = await createClient(h);
    const stepId = await openStep(client);
    const duoBefore = checkedByDuo();
    const guess = wrongPasscode(client);
    const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => passcode(stepId, guess)));
    const reached = checkedByDuo() - duoBefore;
    figures.concurrent = CONCURRENT;
    figures.reached = reached;

    const answers: Record<string, number> = {};
    for (const response of responses) {
      assertNoToken(response, 'a concurrent guess');
      const error = errorOf(response, 400);
      assert.ok(['DuoPasscodeError', 'DuoStepError'].includes(error.name), error.name);
      answers[error.name] = (answers[error.name] ?? 0) + 1;
    }
    assert.ok(reached <= PER_STEP, `${reached} of ${CONCURRENT} concurrent guesses reached Duo`);
    assert.ok(reached >= 1, 'the guesses were checked at all');
    await assertDead(client, stepId);
    const rows = await rowsOf(client);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.state, 'denied');
    assert.ok((rows[0]?.passcodeFailures ?? 0) <= PER_STEP);
  });

  it(`${USER_STEPS * PER_STEP} wrong passcodes at once over ${USER_STEPS} steps of one user: at most ${PER_USER} reach Duo`, async () => {
    const client = await createClient(h);
    const steps: string[] = [];
    for (let i = 0; i < USER_STEPS; i += 1) steps.push(await openStep(client));
    const duoBefore = checkedByDuo();
    const guess = wrongPasscode(client);
    const responses = await Promise.all(
      steps.flatMap((stepId) => Array.from({ length: PER_STEP }, () => passcode(stepId, guess))),
    );
    const reached = checkedByDuo() - duoBefore;
    figures.userConcurrent = responses.length;
    figures.userReached = reached;
    for (const response of responses) {
      assertNoToken(response, 'a concurrent guess');
      const error = errorOf(response, 400);
      assert.ok(['DuoPasscodeError', 'DuoStepError'].includes(error.name), error.name);
    }
    assert.ok(reached <= PER_USER, `${reached} of ${responses.length} guesses over one user's steps reached Duo`);
    assert.ok(reached >= 1, 'the guesses were checked at all');

    // And the user stays stopped: the right passcode on a fresh step never reaches Duo.
    h.sandbox.updateUser(client.duoUsername, { status: 'active' });
    const fresh = await openStep(client);
    const atDuo = checkedByDuo();
    const right = await passcode(fresh, h.sandbox.currentPasscode(client.duoUsername));
    assertNoToken(right, 'the right passcode after the concurrent attack');
    assert.deepEqual(errorOf(right, 400).details, { attemptsLeft: 0 });
    assert.equal(checkedByDuo(), atDuo);
  });
});
