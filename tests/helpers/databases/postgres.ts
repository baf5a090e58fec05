import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { TestDatabase } from './index';
import { asUser, freePort, playgroundEnv, run, serverFolder, tabRows, tail, unprivilegedUser } from './server-files';

const INSTALL_HINT =
  'The multi-instance tests start their own PostgreSQL server and need its binaries (initdb, pg_ctl, psql): ' +
  'install them with `apt-get install -y postgresql` (Debian; the helper looks in /usr/lib/postgresql/<version>/bin), ' +
  'or set PG_BIN_DIR to a folder that has them.';

const TOOLS = ['initdb', 'pg_ctl', 'psql', 'createdb'] as const;

/** The newest /usr/lib/postgresql/<version>/bin with every tool, or PG_BIN_DIR; throws with the fix otherwise. */
export function findPostgresBin(): { bin: string; version: number } {
  const complete = (bin: string) => TOOLS.every((tool) => existsSync(join(bin, tool)));
  const override = process.env.PG_BIN_DIR;
  if (override !== undefined && override !== '') {
    if (!complete(override)) throw new Error(`PG_BIN_DIR=${override} lacks ${TOOLS.join('/')}. ${INSTALL_HINT}`);
    const version = /(\d+)/.exec(execFileSync(join(override, 'pg_ctl'), ['--version'], { encoding: 'utf8' }));
    return { bin: override, version: Number(version?.[1] ?? 0) };
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && complete(join(root, name, 'bin')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error(`PostgreSQL server binaries not found. ${INSTALL_HINT}`);
  return { bin: join(root, String(newest), 'bin'), version: newest };
}

/**
 * initdb in a temporary folder, a server on a free loopback port (its unix socket in that folder, trust
 * authentication for local and loopback connections only, durability off: the data is thrown away), one database.
 * `stop()` (and, as a backstop, the process exiting) stops the server and deletes the folder.
 */
export async function startPostgres(database: string): Promise<TestDatabase> {
  const { bin, version } = findPostgresBin();
  const as = unprivilegedUser(['postgres']);
  const user = 'strapi';
  const tool = (name: (typeof TOOLS)[number]) => join(bin, name);
  let started = false;
  const folder = await serverFolder('duo-pg-', as, () => {
    if (started) execFileSync(...asUser(tool('pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], as));
  });
  const { root, data } = folder;
  const logFile = join(root, 'server.log');

  try {
    await run(
      tool('initdb'),
      ['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      as,
    );
    // Local socket and loopback only; nothing else may connect at all.
    await writeFile(
      join(data, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n',
    );
    if (as !== undefined) await chown(join(data, 'pg_hba.conf'), as.uid, as.gid);

    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        "-c listen_addresses='127.0.0.1'",
        `-c unix_socket_directories='${root}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=100',
      ].join(' ');
      try {
        await run(tool('pg_ctl'), ['start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', options], as, 90_000);
        started = true;
        break;
      } catch (error) {
        if (attempt >= 3) throw new Error(`${(error as Error).message}\n${tail(logFile)}`);
      }
    }
    await run(tool('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);

    const psql = (sql: string) =>
      run(tool('psql'), [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        user,
        '-d',
        database,
        '-AtqX',
        '-F',
        '\t',
        '-c',
        sql,
      ]);
    return {
      kind: 'postgres',
      label: `PostgreSQL ${version}`,
      env: playgroundEnv('postgres', port, database, user),
      uniqueViolation: /duplicate key value violates unique constraint/,
      rows: async (sql) => tabRows(await psql(sql)),
      async slowUpdates(table, column, value, seconds) {
        const name = `duo_test_slow_${table}`;
        await psql(
          `create function ${name}() returns trigger language plpgsql as ` +
            `$$ begin perform pg_sleep(${seconds}); return new; end $$`,
        );
        await psql(
          `create trigger ${name} before update on ${table} for each row ` +
            `when (new.${column} = '${value}') execute function ${name}()`,
        );
        return async () => {
          await psql(`drop function ${name}() cascade`);
        };
      },
      stop: () =>
        folder.stop(async () => {
          await run(tool('pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30'], as);
          started = false;
        }),
    };
  } catch (error) {
    folder.discard();
    throw error;
  }
}
