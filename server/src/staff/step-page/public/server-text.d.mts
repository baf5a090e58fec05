/** Types of server-text.mjs, for the unit tests that import it (the page itself is plain JavaScript). */
import type { Translate } from './i18n.mjs';

export interface StepErrorLike {
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface StepState {
  state?: string;
  duoStatus?: string;
  message?: string;
  promptsLeft?: number;
}

export declare function knownText(message: unknown, t: Translate): string | undefined;
export declare function duoSaid(message: unknown, t: Translate, key: string): string;
export declare function errorText(error: StepErrorLike, t: Translate): string;
export declare function statusText(state: StepState, t: Translate): string;
export declare function whyDenied(state: StepState, t: Translate): string;
export declare function retryText(state: StepState, t: Translate): string;
export declare function deniedText(state: StepState, t: Translate): string;
