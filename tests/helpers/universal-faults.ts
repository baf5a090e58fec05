import assert from 'node:assert/strict';
import { describe } from 'node:test';

import { errorOf } from './client-answers';
import {
  MARGIN_MS,
  SHORT_DEADLINE_MS,
  timed,
  watch,
  type Audience,
  type Bed,
  type FailMode,
  type Subject,
} from './fault-bed';
import {
  appliedFailMode,
  assertAudited,
  assertNoTokenIn,
  assertQuiet,
  expectSession,
  failModeEntries,
} from './fault-checks';
import type { FaultCase } from './fault-login-cases';
import { expectFailMode } from './faults';
import type { TimedTest } from './fault-matrix';
import type { ApiResponse } from './strapi';
import { EXCHANGE_CASES, HEALTH_CASES, type ExchangeCase } from './universal-fault-cases';
import {
  callbackError,
  completionFrom,
  expectUniversalRequired,
  followCallback,
  RETURN_URL,
  throughPrompt,
  type CallbackAnswer,
} from './universal-flow';

/**
 * Issue 15 item 6: the fault matrix of the Universal Prompt, on the Auth API matrix's bed (fault-bed.ts) switched to
 * the Universal Prompt, with its checks (fault-checks.ts): real logins of both audiences, one fail mode per file.
 * The health check's faults (the fail mode applies, as on the Auth API) and the token exchange's (nothing fails
 * open once the browser went to Duo): universal-fault-cases.ts.
 */

/** Where the callback sends each audience's browser: the front end's first return URL, the staff step page. */
function returnUrlOf(bed: Bed, audience: Audience): string {
  return audience === 'clients' ? RETURN_URL : `${bed.h.app.baseUrl}/duo-security/login`;
}

function completeStep(bed: Bed, audience: Audience, body: unknown): Promise<ApiResponse> {
  const path = audience === 'clients' ? '/api/duo-security/step/complete' : '/duo-security/step/complete';
  return bed.h.app.api(path, { method: 'POST', body });
}

/** Duo's prompt approves and the callback's completion code finishes the login: a session Duo allowed. */
async function finishThroughPrompt(bed: Bed, subject: Subject, stepId: string, callback: URL): Promise<void> {
  const completion = completionFrom(await followCallback(callback), returnUrlOf(bed, subject.audience));
  const finished = await completeStep(bed, subject.audience, { step: stepId, completion });
  await expectSession(subject, finished, 'allow', 'complete');
}

async function startPrompt(bed: Bed, subject: Subject, response: ApiResponse) {
  const required = expectUniversalRequired(response, 'password step');
  const callback = await throughPrompt(bed.duo, required.authorizeUrl, subject.duoUsername);
  return { stepId: required.stepId, callback };
}

function bounded(fault: Pick<FaultCase, 'limitMs' | 'immediate'>, ms: number): void {
  assert.ok(ms < fault.limitMs + MARGIN_MS, `answered after ${ms} ms (bound ${fault.limitMs + MARGIN_MS} ms)`);
  if (fault.immediate) assert.ok(ms < SHORT_DEADLINE_MS, `sat out the deadline: ${ms} ms`);
}

async function runHealthCase(bed: Bed, failMode: FailMode, subject: Subject, fault: FaultCase): Promise<number> {
  const logsBefore = bed.h.app.logs.length;
  const auditBefore = await failModeEntries(bed, subject);
  const seen = watch(bed);
  const undo = await fault.inject(bed);
  let ms: number;
  try {
    const answer = await timed(() => subject.login());
    ms = answer.ms;
    fault.met(seen());
    bounded(fault, ms);
    const auditAfter = await failModeEntries(bed, subject);
    if (fault.outcome.kind === 'fails') {
      await expectFailMode(subject, failMode, answer.value, fault.outcome.reason);
      assertAudited(appliedFailMode(failMode, fault.outcome.reason), auditBefore, auditAfter, fault.outcome.reason);
    } else {
      // Absorbed, not failed open: the step and the authorize URL, and nothing recorded as a Duo failure.
      const { stepId, callback } = await startPrompt(bed, subject, answer.value);
      assert.deepEqual(auditAfter, auditBefore, 'no fail-mode audit entry');
      await finishThroughPrompt(bed, subject, stepId, callback);
    }
  } finally {
    await undo();
  }
  // Nothing stuck once the fault is gone: the next login reaches Duo's prompt again.
  expectUniversalRequired(await subject.login(), 'login after the fault');
  await assertQuiet(bed, logsBefore);
  return ms;
}

