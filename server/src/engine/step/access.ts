import type { Audience } from '../../settings/types';
import { isStoredDuoOptions, type ActivationView, type StoredDuoOptions } from '../duo-options';
import { DuoStepError } from '../errors';
import { isStepId } from '../step-id';
import type { StepRow } from '../step-store';
import type { StepEngineDeps } from './types';

/** The audit fields every entry about a step carries. */
export function auditBase(row: Pick<StepRow, 'audience' | 'userId' | 'ip'>) {
  return { audience: row.audience, userId: row.userId, ...(row.ip ? { ip: row.ip } : {}) };
}

/** Whether a step is passed at Duo's Universal Prompt rather than through the Auth API step endpoints. */
export function isUniversalStep(row: Pick<StepRow, 'challenge'>): boolean {
  return isStoredDuoOptions(row.challenge) && row.challenge.universal !== undefined;
}

/** The DuoStepError state of a step that can no longer be allowed. */
export function endedAs(state: string | undefined): 'expired' | 'cancelled' | 'denied' | 'consumed' {
  return state === 'expired' || state === 'cancelled' || state === 'denied' ? state : 'consumed';
}

export interface StepAccess {
  /** A step is bound to its audience: a clients' step cannot be finished on the admin routes, or back. */
  load(audience: Audience, id: unknown): Promise<StepRow>;
  /** The Duo options of a step that can still go on with Duo; refuses an ended one with its state. */
  requireLive(row: StepRow): StoredDuoOptions;
  /** Refuses a step that ended, whatever it was opened for (a backup code needs no more). */
  requireOpen(row: StepRow): void;
}

function requireOpen(row: StepRow): void {
  if (row.state === 'expired') throw new DuoStepError('expired');
  if (row.state === 'consumed') throw new DuoStepError('consumed');
  if (row.state === 'denied') throw new DuoStepError('denied');
  if (row.state === 'cancelled') throw new DuoStepError('cancelled');
}

export function stepAccess({ store, secrets }: Pick<StepEngineDeps, 'store' | 'secrets'>): StepAccess {
  /** The stored options with their sealed activation opened back into the view (see `startActivation`). */
  const withActivation = (stored: StoredDuoOptions): StoredDuoOptions => {
    if (stored.activationSealed === undefined || stored.view.result !== 'enroll') return stored;
    const opened = secrets.open(stored.activationSealed);
    if (opened === undefined) return stored;
    return { ...stored, view: { ...stored.view, activation: JSON.parse(opened) as ActivationView } };
  };

  return {
    async load(audience, id) {
      if (!isStepId(id)) throw new DuoStepError('unknown');
      const row = await store.find(id);
      if (row === null || row.audience !== audience) throw new DuoStepError('unknown');
      return row;
    },

    requireLive(row) {
      requireOpen(row);
      if (!isStoredDuoOptions(row.challenge)) throw new DuoStepError('unknown');
      // A Universal Prompt step is passed at Duo's page and finished with its completion code; a step Duo could not
      // be reached for takes a backup code: neither goes on through Duo here.
      const { result } = row.challenge.view;
      if (result === 'universal' || result === 'unavailable') throw new DuoStepError('wrong-purpose');
      return withActivation(row.challenge);
    },

    requireOpen,
  };
}
