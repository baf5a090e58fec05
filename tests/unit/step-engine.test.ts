import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuoError } from '../../server/src/duo/errors';
import type { DuoAuthResult } from '../../server/src/duo/types';
import { DuoPasscodeError, DuoStepError } from '../../server/src/engine/errors';
import { recordingExchange, stepEngineFixture, type EngineFixture } from '../helpers/step-engine';

const CLIENT = { id: 7, email: 'client@example.com' };
const GOOD = '123456';
const verdict = (passcode: string): DuoAuthResult =>
  passcode === GOOD
    ? { result: 'allow', status: 'allow', statusMsg: 'Success. Logging you in...' }
    : { result: 'deny', status: 'deny', statusMsg: 'Incorrect passcode' };

async function openStep(fixture: EngineFixture): Promise<string> {
  const begun = await fixture.engine.begin({
    audience: 'clients',
    user: CLIENT,
    purpose: 'login',
    flow: { action: 'callback', user: { id: CLIENT.id } },
    ip: '203.0.113.7',
  });
  assert.equal(begun.kind, 'step');
  if (begun.kind !== 'step') throw new Error('unreachable');
  return begun.details.step.id;
}

const rejectsWith = (name: string, details: Record<string, unknown>) => (error: unknown) => {
  assert.ok(error instanceof Error);
  assert.equal(error.name, name);
  assert.deepEqual((error as { details?: unknown }).details, details);
  return true;
};

describe('the step engine with stub adapters: begin → passcode → outcome', () => {
  it('hands a wrong then a right passcode to Duo, and on allow gives the adapter the flow and the finishing request', async () => {
    const fixture = stepEngineFixture({ passcode: verdict });
    const id = await openStep(fixture);

    await assert.rejects(
      fixture.engine.submitPasscode('clients', id, '000000', recordingExchange()),
      rejectsWith('DuoPasscodeError', { attemptsLeft: 4 }),
    );
    const exchange = recordingExchange();
    const answer = await fixture.engine.submitPasscode('clients', id, GOOD, exchange);

    assert.deepEqual(answer, { done: true, body: { issued: 'clients-credential', via: 'allow' } });
    assert.equal(fixture.completions.length, 1);
    const [completion] = fixture.completions;
    assert.equal(completion?.kind, 'login');
    assert.equal(completion?.userId, CLIENT.id);
    assert.deepEqual(completion?.flow, { action: 'callback', user: { id: CLIENT.id } });
    assert.equal(completion?.exchange, exchange, 'the adapter answers on the request that finished the step');
    assert.deepEqual(
      fixture.audit.lines.map((line) => `${line.event}:${line.outcome}`),
      ['step.started:auth', 'passcode.failed:denied', 'enroll.enabled:enabled', 'step.allowed:allowed'],
    );
  });

  it('hands a step over once: the next request on it is told it was used', async () => {
    const fixture = stepEngineFixture({ passcode: verdict });
    const id = await openStep(fixture);
    await fixture.engine.submitPasscode('clients', id, GOOD, recordingExchange());

    await assert.rejects(
      fixture.engine.status('clients', id, false, recordingExchange()),
      rejectsWith('DuoStepError', { state: 'consumed' }),
    );
    assert.equal(fixture.completions.length, 1);
  });

  it('keeps a step to its audience: a clients step cannot be finished as staff', async () => {
    const fixture = stepEngineFixture({ passcode: verdict });
    const id = await openStep(fixture);
    await assert.rejects(
      fixture.engine.submitPasscode('staff', id, GOOD, recordingExchange()),
      (error: unknown) => error instanceof DuoStepError,
    );
    assert.equal(fixture.completions.length, 0);
    assert.deepEqual(fixture.duoCalls, ['preauth'], 'the passcode never reached Duo');
  });

  it('closes the step on the last allowed wrong passcode; later guesses do not reach Duo', async () => {
    const fixture = stepEngineFixture({ passcode: verdict, maxPasscodeAttempts: 2 });
    const id = await openStep(fixture);
    await assert.rejects(fixture.engine.submitPasscode('clients', id, '000001', recordingExchange()), (e: unknown) => {
      return e instanceof DuoPasscodeError && e.details.attemptsLeft === 1;
    });
    await assert.rejects(fixture.engine.submitPasscode('clients', id, '000002', recordingExchange()), (e: unknown) => {
      return e instanceof DuoPasscodeError && e.details.attemptsLeft === 0;
    });
    await assert.rejects(
      fixture.engine.submitPasscode('clients', id, GOOD, recordingExchange()),
      rejectsWith('DuoStepError', { state: 'denied' }),
    );
    assert.deepEqual(fixture.duoCalls, ['preauth', 'auth:passcode', 'auth:passcode']);
    assert.equal(fixture.completions.length, 0);
    const status = await fixture.engine.status('clients', id, false, recordingExchange());
    assert.equal(status.done, false);
    assert.equal(status.done === false ? status.body.state : undefined, 'denied');
  });

  it('under fail open, a passcode Duo cannot check finishes the login marked fail-open, with no failure counted', async () => {
    const fixture = stepEngineFixture({
      failMode: 'open',
      passcode: () => {
        throw new DuoError({ reason: 'timeout', message: 'Duo did not answer in time' });
      },
    });
    const id = await openStep(fixture);
    const answer = await fixture.engine.submitPasscode('clients', id, GOOD, recordingExchange());
    assert.deepEqual(answer, { done: true, body: { issued: 'clients-credential', via: 'fail-open' } });
    const events = fixture.audit.lines.map((line) => line.event);
    assert.ok(events.includes('login.fail-open'));
    assert.ok(!events.includes('passcode.failed'), 'a try Duo could not check leaves no failure entry');
  });

  it('under fail closed, the same failure refuses and hands nothing over', async () => {
    const fixture = stepEngineFixture({
      passcode: () => {
        throw new DuoError({ reason: 'timeout', message: 'Duo did not answer in time' });
      },
    });
    const id = await openStep(fixture);
    await assert.rejects(
      fixture.engine.submitPasscode('clients', id, GOOD, recordingExchange()),
      rejectsWith('DuoUnavailableError', { reason: 'timeout' }),
    );
    assert.equal(fixture.completions.length, 0);
  });

  it('turns Duo on outside a step through the adapter, with the request that asked', async () => {
    const fixture = stepEngineFixture({ passcode: verdict });
    const exchange = recordingExchange();
    assert.deepEqual(await fixture.engine.completeEnable('staff', 3, 'bypass', exchange), { data: { enabled: true } });
    assert.deepEqual(
      fixture.completions.map(({ kind, audience, userId, via }) => ({ kind, audience, userId, via })),
      [{ kind: 'enable', audience: 'staff', userId: 3, via: 'bypass' }],
    );
    assert.equal(fixture.completions[0]?.exchange, exchange);
  });
});