function assertNothingIssued(answer: CallbackAnswer, what: string): void {
  const response = { status: answer.status, headers: answer.headers, body: answer.body };
  assertNoTokenIn(response, what);
  assert.equal(answer.fragment.get('duo_completion'), null, `${what}: a completion code`);
}

async function runExchangeCase(bed: Bed, subject: Subject, fault: ExchangeCase): Promise<number> {
  const { stepId, callback } = await startPrompt(bed, subject, await subject.login());
  const returnUrl = returnUrlOf(bed, subject.audience);
  const logsBefore = bed.h.app.logs.length;
  const auditBefore = await failModeEntries(bed, subject);
  const seen = watch(bed);
  const undo = await fault.inject(bed);
  let ms: number;
  try {
    const answer = await timed(() => followCallback(callback));
    ms = answer.ms;
    fault.met(seen());
    bounded(fault, ms);
    const auditAfter = await failModeEntries(bed, subject);
    if (fault.told === 'completion') {
      assert.deepEqual(auditAfter, auditBefore, 'no Duo failure recorded');
      const completion = completionFrom(answer.value, returnUrl);
      await expectSession(
        subject,
        await completeStep(bed, subject.audience, { step: stepId, completion }),
        'allow',
        'complete',
      );
    } else {
      assert.equal(callbackError(answer.value, returnUrl), fault.told, 'what the browser is told');
      assertNothingIssued(answer.value, 'callback');
      // Refused whatever the fail mode: no fail-mode entry, one step.denied naming why.
      assert.deepEqual([auditAfter.closed, auditAfter.open], [auditBefore.closed, auditBefore.open], 'no fail mode');
      assert.equal(auditAfter.denied.length, auditBefore.denied.length + 1, 'one step.denied entry');
      assert.equal(auditAfter.denied.at(-1)?.outcome, fault.audited, 'the entry names why');
      const finished = await completeStep(bed, subject.audience, { step: stepId, completion: 'A'.repeat(43) });
      assertNoTokenIn(finished, 'complete after the refusal');
      assert.equal(errorOf(finished, 400).name, 'DuoStepError');
    }
  } finally {
    await undo();
  }
  if (fault.told !== 'completion') {
    // With Duo back, the same callback (a reload) still yields nothing: its state was claimed.
    assertNothingIssued(await followCallback(callback), 'the callback again');
  }
  expectUniversalRequired(await subject.login(), 'login after the fault');
  await assertQuiet(bed, logsBefore, fault.warns ? /did not check out/ : undefined);
  return ms;
}

/** The Universal Prompt's part of the matrix for one fail mode (fault-matrix.ts runs it): one describe per audience. */
export function universalFaultTests(failMode: FailMode, timedTest: TimedTest): void {
  const failed = failMode === 'closed' ? 'refused: DuoUnavailableError' : 'admitted: fail-open session, audited';
  for (const audience of ['clients', 'staff'] as const) {
    describe(`Universal Prompt, ${audience}, fail ${failMode}`, () => {
      for (const fault of HEALTH_CASES) {
        const { outcome } = fault;
        const expected =
          outcome.kind !== 'fails'
            ? 'absorbed: the step and the authorize URL'
            : appliedFailMode(failMode, outcome.reason) === failMode
              ? failed
              : 'refused: DuoUnavailableError (Duo refused this server, or its certificate: not an outage)';
        timedTest(audience, `health check: ${fault.name} → ${expected}`, (b) =>
          runHealthCase(b, failMode, b.subjects[audience], fault),
        );
      }
      for (const fault of EXCHANGE_CASES) {
        const expected =
          fault.told === 'completion' ? 'absorbed: the completion code' : `duo_error=${fault.told}, step.denied`;
        timedTest(audience, `token exchange: ${fault.name} → ${expected}`, (b) =>
          runExchangeCase(b, b.subjects[audience], fault),
        );
      }
    });
  }
}
