import type { Strapi } from '@strapi/strapi';
import { errors } from '../utils/strapi-utils';

import type { EnrollmentRow } from '../engine/enrollment-service';
import type { Audience } from '../settings/types';
import { pluginService } from '../plugin-services';

/** One administrator or client as the user management page shows it. */
export interface UserRow {
  readonly id: number;
  readonly audience: Audience;
  readonly email: string | null;
  readonly username: string | null;
  /** First and last name of an administrator; null for clients (users-permissions has no name fields). */
  readonly name: string | null;
  readonly duo: {
    /** `none`: the account never started Duo with this plugin. */
    readonly status: 'active' | 'pending' | 'disabled' | 'none';
    readonly enabledAt: string | null;
    readonly lastUsedAt: string | null;
  };
}

export interface UserListQuery {
  readonly audience: Audience;
  readonly search: string;
  readonly page: number;
  readonly pageSize: number;
}

export interface UserList {
  readonly data: UserRow[];
  readonly meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
}

/** Who reset a user's Duo: an administrator through the API, or someone at the server's command line. */
export type ResetActor =
  { readonly via: 'admin'; readonly adminId: number; readonly ip?: string } | { readonly via: 'cli' };

interface StoredUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
  readonly firstname?: string | null;
  readonly lastname?: string | null;
}

const MODELS: Record<Audience, { uid: string; fields: string[]; searchable: string[] }> = {
  staff: {
    uid: 'admin::user',
    fields: ['id', 'email', 'username', 'firstname', 'lastname'],
    searchable: ['email', 'username', 'firstname', 'lastname'],
  },
  clients: {
    uid: 'plugin::users-permissions.user',
    fields: ['id', 'email', 'username'],
    searchable: ['email', 'username'],
  },
};

interface UserQuery {
  findMany(params: Record<string, unknown>): Promise<StoredUser[]>;
  findOne(params: Record<string, unknown>): Promise<StoredUser | null>;
  count(params: Record<string, unknown>): Promise<number>;
}

/** Administrators and clients with their Duo state; the reset used by the management API and the break-glass CLI. */
export const userDirectoryService = ({ strapi }: { strapi: Strapi }) => {
  const users = (audience: Audience): UserQuery => {
    const { uid } = MODELS[audience];
    if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
    if ((strapi.contentTypes as Record<string, unknown>)[uid] === undefined) {
      throw new errors.ApplicationError(
        audience === 'clients'
          ? 'Clients are not available: the users-permissions plugin is not installed'
          : 'Administrators are not available',
      );
    }
    return strapi.db.query(uid) as unknown as UserQuery;
  };

  const toRow = (audience: Audience, user: StoredUser, enrollment: EnrollmentRow | undefined): UserRow => {
    const name = [user.firstname, user.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ');
    return {
      id: user.id,
      audience,
      email: user.email ?? null,
      username: user.username ?? null,
      name: audience === 'staff' && name !== '' ? name : null,
      duo: {
        status: enrollment?.status ?? 'none',
        enabledAt: enrollment?.enabledAt ?? null,
        lastUsedAt: enrollment?.lastUsedAt ?? null,
      },
    };
  };

  const enrollmentsOf = async (audience: Audience, ids: number[]): Promise<Map<number, EnrollmentRow>> => {
    if (ids.length === 0 || strapi.db === undefined) return new Map();
    const rows = (await strapi.db.query('plugin::duo-security.enrollment').findMany({
      where: { audience, userId: { $in: ids } },
    })) as EnrollmentRow[];
    return new Map(rows.map((row) => [row.userId, row]));
  };

  const row = async (audience: Audience, userId: number): Promise<UserRow | null> => {
    const user = await users(audience).findOne({ where: { id: userId }, select: MODELS[audience].fields });
    if (user === null) return null;
    const enrollment = await pluginService(strapi, 'enrollments').find(audience, userId);
    return toRow(audience, user, enrollment ?? undefined);
  };

  return {
    row,

    async list(query: UserListQuery): Promise<UserList> {
      const model = MODELS[query.audience];
      const search = query.search.trim();
      const where =
        search === '' ? {} : { $or: model.searchable.map((field) => ({ [field]: { $containsi: search } })) };
      const table = users(query.audience);
      const total = await table.count({ where });
      const found = await table.findMany({
        where,
        select: model.fields,
        orderBy: [{ id: 'asc' }],
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      const enrollments = await enrollmentsOf(
        query.audience,
        found.map((user) => user.id),
      );
      return {
        data: found.map((user) => toRow(query.audience, user, enrollments.get(user.id))),
        meta: {
          pagination: {
            page: query.page,
            pageSize: query.pageSize,
            pageCount: Math.ceil(total / query.pageSize),
            total,
          },
        },
      };
    },

    /** The user with this e-mail address (any case), or null. */
    async findByEmail(audience: Audience, email: string): Promise<UserRow | null> {
      const user = await users(audience).findOne({
        where: { email: { $eqi: email.trim() } },
        select: MODELS[audience].fields,
      });
      return user === null ? null : row(audience, user.id);
    },

    /**
     * Resets one user's Duo: the plugin forgets the enrolment (the user enrols again at the next login when
     * enforcement requires Duo) and ends their open Duo steps. Audited. Duo's own record of the user's devices is
     * not touched: remove a lost device in the Duo Admin Panel.
     */
    async reset(
      audience: Audience,
      userId: number,
      actor: ResetActor,
      options: { readonly skipDuoOnceMinutes?: number } = {},
    ): Promise<UserRow & { readonly cancelledSteps: number; readonly skipDuoUntil: string | null }> {
      if ((await row(audience, userId)) === null) {
        throw new errors.NotFoundError(audience === 'staff' ? 'No such administrator' : 'No such client');
      }
      const enrollments = pluginService(strapi, 'enrollments');
      await enrollments.reset(audience, userId);
      // A reset starts over: the old backup codes (perhaps with the lost phone's owner's notes) stop working too.
      await pluginService(strapi, 'backupCodes').forget(audience, userId);
      const cancelled = await pluginService(strapi, 'steps').cancelOpen(audience, userId);
      // Break-glass only (the CLI): one sign-in without Duo, for an account Duo itself still locks out.
      const minutes = actor.via === 'cli' ? options.skipDuoOnceMinutes : undefined;
      const until = minutes === undefined ? null : new Date(Date.now() + minutes * 60_000);
      if (until !== null) await enrollments.grantRecovery(audience, userId, until);
      await pluginService(strapi, 'audit').log('enroll.reset', {
        audience,
        userId,
        outcome: 'reset',
        ...(actor.via === 'admin' && actor.ip ? { ip: actor.ip } : {}),
        detail:
          actor.via === 'admin'
            ? { via: 'admin', adminId: actor.adminId, cancelled }
            : { via: 'cli', cancelled, ...(minutes === undefined ? {} : { skipDuoOnceMinutes: minutes }) },
      });
      const after = await row(audience, userId);
      if (after === null)
        throw new errors.NotFoundError(audience === 'staff' ? 'No such administrator' : 'No such client');
      return { ...after, cancelledSteps: cancelled, skipDuoUntil: until === null ? null : until.toISOString() };
    },
  };
};

export type UserDirectoryService = ReturnType<typeof userDirectoryService>;
