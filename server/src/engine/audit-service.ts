import type { Strapi } from '@strapi/strapi';

import type { Audience } from '../settings/types';
import { inTransaction, query, UIDS } from './db';
import { withUserLock } from './user-lock';

/** Every event the plugin records: the one list (the audit log's filter and its validation read it too). */
export const AUDIT_EVENTS = [
  'step.started',
  'step.allowed',
  'step.denied',
  'step.retry',
  'step.expired',
  'step.cancelled',
  'passcode.failed',
  'passcode.locked',
  'login.bypass',
  'login.fail-open',
  'login.fail-closed',
  'login.recovery',
  'login.backup-code',
  'login.postponed',
  'login.remembered',
  'remember.refused',
  'backup-codes.issued',
  'enroll.started',
  'enroll.enabled',
  'enroll.disabled',
  'enroll.reset',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditRecord {
  readonly audience: Audience;
  readonly userId?: number;
  readonly outcome?: string;
  readonly ip?: string;
  /** Facts only (factor, Duo status, reason): never a passcode, token, key or step id. */
  readonly detail?: Record<string, string | number | boolean | null>;
}

export interface AuditRow extends AuditRecord {
  readonly id: number;
  readonly event: AuditEvent;
  readonly createdAt: string;
}

/**
 * Who did what, when, from where, with what outcome. Writing an entry on its own never fails the login it records;
 * written in a transaction with the change it records, it stands or falls with that change.
 */
export const auditService = ({ strapi }: { strapi: Strapi }) => ({
  async log(event: AuditEvent, record: AuditRecord): Promise<void> {
    try {
      await query<AuditRow>(strapi, UIDS.auditEntry).create({ data: { event, ...record } });
    } catch (error) {
      strapi.log.error(
        `duo-security: could not write the audit entry ${event}: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
      // PostgreSQL aborts a transaction whose statement failed, and its COMMIT then rolls back without an error:
      // swallowed here, the step change written with this entry (a step consumed) would silently not be.
      if (inTransaction(strapi)) throw error;
    }
  },

  /**
   * Writes the entry of a check that is still running, before it runs, for a per-user limit to count (see
   * `countSince`). Unlike `log` it fails when the entry cannot be written: a limit must not be passed because its
   * record is missing. Returns the entry's id, to `settle` or `discard` it once the check is over.
   */
  async reserve(event: AuditEvent, record: AuditRecord): Promise<number> {
    const row = await query<AuditRow>(strapi, UIDS.auditEntry).create({ data: { event, ...record } });
    return row.id;
  },

  /**
   * `reserve`, and the number of the user's entries of that event since `since`, the new one included, counted while
   * holding the account's lock (engine/user-lock.ts): checks of one account, sent at once to one instance or to
   * several, are counted one after the other, so exactly the first ones fit under a limit. (Counting the entries
   * with smaller ids was not enough: ids are drawn before commit, so a count could miss an earlier entry.)
   */
  async reserveCounted(
    event: AuditEvent,
    record: AuditRecord & { readonly userId: number },
    since: Date,
  ): Promise<{ id: number; count: number }> {
    return withUserLock(strapi, record.audience, record.userId, async () => {
      const table = query<AuditRow>(strapi, UIDS.auditEntry);
      const { id } = await table.create({ data: { event, ...record } });
      const count = await table.count({
        where: { event, audience: record.audience, userId: record.userId, createdAt: { $gt: since.toISOString() } },
      });
      return { id, count };
    });
  },

  /** Rewrites a reserved entry as what happened. */
  async settle(id: number, event: AuditEvent, record: Pick<AuditRecord, 'outcome' | 'detail'>): Promise<void> {
    await query<AuditRow>(strapi, UIDS.auditEntry).updateMany({
      where: { id },
      data: { event, outcome: record.outcome ?? null, detail: record.detail ?? null },
    });
  },

  /** Removes a reserved entry whose check turned out to be nothing to record (Duo allowed, or could not answer). */
  async discard(id: number): Promise<void> {
    await query<AuditRow>(strapi, UIDS.auditEntry).deleteMany({ where: { id } });
  },

  async list(
    where: { audience?: Audience; userId?: number; event?: AuditEvent } = {},
    limit = 100,
  ): Promise<AuditRow[]> {
    return query<AuditRow>(strapi, UIDS.auditEntry).findMany({ where, orderBy: [{ id: 'desc' }], limit });
  },
});

export type AuditService = ReturnType<typeof auditService>;
