import type { Strapi } from '@strapi/strapi';

import type { Audience } from '../settings/types';
import { query, UIDS } from './db';

interface UserLockRow {
  readonly id: number;
}

/**
 * Runs `work` in one database transaction that holds the account's lock row, so that checks of one account run
 * one at a time on every instance sharing the database: a per-user limit counts what the others wrote (committed)
 * rather than racing them. The UPDATE that takes the row lock is the transaction's first statement, so under MySQL's
 * REPEATABLE READ the reads after it see every commit made before the lock was granted; PostgreSQL (READ COMMITTED)
 * reads the latest commits anyway, and SQLite runs one writer at a time.
 */
export async function withUserLock<T>(
  strapi: Strapi,
  audience: Audience,
  userId: number,
  work: () => Promise<T>,
): Promise<T> {
  const table = () => query<UserLockRow>(strapi, UIDS.userLock);
  const where = { audience, userId };
  if ((await table().findOne({ where })) === null) {
    try {
      await table().create({ data: { ...where, lockedAt: new Date() } });
    } catch (error) {
      // Another request (or instance) created the row first: the unique index refused ours.
      if ((await table().findOne({ where })) === null) throw error;
    }
  }
  const db = strapi.db;
  if (db === undefined) throw new Error('duo-security: the database is not available yet');
  return db.transaction(async () => {
    // Strapi's query engine joins the transaction it runs in (its own async context).
    await table().updateMany({ where, data: { lockedAt: new Date() } });
    return work();
  });
}
