import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChildMessage } from './strapi-child';
import { callApi, type ApiRequest, type ApiResponse } from './strapi';

/** A playground Strapi in a child process of its own, on a loopback port that stays the same across restarts. */
export interface StrapiProcess {
  readonly name: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** Whether the child is up (false after `kill()` until `restart()`). */
  readonly running: boolean;
  api(path: string, request?: ApiRequest): Promise<ApiResponse>;
  /** SIGKILL, as a crash or an OOM kill would: no shutdown code runs. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again with the same environment on the same port; resolves when it serves requests. */
  restart(): Promise<void>;
  /** Stops it (gracefully, SIGKILL after 15 s) and removes its temporary folder. */
  stop(): Promise<void>;
  /** The last lines the child wrote (for failure messages; Strapi logs at `warn` in tests). */
  output(): string;
}

export interface StrapiProcessOptions {
  readonly name: string;
  /** The app's environment (database, secrets); the test defaults of `bootStrapi` apply under it. */
  readonly env: Record<string, string>;
  /** How long booting may take (the first boot on an empty database creates every table). */
  readonly readyTimeoutMs?: number;
}

const CHILD = join(__dirname, 'strapi-child.ts');
const OUTPUT_LIMIT = 64 * 1024;

export async function startStrapiProcess(options: StrapiProcessOptions): Promise<StrapiProcess> {
  // The child's temporary files (bootStrapi's folder, anything Strapi writes) go here, so a killed child leaves
  // nothing behind once stop() removes it.
  const tempDir = await mkdtemp(join(tmpdir(), `duo-${options.name.toLowerCase()}-`));
  let output = '';
  let child: ChildProcess | undefined;
  let port = 0;
  let baseUrl = '';

  const launch = async (): Promise<void> => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, TMPDIR: tempDir, DUO_CHILD_PORT: String(port) };
    delete env.NODE_TEST_CONTEXT;
    const started = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = started;
    const record = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    started.stdout?.on('data', record);
    started.stderr?.on('data', record);
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    baseUrl = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'ready') settle(() => resolve(message.baseUrl));
        else fail(message.message);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        fail(`exited (${signal ?? `code ${code}`}) while starting`);
      const settle = (then: () => void) => {
        clearTimeout(timer);
        started.off('message', onMessage);
        started.off('exit', onExit);
        then();
      };
      const fail = (why: string) =>
        settle(() => {
          started.kill('SIGKILL');
          reject(new Error(`Strapi ${options.name} did not start: ${why}\n--- its output ---\n${lastLines(output)}`));
        });
      const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
      started.on('message', onMessage);
      started.on('exit', onExit);
    });
    port = Number(new URL(baseUrl).port);
  };

  const exited = (target: ChildProcess): Promise<void> =>
    target.exitCode !== null || target.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => target.once('exit', () => resolve()));

  const kill = async (): Promise<void> => {
    const target = child;
    if (target === undefined) return;
    child = undefined;
    target.kill('SIGKILL');
    await exited(target);
  };

  await launch();
  return {
    name: options.name,
    get baseUrl() {
      return baseUrl;
    },
    get running() {
      return child !== undefined;
    },
    api: (path, request) => callApi(baseUrl, path, request),
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      const target = child;
      try {
        if (target !== undefined && target.connected) {
          target.send('stop');
          const timer = setTimeout(() => target.kill('SIGKILL'), 15_000);
          await exited(target);
          clearTimeout(timer);
          child = undefined;
        }
        await kill();
      } finally {
        await rm(tempDir, { recursive: true, force: true });
      }
    },
    output: () => lastLines(output),
  };
}

function lastLines(text: string, count = 40): string {
  return text.split('\n').slice(-count).join('\n');
}
