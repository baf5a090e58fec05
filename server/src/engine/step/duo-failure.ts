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

export function duoFailureHandler({ audit }: Pick<StepEngineDeps, 'audit'>): OnDuoFailure {
  return async (step, error, settings) => {
    const decision = decideOnDuoFailure({ error, purpose: step.purpose, failMode: settings[step.audience].failMode });
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
