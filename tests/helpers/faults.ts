import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { DuoErrorReason } from '../../server/src/duo/errors';

import {
  MARGIN_MS,
  newSubject,
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
  expectRefusal,
  expectSession,
  expectTokenWorks,
  expectUnavailable,
  failModeEntries,
  finishWithPasscode,
  shown,
  stepState,
  type FailModeEntries,
} from './fault-checks';
import { sandboxFault } from './fault-injection';
import { FAULT_CASES, type FaultCase } from './fault-login-cases';
import { PATH_CASES, type PathCase } from './fault-path-cases';
import { STEP_FAULT_CASES, stepMet, type StepFaultCase } from './fault-step-cases';
import type { TimedTest } from './fault-matrix';
import type { ApiResponse } from './strapi';

/**
 * Issue 6 item 1 and issue 14 item 3: the fault matrix. Every way Duo can fail (or merely be slow or skewed) is met
 * by a real login of each audience — clients on `POST /api/auth/local`, staff on `POST /admin/login` — with one fail
 * mode per test file (each file is one process and one Strapi boot). Each case asserts what a user would notice: the
 * answer (refused with DuoUnavailableError, or admitted with a `fail-open` token and an audit entry, or the normal
 * Duo step when the fault is one the plugin must absorb), how long it took, that nothing leaked a token, that
 * nothing crashed or logged an error, and that the next login works again once the fault is gone. Two smaller
 * tables put faults on the calls of the Duo step itself (push, status, passcode, enrolment) and an outage on the
 * other ways in (GraphQL, registration, password reset, provider callback, invite acceptance).
 */

export type { Audience, FailMode } from './fault-bed';

/** The fail mode's answer to a failure: refused (fail closed) or a `fail-open` session. */
export async function expectFailMode(
  subject: Subject,
  failMode: FailMode,
  response: ApiResponse,
  reason: DuoErrorReason,
) {
  if (appliedFailMode(failMode, reason) === 'closed') expectUnavailable(response, reason, 'refused login');
  else await expectSession(subject, response, 'fail-open', 'fail-open login');
}

async function runCase(bed: Bed, failMode: FailMode, subject: Subject, fault: FaultCase): Promise<number> {
  const logsBefore = bed.h.app.logs.length;
  const auditBefore = await failModeEntries(bed, subject);
  const seen = watch(bed);
  const undo = await fault.inject(bed);
  let ms: number;
  try {
    const answer = await timed(() => subject.login());
    ms = answer.ms;
    const response = answer.value;
    fault.met(seen());

    assert.ok(ms < fault.limitMs + MARGIN_MS, `answered after ${ms} ms (bound ${fault.limitMs + MARGIN_MS} ms)`);
    if (fault.immediate) assert.ok(ms < SHORT_DEADLINE_MS, `sat out the deadline: ${ms} ms`);

    const auditAfter = await failModeEntries(bed, subject);
    if (fault.outcome.kind === 'proceeds') {
      // Absorbed, not failed open: the normal Duo step, and nothing recorded as a Duo failure.
      assertNoTokenIn(response, 'password step');
      const required = subject.required(response, 'password step');
      assert.equal(required.duo.result, 'auth', 'Duo offers its factors');
      assert.deepEqual(auditAfter, auditBefore, 'no fail-mode audit entry');
      const finished = await timed(() => finishWithPasscode(bed, subject, required.stepId));
      assert.ok(finished.ms < fault.limitMs + MARGIN_MS, `the passcode step took ${finished.ms} ms`);
    } else if (fault.outcome.kind === 'not-understood') {
      // Refused in both fail modes, as a refusal: an answer nobody understands must never let anyone in.
      expectRefusal(response, 'DuoDeniedError', { reason: 'unexpected-result' }, 'refused login');
      assertAudited('denied', auditBefore, auditAfter, 'unexpected-result');
    } else {
      await expectFailMode(subject, failMode, response, fault.outcome.reason);
      assertAudited(appliedFailMode(failMode, fault.outcome.reason), auditBefore, auditAfter, fault.outcome.reason);
    }
  } finally {
    await undo();
  }

  // Nothing crashed and nothing stuck: once the fault is gone the next login reaches the Duo step again.
  const again = await subject.login();
  assertNoTokenIn(again, 'login after the fault');
  subject.required(again, 'login after the fault');
  await assertQuiet(bed, logsBefore, fault.outcome.kind === 'not-understood' ? /was not understood/ : undefined);
  return ms;
}

