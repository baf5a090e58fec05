import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import { IpcPeer } from '../lib/ipc';

export const BENCH_DIR = join(__dirname, '..');
export const REPO_ROOT = join(BENCH_DIR, '..');

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly ipc: IpcPeer;
  readonly pid: number;
  /** Lets the child exit on its own (IPC disconnect → exit(0)), so a --cpu-prof profile gets written. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SpawnOptions {
  readonly name: string;
  readonly script: string;
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Resolves when the child is ready to be used. */
  readonly ready: (child: ChildProcess, ipc: IpcPeer) => Promise<void>;
  readonly readyTimeoutMs: number;
}

export async function spawnChild(options: SpawnOptions): Promise<Child> {
  const log = createWriteStream(options.logFile);
  const child = fork(options.script, [], {
    cwd: REPO_ROOT,
    execArgv: [...options.execArgv],
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const ipc = new IpcPeer(child);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`${options.name} exited during start (${signal ?? code}); see ${options.logFile}`)),
    );
  });
  exited.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${options.name} not ready after ${options.readyTimeoutMs} ms; see ${options.logFile}`)),
      options.readyTimeoutMs,
    );
  });
  try {
    await Promise.race([options.ready(child, ipc), exited, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const pid = child.pid ?? -1;
  return {
    name: options.name,
    process: child,
    ipc,
    pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Resolves on the first IPC message `{ ready: true }` the child sends. */
export function readyMessage(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== null && typeof message === 'object' && (message as { ready?: unknown }).ready === true) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
  });
}
