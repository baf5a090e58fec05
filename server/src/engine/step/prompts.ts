import { DuoFactorError, DuoStepError } from '../errors';
import type { StepRow } from '../step-store';
import { auditBase, type StepAccess } from './access';
import type { StepAnswer, StepEngineDeps } from './types';

/**
 * Duo statuses after which the person may try again in the same step: they said no, or did not answer in time (a
 * call hung up or without a keypress is `deny` too). Anything else Duo denies with ends the step: `fraud` (the
 * person reported the request), `locked_out`, and any status this server does not know.
 */
const RETRYABLE = new Set(['deny', 'timeout']);

export interface PromptLimiter {
  /**
   * Takes one of the step's prompts before Duo sends a push, a call or SMS passcodes, or refuses (throws) when none
   * is left.
   */
  take(row: StepRow, factor: 'push' | 'phone' | 'sms'): Promise<number>;
  /**
   * Duo denied the prompt `txid`: the step stays open for another way while prompts are left, else (and at once
   * on fraud) it ends. Undefined when `txid` is no longer the step's running prompt (the step moved on meanwhile).
   */
  denied(row: StepRow, txid: string, duoStatus: string, message: string): Promise<StepAnswer | undefined>;
}

export function promptLimiter(
  { store, audit, atomically, config }: Pick<StepEngineDeps, 'store' | 'audit' | 'atomically' | 'config'>,
  access: Pick<StepAccess, 'requireLive'>,
): PromptLimiter {
  return {
    async take(row, factor) {
      // Taken before Duo is asked, like a passcode attempt: pushes started at once cannot all reach the phone.
      const taken = await store.takePrompt(row, config().maxPromptsPerStep);
      if (taken !== undefined) return taken;
      const fresh = await store.reload(row);
      if (fresh !== null && fresh.state !== 'pending') {
        access.requireLive(fresh);
        throw new DuoStepError(fresh.state === 'allowed' ? 'allowed' : 'denied');
      }
      throw new DuoFactorError(
        factor,
        'No more Duo prompts on this sign-in step: answer the last one, enter a passcode, or sign in again',
      );
    },

    async denied(row, txid, duoStatus, message) {
      const base = auditBase(row);
      if (!RETRYABLE.has(duoStatus)) {
        // Whichever prompt it was: someone who reports fraud gets no further prompts from this password.
        const closed = await atomically(async () => {
          if (!(await store.deny(row, message, duoStatus))) return false;
          await audit.log('step.denied', { ...base, outcome: 'denied', detail: { duoStatus, retry: false } });
          return true;
        });
        if (!closed) return undefined;
        return { done: false, body: { state: 'denied', duoStatus, message, promptsLeft: 0 } };
      }
      const promptsLeft = Math.max(0, config().maxPromptsPerStep - (row.promptsSent ?? 0));
      if (promptsLeft === 0) {
        const ended = `${message.replace(/[.!]*$/, '.')} No more Duo prompts on this sign-in step; sign in again.`;
        const settled = await atomically(async () => {
          if (!(await store.settlePrompt(row, txid, { state: 'denied', duoStatus, duoStatusMessage: ended }))) {
            return false;
          }
          await audit.log('step.denied', {
            ...base,
            outcome: 'prompt-limit',
            detail: { duoStatus, prompts: row.promptsSent ?? 0 },
          });
          return true;
        });
        if (!settled) return undefined;
        return { done: false, body: { state: 'denied', duoStatus, message: ended, promptsLeft: 0 } };
      }
      const reopened = await atomically(async () => {
        if (!(await store.settlePrompt(row, txid, { duoTxid: null, duoStatus, duoStatusMessage: message }))) {
          return false;
        }
        await audit.log('step.retry', { ...base, outcome: 'open', detail: { duoStatus, promptsLeft } });
        return true;
      });
      if (!reopened) return undefined;
      const options = access.requireLive(row);
      return { done: false, body: { state: 'pending', duoStatus, message, promptsLeft, duo: options.view } };
    },
  };
}
