import { existsSync, readFileSync } from 'node:fs';

import type { Strapi } from '@strapi/strapi';

import { isRecord } from './client-answers';
import type { ApiResponse, BootedStrapi } from './strapi';

/**
 * A secrets sweep: records every HTTP answer (status, headers, body) and every passcode sent, captures what the
 * process prints, reads every row of every table, then searches all of it for values that must not be there.
 */

export interface RecordedResponse {
  readonly request: string;
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** Where to look, as text. */
export interface Haystack {
  readonly where: string;
  readonly text: string;
}

/** What to look for: a literal, or a pattern (e.g. a passcode standing on its own). */
export interface Needle {
  readonly what: string;
  readonly find: string | RegExp;
}

export class ResponseRecorder {
  readonly responses: RecordedResponse[] = [];
  readonly passcodes = new Set<string>();

  /** The same app, its `api` recording every answer and every passcode it sends. */
  wrap(app: BootedStrapi): BootedStrapi {
    return {
      ...app,
      api: async (path, request) => {
        const passcode = isRecord(request?.body) ? request.body.passcode : undefined;
        if (typeof passcode === 'string') this.passcodes.add(passcode);
        const response = await app.api(path, request);
        this.record(`${request?.method ?? (request?.body === undefined ? 'GET' : 'POST')} ${path}`, response);
        return response;
      },
    };
  }

  record(request: string, response: ApiResponse): void {
    this.responses.push({
      request,
      status: response.status,
      headers: [...response.headers.entries()],
      body: typeof response.body === 'string' ? response.body : (JSON.stringify(response.body) ?? ''),
    });
  }

  /** Every answer as text: `status`, the headers, a blank line, the body. */
  haystacks(): Haystack[] {
    return this.responses.map((r) => ({
      where: `the answer to ${r.request}`,
      text: `${r.status}\n${r.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${r.body}`,
    }));
  }
}

/** What console.log / info / debug print while a test runs (logs.ts captures warn and error, and Strapi's logger). */
export function captureConsoleOutput(): { readonly lines: string[]; stop(): void } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'debug'] as const;
  const originals = methods.map((name) => console[name]);
  for (const name of methods) {
    const original = console[name];
    console[name] = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
      original.apply(console, args);
    };
  }
  return {
    lines,
    stop() {
      methods.forEach((name, i) => (console[name] = originals[i]!));
    },
  };
}

export interface TableDump {
  readonly table: string;
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

/** Every row of every table of the app's SQLite database, every column, read with knex. */
export async function dumpDatabase(strapi: Strapi): Promise<TableDump[]> {
  const knex = strapi.db!.connection;
  const tables = (await knex('sqlite_master').where({ type: 'table' }).select('name')) as Array<{ name: string }>;
  const dumps: TableDump[] = [];
  for (const { name } of tables) {
    dumps.push({ table: name, rows: (await knex(name).select('*')) as Array<Record<string, unknown>> });
  }
  return dumps;
}

/** A row as text, each column as its value (JSON columns as stored, binary columns as UTF-8 and as hex). */
export function rowText(row: Record<string, unknown>): string {
  return Object.entries(row)
    .map(([column, value]) => {
      if (Buffer.isBuffer(value)) return `${column}=${value.toString('utf8')} ${value.toString('hex')}`;
      return `${column}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join('\n');
}

/**
 * The database file's raw bytes and those of its journal or WAL, if any: deleted rows and free pages keep
 * what was once written, which a SELECT does not show.
 */
export function databaseFiles(filename: string): Haystack[] {
  return [filename, `${filename}-wal`, `${filename}-journal`]
    .filter((file) => existsSync(file))
    .map((file) => ({ where: `the file ${file}`, text: readFileSync(file).toString('latin1') }));
}

/** A value standing on its own: not the same digits by chance inside a hex hash, an id or a base64 token. */
export function standalone(value: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_-])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`);
}

export interface Hit {
  readonly what: string;
  readonly where: string;
  /** A few characters around the hit, the needle itself masked: the report must not print the secret. */
  readonly around: string;
}

/** Every needle found in every haystack. */
export function findHits(haystacks: readonly Haystack[], needles: readonly Needle[]): Hit[] {
  const hits: Hit[] = [];
  for (const { where, text } of haystacks) {
    for (const { what, find } of needles) {
      const at = typeof find === 'string' ? text.indexOf(find) : (find.exec(text)?.index ?? -1);
      if (at === -1) continue;
      const length = typeof find === 'string' ? find.length : (find.exec(text)?.[0].length ?? 0);
      const around = `${text.slice(Math.max(0, at - 60), at)}[${what}]${text.slice(at + length, at + length + 60)}`;
      hits.push({ what, where, around: around.replace(/\s+/g, ' ') });
    }
  }
  return hits;
}
