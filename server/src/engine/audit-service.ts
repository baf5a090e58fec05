import type { Strapi } from '@strapi/strapi';

import type { Audience } from '../settings/types';
import { query, UIDS } from './db';

export type AuditEvent =
  | 'challenge.started'
  | 'challenge.allowed'
  | 'challenge.denied'
  | 'challenge.expired'
  | 'challenge.cancelled'
  | 'passcode.failed'
  | 'passcode.locked'
  | 'login.bypass'
  | 'login.fail-open'
  | 'login.fail-closed'
  | 'login.recovery'
  | 'enroll.started'
  | 'enroll.enabled'
  | 'enroll.disabled'
  | 'enroll.reset';

export interface AuditRecord {
  readonly audience: Audience;
  readonly userId?: number;
  readonly outcome?: string;
  readonly ip?: string;
  /** Facts only (factor, Duo status, reason): never a passcode, token, key or transaction id. */
  readonly detail?: Record<string, string | number | boolean | null>;
}

export interface AuditRow extends AuditRecord {
  readonly id: number;
  readonly event: AuditEvent;
  readonly createdAt: string;
}

/** Who did what, when, from where, with what outcome. Writing an entry never fails the login it records. */
export const auditService = ({ strapi }: { strapi: Strapi }) => ({
  async log(event: AuditEvent, record: AuditRecord): Promise<void> {
    try {
      await query<AuditRow>(strapi, UIDS.auditEntry).create({ data: { event, ...record } });
    } catch (error) {
      strapi.log.error(
        `duo-security: could not write the audit entry ${event}: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
  },

  /** How many times an event was recorded for a user since a moment: per-user limits across Duo steps. */
  async countSince(event: AuditEvent, audience: Audience, userId: number, since: Date): Promise<number> {
    return query<AuditRow>(strapi, UIDS.auditEntry).count({
      where: { event, audience, userId, createdAt: { $gt: since.toISOString() } },
    });
  },

  async list(
    where: { audience?: Audience; userId?: number; event?: AuditEvent } = {},
    limit = 100,
  ): Promise<AuditRow[]> {
    return query<AuditRow>(strapi, UIDS.auditEntry).findMany({ where, orderBy: [{ id: 'desc' }], limit });
  },
});

export type AuditService = ReturnType<typeof auditService>;