async function runStepCase(bed: Bed, failMode: FailMode, audience: Audience, fault: StepFaultCase): Promise<number> {
  const subject = await newSubject(bed.h, audience, fault.duo);
  const { stepId } = subject.required(await subject.login(), 'password step');
  await fault.ready?.(bed, subject, stepId);
  const logsBefore = bed.h.app.logs.length;
  const auditBefore = await failModeEntries(bed, subject);
  const seen = watch(bed);
  const undo = await fault.inject(bed);
  let ms: number;
  try {
    const answer = await timed(() => fault.call(bed, subject, stepId));
    ms = answer.ms;
    const response = answer.value;
    stepMet(fault, seen());
    assert.ok(ms < SHORT_DEADLINE_MS + MARGIN_MS, `answered after ${ms} ms`);
    const expected = fault.expect;
    if (expected.kind === 'absorbed') {
      await expected.check(bed, subject, stepId, response);
      assert.deepEqual(await failModeEntries(bed, subject), auditBefore, 'no fail-mode audit entry');
    } else {
      if (failMode === 'closed') {
        expectUnavailable(response, expected.reason, 'step call');
      } else if (expected.failsOpenWith === 'session') {
        await expectSession(subject, response, 'fail-open', 'step call');
      } else {
        // The step is let through without Duo; the session comes from the step's status, as after an approval.
        assertNoTokenIn(response, 'step call');
        assert.equal(stepState(response), 'pending', `step call: ${shown(response)}`);
      }
      assertAudited(failMode, auditBefore, await failModeEntries(bed, subject), expected.reason);
    }
  } finally {
    await undo();
  }
  if (fault.expect.kind === 'fails') {
    if (failMode === 'closed') await fault.expect.resumes(bed, subject, stepId);
    else if (fault.expect.failsOpenWith === 'pending')
      await expectSession(subject, await subject.step('status', { step: stepId }), 'fail-open', 'status');
  }
  // Nothing stuck once the fault is gone (this also lets the plugin re-measure Duo's clock after a skew case, so the
  // next skew case meets a stale clock whatever the order the cases run in).
  const again = await subject.login();
  assertNoTokenIn(again, 'login after the fault');
  subject.required(again, 'login after the fault');
  await assertQuiet(bed, logsBefore);
  return ms;
}

const NO_ENTRIES: FailModeEntries = { closed: [], open: [], denied: [] };

async function runPathCase(bed: Bed, failMode: FailMode, path: PathCase): Promise<number> {
  const logsBefore = bed.h.app.logs.length;
  const seen = watch(bed);
  const undo = await sandboxFault({ kind: 'status', status: 503, body: 'json' })(bed);
  let ms: number;
  try {
    const answer = await timed(() => path.attempt(bed));
    ms = answer.ms;
    const { who, error, token } = answer.value;
    const asked = seen().duo.path('/auth/v2/preauth');
    assert.ok(asked >= 1, `the path asked Duo, which met the outage: ${answer.value.shown}`);
    assert.ok(ms < SHORT_DEADLINE_MS + MARGIN_MS, `answered after ${ms} ms`);
    if (failMode === 'closed') {
      assert.equal(token, undefined, `no session: ${answer.value.shown}`);
      assert.deepEqual(error, { name: 'DuoUnavailableError', details: { reason: 'unavailable' } }, answer.value.shown);
    } else {
      assert.ok(token !== undefined, `a session: ${answer.value.shown}`);
      await expectTokenWorks(who, token, 'fail-open', path.name);
    }
    // Every path signs in an account made for the case: it had no entries before.
    assertAudited(failMode, NO_ENTRIES, await failModeEntries(bed, who), 'unavailable');
  } finally {
    await undo();
  }
  await assertQuiet(bed, logsBefore, undefined, path.strapiWarning);
  return ms;
}

/**
 * The Auth API's part of the matrix for one fail mode (fault-matrix.ts runs it): one describe per audience, one test
 * per fault on the login, then one per fault inside the Duo step, then one per other way in.
 */
export function authApiFaultTests(failMode: FailMode, timedTest: TimedTest): void {
  const refused = 'refused: DuoUnavailableError';
  const failed = failMode === 'closed' ? refused : 'admitted: fail-open token, audited';
  for (const audience of ['clients', 'staff'] as const) {
    describe(`${audience}, fail ${failMode}`, () => {
      for (const fault of FAULT_CASES) {
        const { outcome } = fault;
        const expected =
          outcome.kind === 'proceeds'
            ? 'absorbed: the Duo step proceeds'
            : outcome.kind === 'not-understood'
              ? 'refused: DuoDeniedError (not understood), in both fail modes'
              : appliedFailMode(failMode, outcome.reason) === failMode
                ? failed
                : `${refused} (${outcome.reason === 'tls' ? 'a refused certificate' : 'Duo refused this server'}: not an outage)`;
        timedTest(audience, `${fault.name} → ${expected}`, (b) => runCase(b, failMode, b.subjects[audience], fault));
      }
      for (const fault of STEP_FAULT_CASES) {
        const expected = fault.expect.kind === 'absorbed' ? `absorbed: ${fault.expect.what}` : failed;
        timedTest(audience, `in the Duo step: ${fault.name} → ${expected}`, (b) =>
          runStepCase(b, failMode, audience, fault),
        );
      }
      for (const path of PATH_CASES.filter((p) => p.audience === audience)) {
        timedTest(audience, `Duo down on ${path.name} → ${failed}`, (b) => runPathCase(b, failMode, path));
      }
    });
  }
}
