import type { Strapi } from '@strapi/strapi';

import { AUDIT_EVENTS, type AuditEvent } from '../engine/audit-service';
import { UIDS } from '../engine/db';
import type { Audience } from '../settings/types';

export interface AuditQuery {
  readonly audience?: Audience;
  readonly event?: AuditEvent;
  /** Text matched against the e-mail address, username and name of the people the entries are about. */
  readonly user?: string;
  readonly userId?: number;
  /** Inclusive bounds on when the entry was written. */
  readonly from?: Date;
  readonly to?: Date;
  readonly page: number;
  readonly pageSize: number;
}

/** One entry as the audit log shows it: who (resolved now; null once the account is gone), what, when, where. */
export interface AuditLogRow {
  readonly id: number;
  readonly createdAt: string;
  readonly audience: Audience;
  readonly event: string;
  readonly outcome: string | null;
  readonly userId: number | null;
  readonly user: { readonly email: string | null; readonly username: string | null } | null;
  readonly ip: string | null;
  readonly detail: Record<string, unknown> | null;
}

export interface AuditLogPage {
  readonly data: AuditLogRow[];
  /** `events`: every event the plugin records, so that a filter lists them from this one source. */
  readonly meta: {
    pagination: { page: number; pageSize: number; pageCount: number; total: number };
    events: readonly AuditEvent[];
  };
}

interface StoredEntry {
  readonly id: number;
  readonly createdAt: string;
  readonly audience: Audience;
  readonly event: string;
  readonly outcome?: string | null;
  readonly userId?: number | null;
  readonly ip?: string | null;
  readonly detail?: Record<string, unknown> | null;
}

interface StoredUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
}

interface Table<T> {
  findMany(params: Record<string, unknown>): Promise<T[]>;
  count(params: Record<string, unknown>): Promise<number>;
}

const USERS: Record<Audience, { uid: string; searchable: string[] }> = {
  staff: { uid: 'admin::user', searchable: ['email', 'username', 'firstname', 'lastname'] },
  clients: { uid: 'plugin::users-permissions.user', searchable: ['email', 'username'] },
};
const AUDIENCES: readonly Audience[] = ['staff', 'clients'];
/** A user filter that matches more people than this is too vague to turn into one query. */
const MAX_MATCHED_USERS = 500;

/** The plugin's audit entries, read for people (RBAC `audit.read`): filtered, paged, and whole for CSV export. */
export const auditLogService = ({ strapi }: { strapi: Strapi }) => {
  const table = <T>(uid: string): Table<T> | null => {
    if (strapi.db === undefined || (strapi.contentTypes as Record<string, unknown>)[uid] === undefined) return null;
    return strapi.db.query(uid) as unknown as Table<T>;
  };

  /** The ids of the people a user filter names, per audience. */
  const matchingUsers = async (text: string, audiences: readonly Audience[]) => {
    const pairs: Array<{ audience: Audience; userId: { $in: number[] } }> = [];
    for (const audience of audiences) {
      const users = table<StoredUser>(USERS[audience].uid);
      if (users === null) continue;
      const found = await users.findMany({
        where: { $or: USERS[audience].searchable.map((field) => ({ [field]: { $containsi: text } })) },
        select: ['id'],
        limit: MAX_MATCHED_USERS,
      });
      if (found.length > 0) pairs.push({ audience, userId: { $in: found.map((user) => user.id) } });
    }
    return pairs;
  };

  const whereOf = async (query: Omit<AuditQuery, 'page' | 'pageSize'>): Promise<Record<string, unknown> | null> => {
    const and: Record<string, unknown>[] = [];
    if (query.audience !== undefined) and.push({ audience: query.audience });
    if (query.event !== undefined) and.push({ event: query.event });
    if (query.userId !== undefined) and.push({ userId: query.userId });
    if (query.from !== undefined) and.push({ createdAt: { $gte: query.from.toISOString() } });
    if (query.to !== undefined) and.push({ createdAt: { $lte: query.to.toISOString() } });
    const text = query.user?.trim() ?? '';
    if (text !== '') {
      const pairs = await matchingUsers(text, query.audience === undefined ? AUDIENCES : [query.audience]);
      if (pairs.length === 0) return null;
      and.push({ $or: pairs });
    }
    return and.length === 0 ? {} : { $and: and };
  };

  /** Who each entry is about, read in one query per audience. */
  const withUsers = async (entries: StoredEntry[]): Promise<AuditLogRow[]> => {
    const people = new Map<string, StoredUser>();
    for (const audience of AUDIENCES) {
      const ids = [...new Set(entries.filter((e) => e.audience === audience && e.userId != null).map((e) => e.userId))];
      const users = table<StoredUser>(USERS[audience].uid);
      if (ids.length === 0 || users === null) continue;
      const found = await users.findMany({ where: { id: { $in: ids } }, select: ['id', 'email', 'username'] });
      for (const user of found) people.set(`${audience}:${user.id}`, user);
    }
    return entries.map((entry) => {
      const person = entry.userId == null ? undefined : people.get(`${entry.audience}:${entry.userId}`);
      return {
        id: entry.id,
        createdAt: new Date(entry.createdAt).toISOString(),
        audience: entry.audience,
        event: entry.event,
        outcome: entry.outcome ?? null,
        userId: entry.userId ?? null,
        user: person === undefined ? null : { email: person.email ?? null, username: person.username ?? null },
        ip: entry.ip ?? null,
        detail: entry.detail ?? null,
      };
    });
  };

  const entries = () => {
    const found = table<StoredEntry>(UIDS.auditEntry);
    if (found === null) throw new Error('duo-security: the audit table is not available');
    return found;
  };

  return {
    async list(query: AuditQuery): Promise<AuditLogPage> {
      const where = await whereOf(query);
      const total = where === null ? 0 : await entries().count({ where });
      const found =
        where === null
          ? []
          : await entries().findMany({
              where,
              orderBy: [{ id: 'desc' }],
              limit: query.pageSize,
              offset: (query.page - 1) * query.pageSize,
            });
      return {
        data: await withUsers(found),
        meta: {
          pagination: {
            page: query.page,
            pageSize: query.pageSize,
            pageCount: Math.ceil(total / query.pageSize),
            total,
          },
          events: AUDIT_EVENTS,
        },
      };
    },

    /** Up to `limit` entries matching the filter, newest first, and whether more exist. */
    async all(
      query: Omit<AuditQuery, 'page' | 'pageSize'>,
      limit: number,
    ): Promise<{ rows: AuditLogRow[]; truncated: boolean }> {
      const where = await whereOf(query);
      if (where === null) return { rows: [], truncated: false };
      const found = await entries().findMany({ where, orderBy: [{ id: 'desc' }], limit: limit + 1 });
      return { rows: await withUsers(found.slice(0, limit)), truncated: found.length > limit };
    },
  };
};

export type AuditLogService = ReturnType<typeof auditLogService>;
