import assert from 'node:assert/strict';

import type { DuoErrorReason } from '../../server/src/duo/errors';
import type { UserSpec } from '../../server/src/sandbox';
import type { Bed, Inject, Seen, Subject } from './fault-bed';
import { assertNoTokenIn, expectSession, finishWithPasscode, shown, stepState } from './fault-checks';
import { sandboxFault, skew } from './fault-injection';
import type { ApiResponse } from './strapi';

/**
 * Duo fails after the password step succeeded, on a call of the Duo step itself (push, status, passcode,
 * enrolment). The fail mode applies there too: closed refuses that call with DuoUnavailableError and the step stays
 * open for when Duo is back; open lets the step through. A skewed clock is absorbed (the call re-measures Duo's
 * clock and goes on), and a status long-poll Duo never answers is not a failure: the step is still `waiting`.
 */
export interface StepFaultCase {
  readonly name: string;
  /** What Duo knows of the fresh subject the case signs in with. */
  readonly duo: Omit<UserSpec, 'username'> | false;
  /** Anything the step needs before the call that meets the fault. */
  ready?(bed: Bed, subject: Subject, stepId: string): Promise<void>;
  /** The fault, set once the step is open (and `ready` done); taken away after `expect` ran. */
  readonly inject: Inject;
  /** The Auth API path the call meets the fault on. */
  readonly path: string;
  /** The call of the step that meets the fault. */
  call(bed: Bed, subject: Subject, stepId: string): Promise<ApiResponse>;
  readonly expect:
    | {
        readonly kind: 'fails';
        readonly reason: DuoErrorReason;
        /**
         * Fail open: what that call answers. `pending`: the step is let through and its next status hands out the
         * session (push, enrolment); `session`: the call itself answers with it (passcode, status).
         */
        readonly failsOpenWith: 'pending' | 'session';
        /** Fail closed, once Duo is back: the same step is still usable. */
        resumes(bed: Bed, subject: Subject, stepId: string): Promise<void>;
      }
    | {
        /** Not a Duo failure: no fail mode, nothing audited as one; `check` says what the user gets instead. */
        readonly kind: 'absorbed';
        readonly what: string;
        check(bed: Bed, subject: Subject, stepId: string, response: ApiResponse): Promise<void>;
      };
}

const AUTH = '/auth/v2/auth';
const AUTH_STATUS = '/auth/v2/auth_status';
const LONG_RETRY_AFTER_S = 60;
const SKEW_MS = 10 * 60_000;

const push = (_bed: Bed, subject: Subject, stepId: string) => subject.step('push', { step: stepId });
const status = (_bed: Bed, subject: Subject, stepId: string) => subject.step('status', { step: stepId });
const wrongPasscode = (_bed: Bed, subject: Subject, stepId: string) =>
  subject.step('passcode', { step: stepId, passcode: '000000' });
/** The right passcode: a fault in front of Duo never lets Duo see (and use up) it. */
const passcode = (bed: Bed, subject: Subject, stepId: string) =>
  subject.step('passcode', { step: stepId, passcode: bed.duo.currentPasscode(subject.duoUsername) });

async function pushed(_bed: Bed, subject: Subject, stepId: string): Promise<void> {
  const started = await subject.step('push', { step: stepId });
  assert.equal(stepState(started), 'waiting', `push: ${shown(started)}`);
}

async function pushedAndApproved(bed: Bed, subject: Subject, stepId: string): Promise<void> {
  await pushed(bed, subject, stepId);
  const pending = bed.duo.pendingPushes().find((p) => p.username === subject.duoUsername);
  assert.ok(pending !== undefined, 'the push reached Duo');
  bed.duo.approve(pending.txid);
}

const resumeWithPasscode = (bed: Bed, subject: Subject, stepId: string) => finishWithPasscode(bed, subject, stepId);

