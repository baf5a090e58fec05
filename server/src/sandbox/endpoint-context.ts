import type { SandboxClock } from './clock';
import { invalidParameter, missingParameter } from './errors';
import type { RequestParams } from './params';
import type { SandboxState } from './state';
import type { TimerSet } from './timers';
import type { NewUserPolicy } from './types';
import type { User } from './users';

export interface EndpointContext {
  readonly state: SandboxState;
  readonly clock: SandboxClock;
  readonly timers: TimerSet;
  readonly params: RequestParams;
  readonly newUserPolicy: NewUserPolicy;
  readonly longPollMs: number;
  /** Aborted when the client goes away, so a held request stops waiting. */
  readonly signal: AbortSignal;
}

/** What an endpoint answers: Duo's `response` value, or a non-JSON body (the logo). */
export type EndpointResult =
  | { readonly kind: 'ok'; readonly response: unknown }
  | { readonly kind: 'raw'; readonly contentType: string; readonly body: Buffer };

export type Endpoint = (context: EndpointContext) => EndpointResult | Promise<EndpointResult>;

export const ok = (response: unknown): EndpointResult => ({ kind: 'ok', response });

export interface UserLookup {
  readonly user: User | undefined;
  /** Set when the request named the user by username (only those can be sent to enrolment). */
  readonly username: string | undefined;
  readonly by: 'username' | 'user_id';
}

/** Duo takes exactly one of `username` and `user_id`. */
export function lookupUser({ params, state }: EndpointContext): UserLookup {
  const hasName = params.has('username');
  const hasId = params.has('user_id');
  if (!hasName && !hasId) throw missingParameter('username');
  if (hasName && hasId) throw invalidParameter('user_id');
  if (hasName) {
    const username = params.get('username') ?? '';
    return { user: state.userByName(username), username, by: 'username' };
  }
  return { user: state.userById(params.get('user_id') ?? ''), username: undefined, by: 'user_id' };
}
