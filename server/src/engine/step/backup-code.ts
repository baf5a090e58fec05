import { DuoStepError } from '../errors';
import { auditBase, isUniversalStep, type StepAccess } from './access';
import type { StepOutcome } from './outcome';
import type { PasscodeLimiter } from './passcode-limit';
import type { StepEngine, StepEngineDeps } from './types';

/**
 * A backup code in place of Duo, for a sign-in when the phone is lost or Duo cannot be reached. Each is a passcode
 * try (the step's and the user's caps apply, so guessing is as slow as for passcodes), works once, and only signs
 * in: turning Duo off or making new codes needs Duo itself.
 */
export function backupCodeFactor(
  { backupCodes, audit }: Pick<StepEngineDeps, 'backupCodes' | 'audit'>,
  access: StepAccess,
  limiter: PasscodeLimiter,
  outcome: Pick<StepOutcome, 'allowed'>,
): StepEngine['submitBackupCode'] {
  return async (audience, id, code, exchange) => {
    const row = await access.load(audience, id);
    access.requireOpen(row);
    // A Universal Prompt step goes to Duo's page, which has its own ways in (Duo's bypass codes).
    if (isUniversalStep(row)) throw new DuoStepError('wrong-purpose');
    if (row.state === 'allowed') throw new DuoStepError('allowed');
    if (row.purpose !== 'login') throw new DuoStepError('wrong-purpose');
    const tried = await limiter.take(row);
    // Spent before the step is consumed: a step ended meanwhile (cancelled, expired) costs this code, never more.
    const redeemed = await backupCodes.redeem(row.audience, row.userId, code);
    if (redeemed === undefined) return limiter.wrong(row, tried);
    await limiter.release(tried);
    await audit.log('login.backup-code', {
      ...auditBase(row),
      outcome: 'used',
      detail: { remaining: redeemed.remaining },
    });
    exchange.setHeader?.('X-Duo-Backup-Codes-Remaining', String(redeemed.remaining));
    return outcome.allowed(row, 'backup-code', exchange);
  };
}
