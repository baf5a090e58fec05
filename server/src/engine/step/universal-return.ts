import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { escapeDuoText } from '../../duo/duo-text';
import { DuoError } from '../../duo/errors';
import type { DuoUniversalResult } from '../../duo/universal';
import { isStoredDuoOptions, type StoredDuoOptions, type UniversalPending } from '../duo-options';
import { DuoStepError } from '../errors';
import type { StepRow } from '../step-store';
import { auditBase, endedAs, type StepAccess } from './access';
import { warnAboutDuo } from './duo-failure';
import type { StepOutcome } from './outcome';
import type { StepEngine, StepEngineDeps, UniversalCallbackResult } from './types';

/** How long the browser has, once back from Duo, to hand the completion code to the API. */
const COMPLETION_TTL_MS = 120_000;
/** What Duo may send as `state` (the client's own rule): anything else names no step and is not even hashed. */
const STATE = /^[A-Za-z0-9._~-]{22,1024}$/;
const COMPLETION = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

function failure(code: string, description: string, returnUrl?: string): UniversalCallbackResult {
  return {
    ...(returnUrl === undefined ? {} : { returnUrl }),
    fragment: { duo_error: code, duo_error_description: description },
  };
}

const ENDED: Record<string, string> = {
  expired: 'This sign-in took too long; sign in again',
  cancelled: 'This sign-in was cancelled; sign in again',
  denied: 'This sign-in was refused; sign in again',
  consumed: 'This sign-in has already been completed or its link was used; sign in again',
};

/**
 * The Universal Prompt's second half. The callback claims the state (once), trades Duo's code and checks the
 * id_token; only an explicit allow moves the step on, and it hands the browser a one-time completion code. The
 * front end then posts the step id with that code: a leaked callback or return URL alone finishes nothing, and a
 * step id alone cannot be finished either. After the browser went to Duo nothing fails open.
 */
export function universalReturn(
  { store, audit, atomically, settings, universal, log }: StepEngineDeps,
  access: Pick<StepAccess, 'load'>,
  outcome: Pick<StepOutcome, 'finish'>,
): Pick<StepEngine, 'universalCallback' | 'complete'> {
  const pendingOf = (row: StepRow): { options: StoredDuoOptions; pending: UniversalPending } | undefined => {
    const options = row.challenge;
    if (!isStoredDuoOptions(options) || options.universal === undefined) return undefined;
    return { options, pending: options.universal };
  };

  /** Ends the step as refused, audited with why; the browser is told in plain words. */
  const refuse = async (
    row: StepRow,
    pending: UniversalPending,
    reason: string,
    message: string,
    told = 'denied',
  ): Promise<UniversalCallbackResult> => {
    await atomically(async () => {
      if (await store.deny(row, message, reason)) {
        await audit.log('step.denied', { ...auditBase(row), outcome: reason, detail: { purpose: row.purpose } });
      }
    });
    return failure(told, message, pending.returnUrl);
  };

  const exchangeCode = async (row: StepRow, pending: UniversalPending, duoCode: unknown) => {
    const s = await settings.get();
    return universal(s).exchangeCode({
      code: typeof duoCode === 'string' ? duoCode : '',
      username: row.duoUsername,
      nonce: pending.nonce,
      redirectUri: pending.redirectUri,
    });
  };

  return {
    async universalCallback(audience, query) {
      if (typeof query.state !== 'string' || !STATE.test(query.state)) {
        return failure('unknown', 'This sign-in link is not valid; sign in again');
      }
      const row = await store.findByState(query.state);
      const found = row === null || row.audience !== audience ? undefined : pendingOf(row);
      if (row === null || found === undefined) {
        return failure('unknown', 'This sign-in link is not valid or was already used; sign in again');
      }
      const { options, pending } = found;
      if (row.state !== 'pending' || Date.parse(row.expiresAt) <= Date.now()) {
        const ended = row.state === 'pending' ? 'expired' : endedAs(row.state);
        return failure(ended, ENDED[ended] ?? ENDED.consumed ?? '', pending.returnUrl);
      }
      // A state works once: of a reload, a replay or two instances, one request goes on to Duo.
      if (!(await store.claimState(row))) {
        return failure('consumed', ENDED.consumed ?? '', pending.returnUrl);
      }
      if (query.error !== undefined) {
        const said = typeof query.errorDescription === 'string' ? query.errorDescription.slice(0, 200) : '';
        return refuse(row, pending, 'denied', said === '' ? 'Duo refused the sign-in' : escapeDuoText(said));
      }
      let result: DuoUniversalResult;
      try {
        result = await exchangeCode(row, pending, query.duoCode);
      } catch (error) {
        if (!(error instanceof DuoError) || !error.isServiceFailure) {
          // A token that fails its checks is either a broken Duo or someone replaying or forging one.
          warnAboutDuo(log, row, `${row.purpose} refused, Duo's code or id_token did not check out`, error);
        }
        const unavailable = error instanceof DuoError && error.isServiceFailure;
        // The audit keeps Duo's reason; the browser learns only "unavailable" or "invalid".
        const reason = error instanceof DuoError ? error.reason : 'error';
        return refuse(
          row,
          pending,
          unavailable ? 'unavailable' : reason,
          unavailable
            ? 'The two-factor authentication service is unavailable; try again in a few minutes'
            : "Duo's answer could not be verified; sign in again",
          unavailable ? 'unavailable' : 'invalid',
        );
      }
      if (result.result !== 'allow') {
        return refuse(row, pending, 'denied', result.statusMsg || 'Duo refused the sign-in');
      }
      const completion = randomBytes(32).toString('base64url');
      const approved: StoredDuoOptions = {
        ...options,
        universal: {
          ...pending,
          completionHash: sha256(completion),
          completionExpiresAt: new Date(Date.now() + COMPLETION_TTL_MS).toISOString(),
        },
      };
      const fields = { challenge: approved, ...(result.txid ? { duoTxid: result.txid } : {}) };
      if (!(await store.allow(row, fields))) {
        const fresh = await store.reload(row);
        const ended = endedAs(fresh?.state);
        return failure(ended, ENDED[ended] ?? '', pending.returnUrl);
      }
      return { returnUrl: pending.returnUrl, fragment: { duo_completion: completion } };
    },

    async complete(audience, id, completion, exchange) {
      const row = await access.load(audience, id);
      const found = pendingOf(row);
      if (found === undefined) throw new DuoStepError('wrong-purpose');
      if (row.state !== 'allowed') {
        if (row.state === 'pending') throw new DuoStepError('unknown');
        throw new DuoStepError(endedAs(row.state));
      }
      const { completionHash, completionExpiresAt } = found.pending;
      if (completionHash === undefined || !COMPLETION.test(completion)) throw new DuoStepError('unknown');
      const given = Buffer.from(sha256(completion), 'hex');
      const expected = Buffer.from(completionHash, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DuoStepError('unknown');
      if (completionExpiresAt === undefined || Date.parse(completionExpiresAt) <= Date.now()) {
        throw new DuoStepError('expired');
      }
      return outcome.finish(row, exchange);
    },
  };
}