/** The three faults of issue 14 on one call of the step. */
function onCall(
  call: 'push' | 'status' | 'passcode',
  shape: Pick<StepFaultCase, 'path' | 'call' | 'ready'> & { readonly failsOpenWith: 'pending' | 'session' },
  skewed: StepFaultCase['expect'] & { kind: 'absorbed' },
  hang: StepFaultCase['expect'] | undefined,
): StepFaultCase[] {
  const fails = (reason: DuoErrorReason) =>
    ({ kind: 'fails', reason, failsOpenWith: shape.failsOpenWith, resumes: resumeWithPasscode }) as const;
  return [
    {
      name: `${call}: Duo never answers`,
      duo: {},
      ...shape,
      inject: sandboxFault({ kind: 'hang', path: shape.path }),
      expect: hang ?? fails('timeout'),
    },
    {
      name: `${call}: HTTP 429 with Retry-After: ${LONG_RETRY_AFTER_S} (beyond the budget)`,
      duo: {},
      ...shape,
      inject: sandboxFault({ kind: 'rate-limit', retryAfter: LONG_RETRY_AFTER_S, path: shape.path }),
      expect: fails('rate-limited'),
    },
    {
      name: `${call}: Duo's clock 10 minutes ahead (skew set after the password step)`,
      duo: {},
      ...shape,
      inject: skew(SKEW_MS),
      expect: skewed,
    },
  ];
}

export const STEP_FAULT_CASES: readonly StepFaultCase[] = [
  {
    name: 'Verified Push started while Duo drops the connection',
    duo: { verifiedPush: true },
    inject: sandboxFault({ kind: 'close' }),
    // A Verified Push asks preauth for a fresh code first: that call meets the fault.
    path: '/auth/v2/preauth',
    call: push,
    expect: { kind: 'fails', reason: 'unavailable', failsOpenWith: 'pending', resumes: resumeWithPasscode },
  },
  {
    name: 'enrolment followed while Duo answers 503',
    duo: false,
    ready: async (_bed, subject, stepId) => {
      const started = await subject.step('enroll', { step: stepId });
      assert.equal(started.status, 200, `enroll: ${shown(started)}`);
    },
    inject: sandboxFault({ kind: 'status', status: 503, body: 'json' }),
    path: '/auth/v2/enroll_status',
    call: (_bed, subject, stepId) => subject.step('status', { step: stepId, wait: false }),
    expect: {
      kind: 'fails',
      reason: 'unavailable',
      failsOpenWith: 'pending',
      resumes: async (_bed, subject, stepId) => {
        const answer = await subject.step('status', { step: stepId, wait: false });
        assertNoTokenIn(answer, 'status after the fault');
        assert.equal(stepState(answer), 'enrolling', `status after the fault: ${shown(answer)}`);
      },
    },
  },
  {
    name: 'passcode checked while Duo answers 500 with an HTML page',
    duo: {},
    inject: sandboxFault({ kind: 'status', status: 500, body: 'html' }),
    path: AUTH,
    call: wrongPasscode,
    expect: { kind: 'fails', reason: 'unavailable', failsOpenWith: 'session', resumes: resumeWithPasscode },
  },
  ...onCall(
    'push',
    { path: AUTH, call: push, failsOpenWith: 'pending' },
    {
      kind: 'absorbed',
      what: 'the push goes out',
      check: async (bed, subject, stepId, response) => {
        assertNoTokenIn(response, 'push');
        assert.equal(stepState(response), 'waiting', `push: ${shown(response)}`);
        await finishWithPasscode(bed, subject, stepId);
      },
    },
    undefined,
  ),
  ...onCall(
    'status',
    { path: AUTH_STATUS, call: status, ready: pushed, failsOpenWith: 'session' },
    {
      kind: 'absorbed',
      what: 'the approval comes through',
      check: (_bed, subject, _stepId, response) => expectSession(subject, response, 'allow', 'status'),
    },
    {
      kind: 'absorbed',
      what: 'still waiting (a long-poll with no news is no failure)',
      check: async (bed, subject, stepId, response) => {
        assertNoTokenIn(response, 'status');
        assert.equal(stepState(response), 'waiting', `status: ${shown(response)}`);
        bed.duo.clearFaults();
        await finishWithPasscode(bed, subject, stepId);
      },
    },
  ).map((c) => (c.name.includes('clock') ? { ...c, ready: pushedAndApproved } : c)),
  ...onCall(
    'passcode',
    { path: AUTH, call: passcode, failsOpenWith: 'session' },
    {
      kind: 'absorbed',
      what: 'the passcode is checked',
      check: (_bed, subject, _stepId, response) => expectSession(subject, response, 'allow', 'passcode'),
    },
    undefined,
  ),
];

/** Proof that the call met its fault: Duo was asked on the path, or its clock was measured again. */
export function stepMet(fault: StepFaultCase, seen: Seen): void {
  assert.ok(seen.duo.path(fault.path) >= 1, `the call reached Duo on ${fault.path}`);
  if (fault.name.includes('clock')) assert.ok(seen.duo.path('/auth/v2/ping') >= 1, "Duo's clock was measured");
}
