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
} as const;

export function query<Row>(strapi: Strapi, uid: (typeof UIDS)[keyof typeof UIDS]): QueryOf<Row> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  return strapi.db.query(uid) as unknown as QueryOf<Row>;
}
