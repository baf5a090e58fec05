import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chown, mkdir, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The system user a database server runs as when the tests run as root (CI does). */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Database servers refuse to run as root: then the server runs as the first of `names` that exists (the system
 * user its Debian package creates), else as `nobody`. Undefined when the tests do not run as root.
 */
export function unprivilegedUser(names: readonly string[]): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  for (const name of [...names, 'nobody']) {
    const entry = passwd.find((fields) => fields[0] === name);
    if (entry !== undefined) return { name, uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error(`Running as root, and none of ${[...names, 'nobody'].join(', ')} exists to run the database as`);
}

/** The command line that runs `file` as `as` (runuser keeps the environment; root only). */
export function asUser(file: string, args: readonly string[], as?: RunAs): [string, string[]] {
  return as === undefined ? [file, [...args]] : ['runuser', ['-u', as.name, '--', file, ...args]];
}

/** Runs a command (as `as`, if given) and resolves with its standard output; rejects with its error output. */
export function run(command: string, args: readonly string[], as?: RunAs, timeoutMs = 60_000): Promise<string> {
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

/** A port nothing listens on right now (the server may still lose a race for it: callers retry). */
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

/** The playgrounds' DATABASE_* variables (playground/database-config.js) for a server on loopback. */
export function playgroundEnv(
  client: 'postgres' | 'mysql',
  port: number,
  database: string,
  user: string,
): Record<string, string> {
  return {
    DATABASE_CLIENT: client,
    DATABASE_HOST: '127.0.0.1',
    DATABASE_PORT: String(port),
    DATABASE_NAME: database,
    DATABASE_USERNAME: user,
    DATABASE_PASSWORD: '',
  };
}

/** Splits a client's tab-separated, headerless output into rows of columns. */
export function tabRows(output: string): string[][] {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

export function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** A server's temporary folder (the server's own, when it runs as another user) and its data folder in it. */
export interface ServerFolder {
  readonly root: string;
  readonly data: string;
  /** Stops the server at once (`stopServer`), deletes the folder and forgets the exit handlers; safe to call twice. */
  discard(): void;
  /** Stops the server with `graceful`, then as `discard` does whatever it did; once, however often it is called. */
  stop(graceful: () => Promise<void>): Promise<void>;
}

/**
 * Makes `<tmp>/<prefix>XXXX/data` owned by `as`. If the test process ends without the server being stopped (a
 * crash, a signal), `stopServer` runs and the folder is deleted on the way out: the server must not outlive it.
 */
export async function serverFolder(
  prefix: string,
  as: RunAs | undefined,
  stopServer: () => void,
): Promise<ServerFolder> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const data = join(root, 'data');
  await mkdir(data, { mode: 0o700 });
  if (as !== undefined) {
    for (const path of [root, data]) await chown(path, as.uid, as.gid);
  }
  let removed = false;
  const removeNow = () => {
    if (removed) return;
    removed = true;
    try {
      stopServer();
    } catch {
      // already stopped
    }
    try {
      execFileSync('rm', ['-rf', root], { stdio: 'ignore' });
    } catch {
      // nothing to remove
    }
  };
  const onExit = () => removeNow();
  const onSignal = (signal: NodeJS.Signals) => {
    removeNow();
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const discard = () => {
    removeNow();
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  let stopping: Promise<void> | undefined;
  return {
    root,
    data,
    discard,
    stop: (graceful) => {
      stopping ??= graceful().finally(discard);
      return stopping;
    },
  };
}
