import { DuoPasscodeError, DuoStepError } from '../errors';
import type { StepRow } from '../step-store';
import { auditBase, type StepAccess } from './access';
import type { StepEngineDeps } from './types';

/** Wrong passcodes one user may submit across all their steps in the window, whatever the per-step limit. */
export const USER_PASSCODE_LIMIT = 10;
export const USER_PASSCODE_WINDOW_MS = 15 * 60 * 1000;

/** A passcode try that passed both limits; the caller settles it once Duo has answered. */
export interface PasscodeTry {
  /** Its number on the step (1…max). */
  readonly attempt: number;
  readonly max: number;
  /** The audit entry reserved for it (a failure until proven otherwise). */
  readonly entry: number;
}

export interface PasscodeLimiter {
  /** Takes a try before Duo sees the passcode, or refuses (throws) when the step or the user has none left. */
  take(row: StepRow): Promise<PasscodeTry>;
  /** Duo allowed the passcode, or could not check it: the try was no failure. */
  release(tried: PasscodeTry): Promise<void>;
  /** Duo refused the passcode: records the failure, closes the step on the last try, and throws the answer. */
  wrong(row: StepRow, tried: PasscodeTry): Promise<never>;
}

/** The per-step and per-user caps on passcode guesses. */
export function passcodeLimiter(
  { store, audit, config }: Pick<StepEngineDeps, 'store' | 'audit' | 'config'>,
  access: Pick<StepAccess, 'requireOpen'>,
): PasscodeLimiter {
  return {
    async take(row) {
      // The attempt is taken before Duo sees the passcode: guesses sent at once must not all reach Duo.
      const max = config().maxPasscodeAttempts;
      const attempt = await store.takePasscodeAttempt(row, max);
      if (attempt === undefined) {
        const fresh = await store.reload(row);
        if (fresh !== null && fresh.state !== 'pending') {
          access.requireOpen(fresh);
          throw new DuoStepError(fresh.state === 'allowed' ? 'allowed' : 'denied');
        }
        // Every attempt is taken by guesses Duo is still checking.
        throw new DuoPasscodeError(0);
      }
      // Each step allows a few tries, but a password holder can open many steps: cap the tries per user too. The try
      // is recorded as a failure before Duo sees it and counted with the user's recent ones, one try of a user at a
      // time across instances, so tries sent at once across steps cannot pass the limit together; a try Duo allows
      // (or cannot check) leaves no entry.
      const { id: entry, count: recent } = await audit.reserveCounted(
        'passcode.failed',
        { ...auditBase(row), outcome: 'checking', detail: { failures: attempt } },
        new Date(Date.now() - USER_PASSCODE_WINDOW_MS),
      );
      if (recent > USER_PASSCODE_LIMIT) {
        await audit.settle(entry, 'passcode.locked', { outcome: 'user-limit' });
        await store.deny(row, 'Too many wrong passcodes');
        throw new DuoPasscodeError(0);
      }
      return { attempt, max, entry };
    },

    release: (tried) => audit.discard(tried.entry),

    async wrong(row, { attempt, max, entry }) {
      await audit.settle(entry, 'passcode.failed', { outcome: 'denied', detail: { failures: attempt } });
      if (attempt >= max) {
        await store.deny(row);
        await audit.log('passcode.locked', { ...auditBase(row), outcome: 'closed' });
        throw new DuoPasscodeError(0);
      }
      throw new DuoPasscodeError(max - attempt);
    },
  };
}
