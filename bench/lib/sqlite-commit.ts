import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

interface Statement {
  run(...values: unknown[]): unknown;
}

interface Database {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  close(): unknown;
}

/**
 * One single-row commit in SQLite's default mode (rollback journal, `synchronous=FULL`), in a scratch file beside
 * the apps' databases: what each of a Duo login's commits costs on this disk at the least, apart from Strapi's query
 * engine. better-sqlite3, the driver Strapi uses, blocks the caller for the commit's fsyncs as it blocks Strapi.
 */
export function sqliteCommit(dir: string): { commit(): void; close(): void } {
  const require = createRequire(__filename);
  const Driver = require('better-sqlite3') as new (file: string) => Database;
  const file = join(dir, `commit-probe-${process.pid}.db`);
  const db = new Driver(file);
  db.exec('CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO probe (at) VALUES (?)');
  return {
    commit: () => void insert.run(new Date().toISOString()),
    close: () => {
      db.close();
      for (const suffix of ['', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}
