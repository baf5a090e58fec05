/**
 * The Strapi apps the tests can boot ("hosts"): `v4` is playground/ (Strapi 4.26, packages from the repository
 * root's node_modules), `v5` is playground-v5/ (Strapi 5.54, its own node_modules, installed by the root
 * postinstall). `STRAPI_HOST` picks the default; a test that needs one host names it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

export type HostName = 'v4' | 'v5';
export const HOST_NAMES: readonly HostName[] = ['v4', 'v5'];

const REPO_ROOT = resolve(__dirname, '..', '..');
export const PLAYGROUND_V5_DIR = join(REPO_ROOT, 'playground-v5');

export function isHostName(value: string): value is HostName {
  return (HOST_NAMES as readonly string[]).includes(value);
}

/** `STRAPI_HOST` (v4 or v5), v4 when unset; anything else is a mistake worth failing on. */
export function defaultHost(): HostName {
  const value = process.env.STRAPI_HOST ?? 'v4';
  if (!isHostName(value)) throw new Error(`STRAPI_HOST must be one of ${HOST_NAMES.join(', ')}, not "${value}"`);
  return value;
}

/** What the harness needs from a Strapi instance of either major. */
export interface BootableStrapi {
  load(): Promise<unknown>;
  destroy(): Promise<unknown>;
  log: Readable;
  server: { httpServer: Server; listen(port: number, host: string, callback: () => void): unknown };
}

/** A database row as the query engine returns it. */
export type Row = Record<string, unknown>;

/**
 * The part of a Strapi 5 instance the tests use. Typed here rather than imported: the v5 packages live in
 * playground-v5/node_modules, outside what this repository's TypeScript resolves (its @strapi/* are Strapi 4).
 */
export interface StrapiV5 extends BootableStrapi {
  config: { get(path: string, defaultValue?: unknown): unknown; set(path: string, value: unknown): unknown };
  db: {
    query(uid: string): {
      findMany(params?: Record<string, unknown>): Promise<Row[]>;
      count(params?: Record<string, unknown>): Promise<number>;
    };
  };
  plugin(name: string): unknown;
  sessionManager: unknown;
}

interface StrapiV5Module {
  createStrapi(options: { appDir: string; distDir: string; serveAdminPanel?: boolean; autoReload?: boolean }): StrapiV5;
}

function isStrapiV5Module(value: unknown): value is StrapiV5Module {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { createStrapi?: unknown }).createStrapi === 'function'
  );
}

/**
 * Strapi 5's factory, loaded from playground-v5/node_modules so that Strapi and everything it requires come from
 * the app's own 5.54.0 packages. A JavaScript app needs no compile step: its dist folder is the app folder.
 */
export function createStrapiV5(options: { serveAdminPanel: boolean }): StrapiV5 {
  const appPackage = join(PLAYGROUND_V5_DIR, 'package.json');
  if (!existsSync(join(PLAYGROUND_V5_DIR, 'node_modules', '@strapi', 'strapi', 'package.json'))) {
    throw new Error(`${PLAYGROUND_V5_DIR} is not installed: run \`npm install\` at the repository root (postinstall)`);
  }
  const loaded: unknown = createRequire(appPackage)('@strapi/strapi');
  if (!isStrapiV5Module(loaded)) throw new Error('playground-v5: @strapi/strapi does not export createStrapi');
  return loaded.createStrapi({
    appDir: PLAYGROUND_V5_DIR,
    distDir: PLAYGROUND_V5_DIR,
    serveAdminPanel: options.serveAdminPanel,
    autoReload: false,
  });
}
