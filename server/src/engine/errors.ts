import { errors } from '../utils/strapi-utils';

/**
 * The Duo step's answers, in Strapi's error envelope `{ data: null, error: { status, name, message, details } }`.
 * They are ApplicationErrors (HTTP 400) on purpose: Strapi's `authorize` step turns thrown 401/403 errors into bare
 * responses without details, and the admin app reloads the page on any 401.
 */
abstract class DuoAnswerError<Name extends string, Details> extends errors.ApplicationError<Name, string, Details> {
  protected constructor(name: Name, message: string, details: Details) {
    super(message, details);
    this.name = name;
  }
}

export interface DuoStepDetails {
  readonly step: { readonly id: string; readonly expiresAt: string };
  readonly duo: unknown;
}

/** The password was right; the login continues with Duo. Never carries a token. */
export class DuoRequiredError extends DuoAnswerError<'DuoRequiredError', DuoStepDetails> {
  constructor(details: DuoStepDetails) {
    super('DuoRequiredError', 'Two-factor authentication with Duo is required to finish signing in', details);
  }
}

export class DuoDeniedError extends DuoAnswerError<'DuoDeniedError', { reason: string }> {
  constructor(message: string, reason: string) {
    super('DuoDeniedError', message, { reason });
  }
}

/**
 * Duo could not be used and the fail mode refuses. With `step`: the account has backup codes, and this step takes
 * one of them (`/step/backup-code`); a front end that does not know backup codes still reads a refusal.
 */
export class DuoUnavailableError extends DuoAnswerError<
  'DuoUnavailableError',
  { reason: string; step?: DuoStepDetails['step'] }
> {
  constructor(reason: string, step?: DuoStepDetails['step']) {
    super('DuoUnavailableError', 'The two-factor authentication service is unavailable; try again in a few minutes', {
      reason,
      ...(step === undefined ? {} : { step }),
    });
  }
}

export class DuoStepError extends DuoAnswerError<'DuoStepError', { state: string }> {
  constructor(state: 'unknown' | 'expired' | 'consumed' | 'denied' | 'cancelled' | 'allowed' | 'wrong-purpose') {
    const messages: Record<typeof state, string> = {
      unknown: 'This sign-in step does not exist or has ended; sign in again',
      expired: 'This sign-in step has expired; sign in again',
      consumed: 'This sign-in step has already been used; sign in again',
      denied: 'This sign-in step was refused; sign in again',
      cancelled: 'This sign-in step was cancelled; sign in again',
      allowed: 'This sign-in step is already approved',
      'wrong-purpose': 'This action does not belong to this step',
    };
    super('DuoStepError', messages[state], { state });
  }
}

export class DuoPasscodeError extends DuoAnswerError<'DuoPasscodeError', { attemptsLeft: number }> {
  constructor(attemptsLeft: number) {
    super(
      'DuoPasscodeError',
      attemptsLeft > 0
        ? `Incorrect passcode; ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left`
        : 'Incorrect passcode; too many attempts: sign in again',
      { attemptsLeft },
    );
  }
}

export class DuoFactorError extends DuoAnswerError<'DuoFactorError', { factor: string }> {
  constructor(factor: string, message: string) {
    super('DuoFactorError', message, { factor });
  }
}
