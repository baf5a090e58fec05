import { DuoFactorError, DuoStepError } from '../errors';
import { auditBase, isUniversalStep, type StepAccess } from './access';
import type { StepOutcome } from './outcome';
import type { StepEngine, StepEngineDeps } from './types';

/**
 * "Set up Duo later": a sign-in that must enrol finishes without Duo while the grace period of the user's required
 * role lasts. Whether it lasts is asked again here (settings, roles and enrolment as they are now), never taken from
 * the step: a role changed or a grace run out since the password was typed refuses. Audited `login.postponed`.
 */
export function postponeEnrolment(
  { grace, enrollments, audit }: Pick<StepEngineDeps, 'grace' | 'enrollments' | 'audit'>,
  access: StepAccess,
  outcome: Pick<StepOutcome, 'allowed'>,
): StepEngine['postpone'] {
  return async (audience, id, exchange) => {
    const row = await access.load(audience, id);
    // A Universal Prompt step postpones instead of going to Duo: consumed here, its later callback finds it used.
    if (isUniversalStep(row)) access.requireOpen(row);
    else access.requireLive(row);
    if (row.purpose !== 'login') throw new DuoStepError('wrong-purpose');
    if (row.state === 'allowed') throw new DuoStepError('allowed');
    // Only an account without Duo may postpone: one that has Duo passes it.
    if ((await enrollments.find(row.audience, row.userId))?.status === 'active')
      throw new DuoStepError('wrong-purpose');
    const left = await grace.postpone(row.audience, row.userId);
    if (left === undefined) throw new DuoFactorError('postpone', 'Enrolment cannot be postponed any more: set up Duo');
    await audit.log('login.postponed', { ...auditBase(row), outcome: 'postponed', detail: { ...left } });
    if ('daysLeft' in left) exchange.setHeader?.('X-Duo-Grace-Until', left.until);
    else exchange.setHeader?.('X-Duo-Grace-Logins-Left', String(left.loginsLeft));
    return outcome.allowed(row, 'postponed', exchange);
  };
}
