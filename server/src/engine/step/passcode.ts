import type { DuoAuthResult } from '../../duo/types';
import { DuoStepError } from '../errors';
import type { StepAccess } from './access';
import type { OnDuoFailure } from './duo-failure';
import type { StepOutcome } from './outcome';
import type { PasscodeLimiter } from './passcode-limit';
import type { StepEngine, StepEngineDeps } from './types';

/** A passcode (Duo Mobile, SMS, hardware token, bypass code), checked by Duo at once. */
export function passcodeFactor(
  { settings, duo }: Pick<StepEngineDeps, 'settings' | 'duo'>,
  access: StepAccess,
  limiter: PasscodeLimiter,
  onDuoFailure: OnDuoFailure,
  outcome: Pick<StepOutcome, 'allowed'>,
): StepEngine['submitPasscode'] {
  return async (audience, id, passcode, exchange) => {
    const row = await access.load(audience, id);
    access.requireLive(row);
    if (row.state === 'allowed') throw new DuoStepError('allowed');
    const tried = await limiter.take(row);
    const s = await settings.get();
    let result: DuoAuthResult;
    try {
      result = await duo(s).auth({
        username: row.duoUsername,
        factor: 'passcode',
        passcode,
        ...(row.ip ? { ipaddr: row.ip } : {}),
      });
    } catch (error) {
      await limiter.release(tried);
      await onDuoFailure(row, error, s);
      return outcome.allowed(row, 'fail-open', exchange);
    }
    if (result.result === 'allow') {
      await limiter.release(tried);
      return outcome.allowed(row, 'duo', exchange, result.trustedDeviceToken);
    }
    return limiter.wrong(row, tried);
  };
}
