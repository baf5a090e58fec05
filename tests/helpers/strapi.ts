import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe } from 'node:test';

import strapiFactory from '@strapi/strapi';
import type { Strapi } from '@strapi/strapi';

import {
  createStrapiV5,
  defaultHost,
  PLAYGROUND_V5_DIR,
  type BootableStrapi,
  type HostName,
  type StrapiV5,
} from './hosts';
import { captureLogs, type LogEntry } from './logs';

export { defaultHost, HOST_NAMES, PLAYGROUND_V5_DIR, type HostName, type Row, type StrapiV5 } from './hosts';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const PLAYGROUND_DIR = join(REPO_ROOT, 'playground');

/** The app folder of a host (where an operator would run the plugin's command line): playground/ or playground-v5/. */
export function playgroundDir(host: HostName): string {
  return host === 'v5' ? PLAYGROUND_V5_DIR : PLAYGROUND_DIR;
}

export interface BootOptions {
  /** Which app to boot: `v4` (playground/) or `v5` (playground-v5/); `STRAPI_HOST`, else v4, when omitted. */
  host?: HostName;
  /** Serve the built admin panel (playground/build); needs `ensureAdminBuild()` first. */
  serveAdminPanel?: boolean;
  /** Extra environment for the app's config files; restored on close. */
  env?: Record<string, string>;
  /** Loopback port to listen on; a free one when omitted. */
  port?: number;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ApiRequest {
  method?: string;
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra request headers (a `cookie`, for Strapi 5's admin refresh cookie). */
  headers?: Record<string, string>;
}

/** A booted app; `S` is the Strapi 4 instance type unless the test asked for the v5 host. */
export interface BootedStrapi<S = Strapi> {
  host: HostName;
  strapi: S;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** Everything Strapi logged, plus console warnings/errors and process warnings, since boot started. */
  logs: readonly LogEntry[];
  api(path: string, request?: ApiRequest): Promise<ApiResponse>;
  close(): Promise<void>;
}

// Quiet, throw-away defaults: tests log in many times from one address and must not reach the network.
const TEST_ENV: Record<string, string> = {
  ADMIN_RATE_LIMIT: 'false',
  UP_RATE_LIMIT: 'false',
  STRAPI_LOG_LEVEL: 'warn',
  STRAPI_TELEMETRY_DISABLED: 'true',
  STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
};

/**
 * Boots the playground app in this process on a random loopback port with a fresh SQLite file.
 * Strapi sets the global `strapi`, so boot at most once per test file (each file runs in its own process).
 * Without `host`, the app of `STRAPI_HOST` boots, typed as Strapi 4 (the existing suite's view of it).
 */
export function bootStrapi(options: BootOptions & { host: 'v5' }): Promise<BootedStrapi<StrapiV5>>;
export function bootStrapi(options?: BootOptions & { host?: 'v4' }): Promise<BootedStrapi>;
export function bootStrapi(options: BootOptions): Promise<BootedStrapi | BootedStrapi<StrapiV5>>;
export function bootStrapi(options: BootOptions = {}): Promise<BootedStrapi | BootedStrapi<StrapiV5>> {
  const host = options.host ?? defaultHost();
  if (host === 'v5') {
    return bootApp(host, options, () => createStrapiV5({ serveAdminPanel: options.serveAdminPanel ?? false }));
  }
  return bootApp(host, options, () =>
    strapiFactory({
      appDir: PLAYGROUND_DIR,
      distDir: PLAYGROUND_DIR,
      serveAdminPanel: options.serveAdminPanel ?? false,
      autoReload: false,
    }),
  );
}

async function bootApp<S extends BootableStrapi>(
  host: HostName,
  options: BootOptions,
  create: () => S,
): Promise<BootedStrapi<S>> {
  const tempDir = await mkdtemp(join(tmpdir(), 'duo-strapi-'));
  const restoreEnv = applyEnv({
    ...TEST_ENV,
    DATABASE_FILENAME: join(tempDir, 'data.db'),
    ...options.env,
  });
  const logs = captureLogs();
  // Strapi's constructor adds its own exit-on-signal handlers and destroy() removes every process listener,
  // the test runner's included; close() puts back exactly what was there before boot.
  const processListeners = snapshotProcessListeners();
  const cleanup = { tempDir, restoreEnv, stopLogs: logs.stop, processListeners };

  let app: S | undefined;
  try {
    app = create();
    logs.attach(app.log);
    await app.load();
    const baseUrl = await listen(app, options.port ?? 0);
    const booted = app;
    return {
      host,
      strapi: booted,
      baseUrl,
      logs: logs.entries,
      api: (path, request) => callApi(baseUrl, path, request),
      close: () => shutdown(booted, cleanup),
    };
  } catch (error) {
    await shutdown(app, cleanup).catch(() => undefined);
    throw error;
  }
}

async function listen(app: BootableStrapi, port: number): Promise<string> {
  const server = app.server.httpServer;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    app.server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Cleanup {
  tempDir: string;
  restoreEnv: () => void;
  stopLogs: () => void;
  processListeners: ProcessListeners;
}

async function shutdown(app: BootableStrapi | undefined, cleanup: Cleanup): Promise<void> {
  try {
    await app?.destroy();
  } finally {
    restoreProcessListeners(cleanup.processListeners);
    cleanup.stopLogs();
    cleanup.restoreEnv();
    await rm(cleanup.tempDir, { recursive: true, force: true });
  }
}

type Listener = (...args: unknown[]) => void;
type ProcessListeners = Map<string, Listener[]>;

// process.eventNames() may include symbols; rawListeners/on accept them at runtime, the typings want strings.
function snapshotProcessListeners(): ProcessListeners {
  const saved: ProcessListeners = new Map();
  for (const name of process.eventNames()) {
    saved.set(name as string, process.rawListeners(name as string) as Listener[]);
  }
  return saved;
}

function restoreProcessListeners(saved: ProcessListeners): void {
  for (const name of process.eventNames()) {
    if (!saved.has(name as string)) process.removeAllListeners(name as string);
  }
  for (const [name, listeners] of saved) {
    const present = new Set(process.rawListeners(name));
    for (const listener of listeners) {
      if (!present.has(listener)) process.on(name, listener);
    }
  }
}

function applyEnv(values: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(values)) {
    previous.set(key, process.env[key]);
    process.env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

export async function callApi(baseUrl: string, path: string, request: ApiRequest = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  const response = await fetch(new URL(path, baseUrl), {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseBody(text) };
}

/** A response body as tests read it: JSON when it parses, else the text; undefined when empty. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The configuration path of one of the plugin's options in a running app: Strapi 5 keeps plugin configuration under
 * `plugin::duo-security` (and warns at every read of the dotted name), Strapi 4 under `plugin.duo-security`.
 */
export function duoConfigPath(strapi: object, key: string): string {
  const v5 = (strapi as { sessionManager?: unknown }).sessionManager !== undefined;
  return `${v5 ? 'plugin::duo-security' : 'plugin.duo-security'}.${key}`;
}

/**
 * `describe` for a file about Strapi 5 only: defined in the Strapi 5 pass of the per-host runner, absent (not
 * skipped) in the Strapi 4 pass, so its tests run and count once.
 */
export const describeOnV5 = (name: string, fn: () => void): void => {
  if (defaultHost() === 'v5') describe(name, fn);
};
