import { startMariadb } from './mariadb';
import { startPostgres } from './postgres';

/** The databases the multi-instance suite runs on, by the `DATABASE_CLIENT` the playgrounds take. */
export const DATABASE_KINDS = ['postgres', 'mysql'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];
export const DATABASE_NAMES: Record<DatabaseKind, string> = { postgres: 'PostgreSQL', mysql: 'MySQL (MariaDB)' };

/**
 * A throw-away database server on a loopback port, for tests of several Strapi instances on one database. One
 * interface, one implementation per server (postgres.ts, mariadb.ts): the tests never branch on the kind.
 */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** The server and its version, e.g. "PostgreSQL 15" or "MariaDB 10.11.19". */
  readonly label: string;
  /** The playground's DATABASE_* variables for this database. */
  readonly env: Record<string, string>;
  /** The server's refusal of a row that breaks a unique index. */
  readonly uniqueViolation: RegExp;
  /** Runs one SQL statement with the server's own client; its rows, each a list of column texts. */
  rows(sql: string): Promise<string[][]>;
  /**
   * Makes every UPDATE of `table` that sets `column` to `value` take `seconds` longer (a trigger), to hold
   * concurrent requests inside a write together. Resolves with the function that removes it.
   */
  slowUpdates(table: string, column: string, value: string, seconds: number): Promise<() => Promise<void>>;
  /** Stops the server and deletes its files; safe to call twice. */
  stop(): Promise<void>;
}

/** The database of this run: `DUO_TEST_DB` (postgres or mysql), PostgreSQL when unset. */
export function testDatabaseKind(env: NodeJS.ProcessEnv = process.env): DatabaseKind {
  const chosen = env.DUO_TEST_DB;
  if (chosen === undefined || chosen === '') return 'postgres';
  const kind = DATABASE_KINDS.find((name) => name === chosen);
  if (kind === undefined) throw new Error(`DUO_TEST_DB must be one of ${DATABASE_KINDS.join(', ')}, not "${chosen}"`);
  return kind;
}

export function startDatabase(kind: DatabaseKind, database: string): Promise<TestDatabase> {
  return kind === 'postgres' ? startPostgres(database) : startMariadb(database);
}
