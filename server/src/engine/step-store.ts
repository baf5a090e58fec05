import type { Strapi } from '@strapi/strapi';

import type { Audience } from '../settings/types';
import { query, transaction, UIDS } from './db';
import { hashStepId, newStepId } from './step-id';
import { pluginService } from '../plugin-services';

/** What allowing a step does: finish a login, turn Duo on or off, or hand out a new set of backup codes. */
export type StepPurpose = 'login' | 'enable' | 'disable' | 'backup-codes';
export type StepRowState = 'pending' | 'allowed' | 'consumed' | 'denied' | 'expired' | 'cancelled';

export interface StepRow {
  readonly id: number;
  readonly idHash: string;
  readonly stateHash: string | null;
  readonly audience: Audience;
  readonly userId: number;
  readonly purpose: StepPurpose;
  readonly state: StepRowState;
  readonly expiresAt: string;
  readonly passcodeFailures: number;
  /** Pushes and calls sent (null on a step opened before they were counted: none). */
  readonly promptsSent: number | null;
  readonly duoUsername: string;
  readonly duoTxid: string | null;
  readonly duoStatus: string | null;
  readonly duoStatusMessage: string | null;
  readonly challenge: unknown;
  readonly flow: unknown;
  readonly ip: string | null;
}

export interface NewStep {
  readonly audience: Audience;
  readonly userId: number;
  readonly purpose: StepPurpose;
  readonly duoUsername: string;
  readonly challenge: unknown;
  readonly flow: unknown;
  readonly ip?: string | undefined;
  readonly ttlSeconds: number;
  /** Universal Prompt: the `state` sent to Duo (stored hashed). */
  readonly state?: string;
}

/**
 * Pending Duo steps, in the database so any instance can continue one. Every state change is a conditional
 * update (`where state = …`), so two instances racing on one step cannot both win.
 */
