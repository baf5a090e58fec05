import { DuoError } from '../../duo/errors';
import type { AudienceSettings } from '../../settings/types';
import type { StepPurpose } from '../step-store';

export interface DuoFailure {
  readonly error: unknown;
  readonly purpose: StepPurpose;
  readonly failMode: AudienceSettings['failMode'];
}

/** What to do when Duo could not be used; `reason` is what gets audited and told (never a secret). */
export type FailModeDecision =
  | { readonly verdict: 'admit'; readonly reason: string }
  /** Duo answered something this server does not understand: that is not an outage, it is a refusal. */
  | { readonly verdict: 'refuse-not-understood'; readonly reason: 'unexpected-result' }
  | { readonly verdict: 'refuse-unavailable'; readonly reason: string };

/** The audience's fail mode applied to one Duo failure. Pure: the caller audits and answers. */
export function decideOnDuoFailure({ error, purpose, failMode }: DuoFailure): FailModeDecision {
  const reason = error instanceof DuoError ? error.reason : 'error';
  if (error instanceof DuoError && error.reason === 'unexpected-result') {
    return { verdict: 'refuse-not-understood', reason: 'unexpected-result' };
  }
  // Fail open is for Duo being out of reach (down, hung, rate limiting, unreadable), as Duo's own fail-safe is.
  // Duo refusing this server (wrong keys, wrong application type, bad configuration) is not an outage: letting
  // everyone in on a password would turn two-factor off silently, so that always refuses. Turning Duo on or off
  // for an account always needs Duo: only logins may fail open.
  const outage = error instanceof DuoError && error.isServiceFailure;
  if (purpose === 'login' && outage && failMode === 'open') return { verdict: 'admit', reason };
  return { verdict: 'refuse-unavailable', reason };
}
