import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { TestDatabase } from './index';
import { freePort, playgroundEnv, run, serverFolder, tabRows, tail, unprivilegedUser } from './server-files';

const INSTALL_HINT =
  'The multi-instance tests on MySQL start their own MariaDB server and need its binaries (mariadbd, ' +
  'mariadb-install-db, mariadb): install them with `apt-get install -y mariadb-server` (Debian), or set ' +
  'MARIADB_BIN_DIR to a folder that has all three.';

/** mariadbd (Debian puts it in /usr/sbin), mariadb-install-db and the mariadb client (in /usr/bin). */
function findMariadb(): { server: string; installDb: string; client: string; version: string } {
  const override = process.env.MARIADB_BIN_DIR;
  const dirs = override !== undefined && override !== '' ? [override] : ['/usr/sbin', '/usr/bin'];
  const find = (name: string) => dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
  const [server, installDb, client] = ['mariadbd', 'mariadb-install-db', 'mariadb'].map(find);
  if (server === undefined || installDb === undefined || client === undefined) {
    throw new Error(`MariaDB server binaries not found. ${INSTALL_HINT}`);
  }
  const version = /Ver\s+([\d.]+)/.exec(execFileSync(server, ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  return { server, installDb, client, version };
}

/**
 * mariadb-install-db in a temporary folder, mariadbd on a free loopback port (its socket in that folder, durability
 * off: the data is thrown away), one database and a passwordless user `strapi` that may connect from 127.0.0.1 only.
 * `stop()` (and, as a backstop, the process exiting) stops the server and deletes the folder.
 */
export async function startMariadb(database: string): Promise<TestDatabase> {
  const { server, installDb, client, version } = findMariadb();
  const as = unprivilegedUser(['mysql']);
  const user = 'strapi';
  let child: ChildProcess | undefined;
  const folder = await serverFolder('duo-mariadb-', as, () => child?.kill('SIGKILL'));
  const { root, data } = folder;
  const logFile = join(root, 'server.log');
  // Read by the server at each start; it creates what the tests connect to before the server takes connections.
  const initFile = join(root, 'init.sql');
  const asOption = as === undefined ? [] : [`--user=${as.name}`];

  const exited = (target: ChildProcess) =>
    target.exitCode !== null || target.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => target.once('exit', () => resolve()));
  const mariadb = (port: number, sql: string, db = database) =>
    run(client, [
      '--no-defaults',
      '--protocol=tcp',
      '-h',
      '127.0.0.1',
      '-P',
      String(port),
      '-u',
      user,
      '--batch',
      '--skip-column-names',
      '-e',
      sql,
      db,
    ]);

  try {
    await run(
      installDb,
      ['--no-defaults', `--datadir=${data}`, ...asOption, '--auth-root-authentication-method=normal', '--skip-test-db'],
      undefined,
      120_000,
    );
    await writeFile(
      initFile,
      `CREATE DATABASE IF NOT EXISTS ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n` +
        `CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1';\n` +
        `GRANT ALL PRIVILEGES ON *.* TO '${user}'@'127.0.0.1';\n`,
      { mode: 0o644 },
    );

    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const started = spawn(
        server,
        [
          '--no-defaults',
          `--datadir=${data}`,
          ...asOption,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${join(root, 'mysqld.sock')}`,
          `--pid-file=${join(root, 'mysqld.pid')}`,
          `--log-error=${logFile}`,
          `--init-file=${initFile}`,
          '--skip-name-resolve',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_unicode_ci',
          '--innodb-flush-log-at-trx-commit=0',
          '--innodb-doublewrite=0',
          '--innodb-buffer-pool-size=64M',
          '--performance-schema=OFF',
          '--max-connections=100',
        ],
        { stdio: 'ignore', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
      );
      child = started;
      if (await ready(started, () => mariadb(port, 'select 1'))) break;
      started.kill('SIGKILL');
      await exited(started);
      child = undefined;
      if (attempt >= 3) throw new Error(`mariadbd did not start on 127.0.0.1:${port}\n${tail(logFile)}`);
    }

    return {
      kind: 'mysql',
      label: `MariaDB ${version}`,
      env: playgroundEnv('mysql', port, database, user),
      uniqueViolation: /Duplicate entry .* for key/,
      rows: async (sql) => tabRows(await mariadb(port, sql)),
      async slowUpdates(table, column, value, seconds) {
        const name = `duo_test_slow_${table}`;
        // One statement (DO), so the client needs no other delimiter for the trigger's body.
        await mariadb(
          port,
          `create trigger ${name} before update on ${table} for each row ` +
            `do if(new.${column} = '${value}', sleep(${seconds}), 0)`,
        );
        return async () => {
          await mariadb(port, `drop trigger ${name}`);
        };
      },
      stop: () =>
        folder.stop(async () => {
          const target = child;
          if (target === undefined) return;
          // SIGTERM is mariadbd's normal shutdown; it must not hang the suite.
          target.kill('SIGTERM');
          const timer = setTimeout(() => target.kill('SIGKILL'), 30_000);
          await exited(target);
          clearTimeout(timer);
          child = undefined;
        }),
    };
  } catch (error) {
    folder.discard();
    throw error;
  }
}

/** Whether the server answers `probe` within 60 s; false as soon as it exits (e.g. its port was taken). */
async function ready(server: ChildProcess, probe: () => Promise<unknown>): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) return false;
    try {
      await probe();
      return true;
    } catch {
      await sleep(200);
    }
  }
  return false;
}