export const stepStore = ({ strapi }: { strapi: Strapi }) => {
  const table = () => query<StepRow>(strapi, UIDS.step);

  /**
   * pending → expired, audited once: whichever request or instance makes the change writes the entry, in the same
   * transaction (one commit).
   */
  const expire = (row: StepRow): Promise<void> =>
    transaction(strapi, async () => {
      if (!(await transition(row, 'pending', { state: 'expired' }))) return;
      await pluginService(strapi, 'audit').log('step.expired', {
        audience: row.audience,
        userId: row.userId,
        outcome: 'expired',
        ...(row.ip ? { ip: row.ip } : {}),
        detail: { purpose: row.purpose },
      });
    });

  const transition = async (row: StepRow, from: StepRowState, data: Record<string, unknown>): Promise<boolean> => {
    const { count } = await table().updateMany({ where: { id: row.id, state: from }, data });
    return count === 1;
  };

  return {
    async create(input: NewStep): Promise<{ id: string; row: StepRow }> {
      const id = newStepId();
      const row = await table().create({
        data: {
          idHash: hashStepId(id),
          stateHash: input.state === undefined ? null : hashStepId(input.state),
          audience: input.audience,
          userId: input.userId,
          purpose: input.purpose,
          state: 'pending',
          expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
          passcodeFailures: 0,
          promptsSent: 0,
          duoUsername: input.duoUsername,
          challenge: input.challenge,
          flow: input.flow,
          ip: input.ip ?? null,
        },
      });
      return { id, row };
    },

    /** The step behind an opaque id; a pending one past its expiry is marked expired on the way. */
    async find(id: string): Promise<StepRow | null> {
      const row = await table().findOne({ where: { idHash: hashStepId(id) } });
      if (row === null) return null;
      if (row.state === 'pending' && Date.parse(row.expiresAt) <= Date.now()) {
        await expire(row);
        return { ...row, state: 'expired' };
      }
      return row;
    },

    /** The step a Universal Prompt `state` was sent for, while that state is unclaimed (see `claimState`). */
    findByState: (state: string) => table().findOne({ where: { stateHash: hashStepId(state) } }),

    /**
     * Takes the step's `state` out of play: of two callbacks bringing the same state (a reload, a replay, two
     * instances), exactly one wins, and it must win before Duo's code is exchanged.
     */
    async claimState(row: StepRow): Promise<boolean> {
      if (row.stateHash === null) return false;
      const { count } = await table().updateMany({
        where: { id: row.id, state: 'pending', stateHash: row.stateHash },
        data: { stateHash: null },
      });
      return count === 1;
    },

    /** The same step, re-read: another request or instance may have moved it on. */
    reload: (row: StepRow) => table().findOne({ where: { id: row.id } }),

    isLive(row: StepRow): boolean {
      return row.state === 'pending' && Date.parse(row.expiresAt) > Date.now();
    },

    async update(
      row: StepRow,
      data: Partial<Pick<StepRow, 'duoTxid' | 'duoStatus' | 'duoStatusMessage' | 'challenge' | 'duoUsername'>>,
    ): Promise<boolean> {
      return transition(row, 'pending', data);
    },

    /**
     * pending → allowed, for a later request to consume: Duo failed mid-step under fail-open (`duoStatus` says so)
     * and the next status call hands out the answer, or Duo's Universal Prompt allowed and the completion code
     * the callback handed out (kept in `challenge`) finishes it.
     */
    allow: (row: StepRow, data: Partial<Pick<StepRow, 'duoStatus' | 'duoTxid' | 'challenge'>> = {}) =>
      transition(row, 'pending', { ...data, state: 'allowed' }),
    /** allowed → consumed: the one caller that wins gets the token. */
    consume: (row: StepRow) => transition(row, 'allowed', { state: 'consumed' }),
    /**
     * pending → consumed in one conditional update, for the request that learns Duo's allow and finishes the step
     * itself: no `allowed` state in between, one write instead of two. The one caller that wins gets the token.
     */
    consumePending: (row: StepRow, data: Partial<Pick<StepRow, 'duoStatus'>> = {}) =>
      transition(row, 'pending', { ...data, state: 'consumed' }),
    deny: (row: StepRow, message?: string, duoStatus?: string) =>
      transition(row, 'pending', {
        state: 'denied',
        ...(message === undefined ? {} : { duoStatusMessage: message }),
        ...(duoStatus === undefined ? {} : { duoStatus }),
      }),
    cancel: (row: StepRow) => transition(row, 'pending', { state: 'cancelled' }),

    /** Cancels every open step of one user (their Duo was reset); returns how many. */
    async cancelOpen(audience: Audience, userId: number): Promise<number> {
      const { count } = await table().updateMany({
        where: { audience, userId, state: 'pending' },
        data: { state: 'cancelled' },
      });
      return count;
    },

    /**
     * Takes one of the step's `max` passcode attempts *before* the passcode goes to Duo, so guesses sent at once
     * cannot all reach Duo: returns the attempt's number (1…max), or undefined when none is left or the step is no
     * longer pending. Each try is a conditional update, so of concurrent callers exactly one gets each number. An
     * attempt stays taken whatever Duo answers: `passcodeFailures` counts the attempts taken.
     */
    async takePasscodeAttempt(row: StepRow, max: number): Promise<number | undefined> {
      let current: StepRow | null = row;
      while (current !== null && current.state === 'pending' && current.passcodeFailures < max) {
        const taken = current.passcodeFailures + 1;
        const { count } = await table().updateMany({
          where: { id: current.id, state: 'pending', passcodeFailures: current.passcodeFailures },
          data: { passcodeFailures: taken },
        });
        if (count === 1) return taken;
        current = await table().findOne({ where: { id: row.id } });
      }
      return undefined;
    },

    /**
     * Takes one of the step's `max` Duo prompts (push or call) *before* Duo is asked to send it, as passcode attempts
     * are taken: returns its number (1…max), or undefined when none is left or the step is no longer pending.
     */
    async takePrompt(row: StepRow, max: number): Promise<number | undefined> {
      let current: StepRow | null = row;
      while (current !== null && current.state === 'pending' && (current.promptsSent ?? 0) < max) {
        const sent = current.promptsSent;
        const { count } = await table().updateMany({
          where: { id: current.id, state: 'pending', promptsSent: sent === null ? { $null: true } : sent },
          data: { promptsSent: (sent ?? 0) + 1 },
        });
        if (count === 1) return (sent ?? 0) + 1;
        current = await table().findOne({ where: { id: row.id } });
      }
      return undefined;
    },

    /**
     * Records Duo's denial of the prompt `txid`, only while that prompt is still the step's running one: a late
     * answer to an earlier push must neither end nor reopen the step a newer push is waiting on.
     */
    async settlePrompt(
      row: StepRow,
      txid: string,
      data: { state?: 'denied'; duoTxid?: null; duoStatus: string; duoStatusMessage: string },
    ): Promise<boolean> {
      const { count } = await table().updateMany({ where: { id: row.id, state: 'pending', duoTxid: txid }, data });
      return count === 1;
    },

    /** Marks steps nobody came back to as expired (and audits them), a batch at a time. */
    async expireStale(limit = 200): Promise<number> {
      const stale = await table().findMany({
        where: { state: 'pending', expiresAt: { $lt: new Date().toISOString() } },
        limit,
      });
      for (const row of stale) await expire(row);
      return stale.length;
    },

    /** Removes finished and expired steps older than `olderThanSeconds`. */
    async purge(olderThanSeconds: number): Promise<number> {
      const before = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
      const { count } = await table().deleteMany({ where: { expiresAt: { $lt: before } } });
      return count;
    },
  };
};

export type StepStore = ReturnType<typeof stepStore>;
