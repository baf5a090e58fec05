import type { Strapi } from '@strapi/strapi';

/** The slice of Strapi's query engine the plugin uses, typed for its own tables. */
export interface QueryOf<Row> {
  findOne(params: { where: Record<string, unknown> }): Promise<Row | null>;
  findMany(params: {
    where?: Record<string, unknown>;
    orderBy?: Record<string, 'asc' | 'desc'> | Array<Record<string, 'asc' | 'desc'>>;
    limit?: number;
    offset?: number;
  }): Promise<Row[]>;
  count(params: { where?: Record<string, unknown> }): Promise<number>;
  create(params: { data: Record<string, unknown> }): Promise<Row>;
  update(params: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<Row | null>;
  updateMany(params: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>;
  deleteMany(params: { where: Record<string, unknown> }): Promise<{ count: number }>;
}

export const UIDS = {
  enrollment: 'plugin::duo-security.enrollment',
  // The steps' content type keeps its first (stored) name, `transaction`: renaming it needs a data migration.
  step: 'plugin::duo-security.transaction',
  auditEntry: 'plugin::duo-security.audit-entry',
  userLock: 'plugin::duo-security.user-lock',
  backupCode: 'plugin::duo-security.backup-code',
  enrolmentGrace: 'plugin::duo-security.enrolment-grace',
} as const;

export function query<Row>(strapi: Strapi, uid: (typeof UIDS)[keyof typeof UIDS]): QueryOf<Row> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  return strapi.db.query(uid) as unknown as QueryOf<Row>;
}

/**
 * Runs `work` in one database transaction: the query engine's calls inside it (`query(…)`, in any service) join it
 * through Strapi's async context, so the writes of one step request cost one commit (on SQLite, its fsyncs) instead
 * of one each. Nested calls join the outer transaction. `work` must not wait on anything but the database (a Duo
 * call would hold the transaction, and on SQLite its one connection, open meanwhile).
 */
export function transaction<T>(strapi: Strapi, work: () => Promise<T>): Promise<T> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  const db = strapi.db as unknown as { transaction<R>(cb: () => Promise<R>): Promise<R> };
  return db.transaction(() => work());
}

/** Whether the caller runs inside `transaction` (or any Strapi database transaction). */
export function inTransaction(strapi: Strapi): boolean {
  const db = strapi.db as unknown as { inTransaction?: () => boolean } | undefined;
  return db?.inTransaction?.() === true;
}
