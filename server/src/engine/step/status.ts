import { setTimeout as sleep } from 'node:timers/promises';

import { DuoError } from '../../duo/errors';
import type { DuoAuthStatusResult } from '../../duo/types';
import { DuoStepError } from '../errors';
import { isUniversalStep, type StepAccess } from './access';
import type { StepActivation } from './activation';
import type { OnDuoFailure } from './duo-failure';
import type { StepOutcome } from './outcome';
import type { PromptLimiter } from './prompts';
import type { StepEngine, StepEngineDeps } from './types';

const ENROLL_WAIT_MS = 20_000;
const ENROLL_POLL_MS = 2_000;

/** The step's state, the long-poll that follows a push or call, and the user walking away. */
export function stepStatus(
  {
    store,
    audit,
    atomically,
    settings,
    duo,
    config,
  }: Pick<StepEngineDeps, 'store' | 'audit' | 'atomically' | 'settings' | 'duo' | 'config'>,
  access: StepAccess,
  activation: Pick<StepActivation, 'progress'>,
  onDuoFailure: OnDuoFailure,
  outcome: Pick<StepOutcome, 'allowed' | 'finish'>,
  prompts: Pick<PromptLimiter, 'denied'>,
): Pick<StepEngine, 'status' | 'cancel'> {
  const status: StepEngine['status'] = async (audience, id, wait, exchange) => {
    const row = await access.load(audience, id);
    if (row.state === 'allowed') {
      // Only the completion code the callback handed the browser finishes a Universal Prompt step.
      if (isUniversalStep(row)) throw new DuoStepError('wrong-purpose');
      return outcome.finish(row, exchange);
    }
    if (row.state === 'denied')
      return { done: false, body: { state: 'denied', message: row.duoStatusMessage ?? 'The sign-in was refused' } };
    const options = access.requireLive(row);
    if (options.view.result === 'enroll') {
      // Duo has no long-poll for activations: poll it here so clients can long-poll us as for a push.
      const until = Date.now() + (wait ? Math.min(ENROLL_WAIT_MS, Date.parse(row.expiresAt) - Date.now()) : 0);
      let progress = await activation.progress(row, options);
      while (progress.state === 'enrolling' && progress.message === undefined && Date.now() + ENROLL_POLL_MS < until) {
        await sleep(ENROLL_POLL_MS);
        progress = await activation.progress(row, options);
      }
      return { done: false, body: progress };
    }
    if (row.duoTxid === null || row.duoTxid === '') {
      // After a denied push or call the step waits for another way: say what Duo answered and what is left.
      const retry =
        row.duoStatus === null
          ? {}
          : {
              duoStatus: row.duoStatus,
              ...(row.duoStatusMessage ? { message: row.duoStatusMessage } : {}),
              promptsLeft: Math.max(0, config().maxPromptsPerStep - (row.promptsSent ?? 0)),
            };
      return { done: false, body: { state: 'pending', ...retry, duo: options.view } };
    }
    if (!wait)
      return { done: false, body: { state: 'waiting', duoStatus: row.duoStatus ?? 'pushed', duo: options.view } };
    const s = await settings.get();
    let reply: DuoAuthStatusResult;
    try {
      const deadline = Math.max(1000, Math.min(config().statusWaitMs, Date.parse(row.expiresAt) - Date.now()));
      reply = await duo(s).authStatus(row.duoTxid, { signal: AbortSignal.timeout(deadline) });
    } catch (error) {
      if (error instanceof DuoError && error.reason === 'timeout') {
        return { done: false, body: { state: 'waiting', duoStatus: row.duoStatus ?? 'pushed' } };
      }
      await onDuoFailure(row, error, s);
      return outcome.allowed(row, 'fail-open', exchange);
    }
    const fresh = (await store.find(id as string)) ?? row;
    if (reply.result === 'allow') return outcome.allowed(fresh, 'duo', exchange, reply.trustedDeviceToken);
    if (reply.result === 'deny') {
      const answer = await prompts.denied(
        fresh,
        row.duoTxid,
        reply.status,
        reply.statusMsg || 'Duo refused the sign-in',
      );
      // The step moved on while Duo was asked (another push, cancelled, expired): answer for where it is now.
      return answer ?? status(audience, id, false, exchange);
    }
    // A waiting login re-polls every ~25 s; write only news (a database write per poll adds up with many waiting).
    if (
      fresh.state === 'pending' &&
      (fresh.duoStatus !== reply.status || (fresh.duoStatusMessage ?? '') !== reply.statusMsg)
    )
      await store.update(fresh, { duoStatus: reply.status, duoStatusMessage: reply.statusMsg });
    return { done: false, body: { state: 'waiting', duoStatus: reply.status, message: reply.statusMsg } };
  };

  return {
    status,

    async cancel(audience, id) {
      const row = await access.load(audience, id);
      if (row.state !== 'pending') return;
      await atomically(async () => {
        if (await store.cancel(row)) {
          await audit.log('step.cancelled', { audience: row.audience, userId: row.userId, outcome: 'cancelled' });
        }
      });
    },
  };
}
