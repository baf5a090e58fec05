import { escapeDuoText } from '../../duo/duo-text';
import type { Audience, EffectiveSettings } from '../../settings/types';
import { DuoDeniedError, DuoUnavailableError } from '../errors';
import type { StepPurpose } from '../step-store';
import { decideOnDuoFailure } from './fail-mode';
import type { StepEngineDeps } from './types';

export interface FailingStep {
  readonly audience: Audience;
  readonly userId: number;
  readonly purpose: StepPurpose;
  readonly ip?: string | null;
}

/**
 * Duo could not be used: audits the fail mode's decision and refuses by throwing. Returns only when the login may
 * proceed without Duo (fail open), and then the caller lets it through.
 */
export type OnDuoFailure = (step: FailingStep, error: unknown, settings: EffectiveSettings) => Promise<void>;

/**
 * One line in the server log about what Duo said or why it could not be used: operators need Duo's code and message
 * (duo_unix #354), not a bare "refused". The client has escaped Duo's words already; the whole line is escaped again
 * (idempotent) so an error from anywhere else cannot put control characters into the log either.
 */
export function warnAboutDuo(
  log: StepEngineDeps['log'],
  step: Pick<FailingStep, 'audience' | 'userId'>,
  what: string,
  error: unknown,
): void {
  const text = error instanceof Error ? error.message : 'an error that is not an Error';
  log?.warn(escapeDuoText(`Duo security: ${what} (${step.audience} user ${step.userId}): ${text}`));
}

export function duoFailureHandler({ audit, log }: Pick<StepEngineDeps, 'audit' | 'log'>): OnDuoFailure {
  return async (step, error, settings) => {
    const decision = decideOnDuoFailure({ error, purpose: step.purpose, failMode: settings[step.audience].failMode });
    // Outages and refusals of this server are audited (login.fail-open / fail-closed) and shown on the settings
    // page, not logged. A reply nobody understands is different: Duo changed, or something on the way is lying.
    if (decision.verdict === 'refuse-not-understood') {
      warnAboutDuo(log, step, `${step.purpose} refused, Duo's reply was not understood`, error);
    }
    const record = {
      audience: step.audience,
      userId: step.userId,
      ...(step.ip ? { ip: step.ip } : {}),
      detail: { reason: decision.reason },
    };
    switch (decision.verdict) {
      case 'refuse-not-understood':
        await audit.log('step.denied', { ...record, outcome: 'unexpected-result' });
        throw new DuoDeniedError(
          'Duo gave an answer this server does not understand; the sign-in was refused',
          'unexpected-result',
        );
      case 'admit':
        await audit.log('login.fail-open', { ...record, outcome: 'admitted' });
        return;
      case 'refuse-unavailable':
        await audit.log('login.fail-closed', { ...record, outcome: 'refused' });
        throw new DuoUnavailableError(decision.reason);
    }
  };
}
