import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away PostgreSQL cluster on a loopback port, for tests of several Strapi instances on one database. */
export interface PostgresCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly database: string;
  /** The cluster's superuser (trust authentication on loopback: no password). */
  readonly user: string;
  /** PostgreSQL's major version, e.g. 15. */
  readonly version: number;
  /** The playground's DATABASE_* variables for this database. */
  readonly env: Record<string, string>;
  /** Runs one SQL statement with psql and returns its unaligned, tuples-only output. */
  psql(sql: string): Promise<string>;
  /** Stops the server and deletes its files; safe to call twice. */
  stop(): Promise<void>;
}

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

interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the `postgres` system user
 * (Debian's package creates it), else as `nobody`.
 */
function unprivilegedUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = passwd.find((fields) => fields[0] === name);
    if (entry !== undefined) return { name, uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('Running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as');
}

function run(command: string, args: readonly string[], as?: RunAs, timeoutMs = 60_000): Promise<string> {
  const [file, argv] = asUser(command, args, as);
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`.trim()));
        else resolve(stdout);
      },
    );
  });
}

/** A port nothing listens on right now (the server may still lose a race for it: start() then retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * initdb in a temporary folder, a server on a free loopback port (its unix socket in that folder, trust
 * authentication for local and loopback connections only, durability off: the data is thrown away), one database.
 * `stop()` (and, as a backstop, the process exiting) stops the server and deletes the folder.
 */
export async function startPostgres(database = 'duo_security'): Promise<PostgresCluster> {
  const { bin, version } = findPostgresBin();
  const as = unprivilegedUser();
  const root = await mkdtemp(join(tmpdir(), 'duo-pg-'));
  const data = join(root, 'data');
  const logFile = join(root, 'server.log');
  const user = 'strapi';
  const tool = (name: (typeof TOOLS)[number]) => join(bin, name);

  let started = false;
  const stopSync = () => {
    if (started) {
      try {
        execFileSync(...asUser(tool('pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], as), { stdio: 'ignore' });
      } catch {
        // already stopped
      }
      started = false;
    }
    try {
      execFileSync('rm', ['-rf', root], { stdio: 'ignore' });
    } catch {
      // nothing to remove
    }
  };
  // If the test process ends without stop() (a crash, a signal), the server must not outlive it.
  const onExit = () => stopSync();
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const detach = () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  try {
    await mkdir(data, { mode: 0o700 });
    if (as !== undefined) {
      for (const path of [root, data]) await chown(path, as.uid, as.gid);
    }
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
      run(tool('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-AtqX', '-c', sql]);
    let stopping: Promise<void> | undefined;
    return {
      host: '127.0.0.1',
      port,
      database,
      user,
      version,
      env: {
        DATABASE_CLIENT: 'postgres',
        DATABASE_HOST: '127.0.0.1',
        DATABASE_PORT: String(port),
        DATABASE_NAME: database,
        DATABASE_USERNAME: user,
        DATABASE_PASSWORD: '',
      },
      psql: (sql) => psql(sql).then((out) => out.trim()),
      stop: () => {
        stopping ??= (async () => {
          try {
            await run(tool('pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30'], as);
            started = false;
          } finally {
            stopSync();
            detach();
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    stopSync();
    detach();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** The command line that runs `file` as `as` (runuser keeps the environment; root only). */
function asUser(file: string, args: readonly string[], as?: RunAs): [string, string[]] {
  return as === undefined ? [file, [...args]] : ['runuser', ['-u', as.name, '--', file, ...args]];
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}
