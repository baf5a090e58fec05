import type { Strapi } from '@strapi/strapi';

import type { Audience } from '../settings/types';
import { query, UIDS } from './db';
import { forgetGrace } from './grace-service';
import { pluginService } from '../plugin-services';

export type EnrollmentStatus = 'active' | 'pending' | 'disabled';

export interface EnrollmentRow {
  readonly id: number;
  readonly audience: Audience;
  readonly userId: number;
  readonly status: EnrollmentStatus;
  readonly duoUsername: string | null;
  readonly duoUserId: string | null;
  readonly activationSealed: string | null;
  readonly enabledAt: string | null;
  readonly lastUsedAt: string | null;
  readonly resetAt: string | null;
  readonly recoveryUntil: string | null;
}

/** Per user and audience: has this account turned Duo on, and what Duo knows it as. */
export const enrollmentService = ({ strapi }: { strapi: Strapi }) => {
  const table = () => query<EnrollmentRow>(strapi, UIDS.enrollment);

  const find = (audience: Audience, userId: number) => table().findOne({ where: { audience, userId } });

  const upsert = async (audience: Audience, userId: number, data: Record<string, unknown>): Promise<EnrollmentRow> => {
    pluginService(strapi, 'policy').forget(audience, userId);
    let existing = await find(audience, userId);
    if (existing === null) {
      try {
        return await table().create({ data: { audience, userId, status: 'pending', ...data } });
      } catch (error) {
        // Another request (or instance) inserted the account's row first: the unique index refused ours.
        existing = await find(audience, userId);
        if (existing === null) throw error;
      }
    }
    return (await table().update({ where: { id: existing.id }, data })) ?? existing;
  };

  return {
    find,

    async isActive(audience: Audience, userId: number): Promise<boolean> {
      return (await find(audience, userId))?.status === 'active';
    },

    /** Records a Duo Mobile activation in progress (sealed) for the account. */
    startActivation(
      audience: Audience,
      userId: number,
      duoUsername: string,
      duoUserId: string | null,
      activationSealed: string | null,
    ) {
      return upsert(audience, userId, { duoUsername, duoUserId, activationSealed });
    },

    /** Duo is on for the account from now on. */
    async enable(audience: Audience, userId: number, duoUsername: string) {
      const row = await upsert(audience, userId, {
        status: 'active',
        duoUsername,
        activationSealed: null,
        enabledAt: new Date().toISOString(),
        lastUsedAt: new Date().toISOString(),
      });
      // Enrolled: a later requirement (after a reset) starts a new grace period rather than a used-up one.
      await forgetGrace(strapi, audience, userId);
      return row;
    },

    disable(audience: Audience, userId: number) {
      return upsert(audience, userId, { status: 'disabled', activationSealed: null });
    },

    /** An administrator's reset: the user must enrol again if their audience requires Duo. */
    async reset(audience: Audience, userId: number) {
      const row = await upsert(audience, userId, {
        status: 'disabled',
        activationSealed: null,
        duoUserId: null,
        resetAt: new Date().toISOString(),
        recoveryUntil: null,
      });
      await forgetGrace(strapi, audience, userId);
      return row;
    },

    /** Break-glass: the account's next password sign-in before `until` skips Duo, once (see `consumeRecovery`). */
    grantRecovery(audience: Audience, userId: number, until: Date) {
      return upsert(audience, userId, { recoveryUntil: until.toISOString() });
    },

    /**
     * Uses up a break-glass pass, if one is open: true for the one caller that wins it. `read`: the enrolment as the
     * caller just read it, if it did (the conditional update below decides, whatever that read said).
     */
    async consumeRecovery(audience: Audience, userId: number, read?: EnrollmentRow | null): Promise<boolean> {
      // Read first: nearly every sign-in has no pass, and then needs no write statement at all.
      const row = read === undefined ? await find(audience, userId) : read;
      if (row?.recoveryUntil == null || Date.parse(row.recoveryUntil) <= Date.now()) return false;
      const { count } = await table().updateMany({
        where: { audience, userId, recoveryUntil: { $gt: new Date().toISOString() } },
        data: { recoveryUntil: null },
      });
      return count === 1;
    },

    /**
     * Records a sign-in with Duo as the account's last use, if Duo is on for it: true when it is. One conditional
     * statement, not a read then a write: it runs in the transaction that consumes the step (one commit).
     */
    async touchActive(audience: Audience, userId: number): Promise<boolean> {
      const { count } = await table().updateMany({
        where: { audience, userId, status: 'active' },
        data: { lastUsedAt: new Date().toISOString() },
      });
      if (count > 0) return true;
      // A MySQL connection without FOUND_ROWS (mysql2 sets it by default) counts changed rows, not matched ones:
      // a second sign-in within the same microsecond would count 0. Only then, and when enrolling, read the row.
      return (await find(audience, userId))?.status === 'active';
    },
  };
};

export type EnrollmentService = ReturnType<typeof enrollmentService>;
