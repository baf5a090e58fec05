import type { DuoVia, StepExchange } from '../../hosts/contract';
import type { Audience } from '../../settings/types';
import { DuoStepError } from '../errors';
import type { StepRow } from '../step-store';
import { auditBase, endedAs } from './access';
import { rememberedDevices } from './remember';
import type { StepAnswer, StepEngineDeps, StepState } from './types';

/** Marks a step that Duo's failure let through under fail-open, or that a backup code finished. */
const FAILED_OPEN = 'fail-open';
const BACKUP_CODE = 'backup-code';
/** Marks a sign-in that postponed enrolment within a grace period: nothing is enrolled. */
const POSTPONED = 'postponed';

/** The claim of the credential a consumed step hands out. */
function viaOf(row: StepRow): DuoVia {
  if (row.duoStatus === FAILED_OPEN) return 'fail-open';
  if (row.duoStatus === BACKUP_CODE) return 'backup-code';
  if (row.duoStatus === POSTPONED) return 'postponed';
  return 'allow';
}

/**
 * The one place a step is allowed, consumed and handed over to the host adapter. Every change is a conditional
 * update on the step row: of two requests (or instances) racing on one step, one wins and the other is told why.
 */
export interface StepOutcome {
  /**
   * Duo said allow (or failed under fail-open, or a backup code stood in, or a grace period postponed it): allowed
   * and finished in this request.
   * `trustedDeviceToken`: what Duo's allow carried when its policy remembers devices (see remember.ts).
   */
  allowed(
    row: StepRow,
    via: 'duo' | 'fail-open' | 'backup-code' | 'postponed',
    exchange: StepExchange,
    trustedDeviceToken?: string,
  ): Promise<StepAnswer>;
  /** An allowed step, consumed by the one caller that wins it, whose answer the adapter gives. */
  finish(row: StepRow, exchange: StepExchange): Promise<StepAnswer>;
  /** Duo failed mid-step under fail-open: the step is allowed and the next status call hands out the answer. */
  failedOpen(row: StepRow): Promise<StepState>;
  /** Duo turned on outside a step (a bypass user): the adapter's answer with a fresh credential. */
  completeEnable(audience: Audience, userId: number, via: DuoVia, exchange: StepExchange): Promise<unknown>;
}

function isDataAnswer(body: unknown): body is { data: Record<string, unknown> } {
  if (body === null || typeof body !== 'object') return false;
  const data = (body as { data?: unknown }).data;
  return data !== null && typeof data === 'object' && !Array.isArray(data);
}

