/** Public types of the sandbox's Universal Prompt (`/oauth/v1/*`); re-exported by `../types`. */

import type { UserStatus } from '../types';

/** A Universal Prompt ("Web SDK") application; `auth` plays Auth API keys used by mistake (unauthorized_request). */
export type OAuthClientType = 'websdk' | 'auth';

export interface SandboxOAuthClient {
  /** 20 characters. */
  readonly clientId: string;
  /** 40 characters; a throw-away test secret. */
  readonly clientSecret: string;
  readonly type: OAuthClientType;
}

export interface OAuthClientSpec {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly type?: OAuthClientType;
}

/** Fixed in advance for a user's next prompt: answered at once, without the page. */
export type PromptOutcome = 'approve' | 'deny' | 'error';
/** What a person can do on the prompt page. */
export type PromptDecision = 'approve' | 'deny' | 'enroll';

export interface PendingPrompt {
  readonly id: string;
  readonly clientId: string;
  readonly username: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly appName?: string;
  /** `unknown`: not a sandbox user; the page offers enrolment. */
  readonly userStatus: UserStatus | 'unknown';
  readonly created: number;
  readonly expires: number;
}

/** Where the browser goes next: a redirect to the client, or Duo's own denied page. */
export type PromptResult = { readonly kind: 'redirect'; readonly location: string } | { readonly kind: 'denied' };

export interface OAuthSwitches {
  /** Health-check failures in Duo's `stat: FAIL` envelope (default) or OAuth's `{ error, error_description }`. */
  readonly healthCheckErrors?: 'duo' | 'oauth';
  /** A denial redirects with `error=access_denied` instead of showing a page (Duo's behaviour is unverified). */
  readonly denyRedirect?: boolean;
}

/** One broken thing in a `/oauth/v1/token` answer, for the client's id_token and response checks. */
export type TokenTamper =
  | 'alg-none'
  | 'alg-hs256'
  | 'signature'
  | 'iss'
  | 'aud'
  | 'no-exp'
  | 'no-iat'
  | 'expired'
  | 'future-iat'
  | 'username'
  | 'nonce-wrong'
  | 'nonce-absent'
  | 'deny'
  | 'no-id-token'
  | 'no-token-type'
  | 'token-type';