export function stepOutcome(
  deps: Pick<
    StepEngineDeps,
    | 'store'
    | 'audit'
    | 'atomically'
    | 'enrollments'
    | 'backupCodes'
    | 'adapters'
    | 'secrets'
    | 'settings'
    | 'handRemembered'
  >,
): StepOutcome {
  const { store, audit, atomically, enrollments, backupCodes, adapters } = deps;
  const remember = rememberedDevices(deps);
  /**
   * What a consumed step changes besides its row. A sign-in with Duo already on (the common case) is recorded in
   * the transaction that consumed the step: the last use and the audit entry. Turning Duo on or off is written
   * after the commit instead: enabling may insert the enrolment row and lose a race for it to another instance,
   * and on PostgreSQL a refused insert would abort the whole transaction, the consume with it.
   */
  const recordInside = async (row: StepRow): Promise<boolean> => {
    if (row.purpose === 'disable') return false;
    // Enrolment postponed (audited `login.postponed`): the account stays without Duo.
    if (row.duoStatus === POSTPONED) return true;
    if (row.purpose === 'backup-codes') {
      await audit.log('step.allowed', { ...auditBase(row), outcome: 'allowed', detail: { purpose: row.purpose } });
      return true;
    }
    if (!(await enrollments.touchActive(row.audience, row.userId))) return false;
    await audit.log('step.allowed', { ...auditBase(row), outcome: 'allowed', detail: { purpose: row.purpose } });
    return true;
  };

  /** Returns whether the step turned Duo on after a Duo Mobile activation made inside it (enrolment at a sign-in). */
  const recordAfter = async (row: StepRow): Promise<boolean> => {
    const base = auditBase(row);
    if (row.purpose === 'disable') {
      await enrollments.disable(row.audience, row.userId);
      await backupCodes.forget(row.audience, row.userId);
      await audit.log('enroll.disabled', { ...base, outcome: 'disabled' });
      return false;
    }
    // The activation stays on the enrolment until Duo is on (an account Duo knew already has none).
    const activated = (await enrollments.find(row.audience, row.userId))?.activationSealed != null;
    await enrollments.enable(row.audience, row.userId, row.duoUsername);
    await audit.log('enroll.enabled', { ...base, outcome: 'enabled', detail: { during: row.purpose } });
    await audit.log('step.allowed', { ...base, outcome: 'allowed', detail: { purpose: row.purpose } });
    return activated;
  };

  /**
   * Duo just turned on (the guided setup, or enrolment inside a sign-in): for an account without backup codes, the
   * answer carries its first set, shown this once: in `data` where the answer has one, else beside the token (the
   * users-permissions sign-in answer, `{ jwt, user }`).
   */
  const withFirstSet = async (audience: Audience, userId: number, body: unknown): Promise<unknown> => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
    if ((await backupCodes.remaining(audience, userId)) > 0) return body;
    const codes = await backupCodes.issueSet(audience, userId);
    if (codes.length === 0) return body;
    return isDataAnswer(body)
      ? { ...body, data: { ...body.data, backupCodes: codes } }
      : { ...body, backupCodes: codes };
  };

  /**
   * Duo turned on: the adapter's answer (turning Duo on ends sessions without the claim, the caller's included, so
   * it carries one that has it) with the first backup codes.
   */
  const completeEnable = async (
    audience: Audience,
    userId: number,
    via: DuoVia,
    exchange: StepExchange,
  ): Promise<unknown> =>
    withFirstSet(audience, userId, await adapters[audience].completeEnable({ userId, via, exchange }));

  /**
   * The adapter's answer for a step this request consumed (after the commit: no credential for a rolled-back step).
   * `enrolled`: a sign-in that turned Duo on after activating Duo Mobile inside it (enforcement `required`).
   * `trustedDeviceToken`: what Duo's allow carried when its policy remembers devices (remember.ts).
   */
  const handOver = async (
    row: StepRow,
    exchange: StepExchange,
    enrolled: boolean,
    trustedDeviceToken?: string,
  ): Promise<StepAnswer> => {
    if (row.purpose === 'disable') return { done: true, body: { data: { enabled: false } } };
    if (row.purpose === 'backup-codes') {
      const codes = await backupCodes.issueSet(row.audience, row.userId);
      await audit.log('backup-codes.issued', { ...auditBase(row), outcome: 'issued', detail: { count: codes.length } });
      return { done: true, body: { data: { backupCodes: codes } } };
    }
    if (row.purpose === 'enable') {
      return { done: true, body: await completeEnable(row.audience, row.userId, 'allow', exchange) };
    }
    const via = viaOf(row);
    const body = await adapters[row.audience].completeLogin({ userId: row.userId, flow: row.flow, via, exchange });
    // Only when Duo itself verified the new device: not a fail-open or a backup code standing in for it.
    const answer = enrolled && via === 'allow' ? await withFirstSet(row.audience, row.userId, body) : body;
    return { done: true, body: await remember.handOver(row, trustedDeviceToken, exchange, answer) };
  };

  const finish = async (row: StepRow, exchange: StepExchange): Promise<StepAnswer> => {
    const recorded = await atomically(async () => {
      if (!(await store.consume(row))) throw new DuoStepError('consumed');
      return recordInside(row);
    });
    return handOver(row, exchange, !recorded && (await recordAfter(row)));
  };

  return {
    finish,

    async allowed(row, via, exchange, trustedDeviceToken) {
      // The credential says how Duo was passed (claim `fail-open` or `backup-code`), like one from the password step.
      const marks = { duo: {}, 'fail-open': { duoStatus: FAILED_OPEN }, 'backup-code': { duoStatus: BACKUP_CODE } };
      const marked = via === 'postponed' ? { duoStatus: POSTPONED } : marks[via];
      const consumed = { ...row, ...marked };
      // pending → consumed, the last use and the audit entry: one update, one commit.
      const won = await atomically(async () => {
        if (!(await store.consumePending(row, marked))) return undefined;
        return { recorded: await recordInside(consumed) };
      });
      if (won !== undefined) {
        return handOver(consumed, exchange, !won.recorded && (await recordAfter(consumed)), trustedDeviceToken);
      }
      // The step changed while Duo was being asked (cancelled, expired, denied or used elsewhere): say which. Only
      // a step allowed by an earlier failure under fail-open is still there to be consumed.
      const fresh = await store.reload(row);
      if (fresh?.state !== 'allowed') throw new DuoStepError(endedAs(fresh?.state));
      return finish(fresh, exchange);
    },

    async failedOpen(row) {
      await store.allow(row, { duoStatus: FAILED_OPEN });
      return { state: 'pending', message: 'Duo is unavailable; the sign-in continues without it' };
    },

    completeEnable,
  };
}
