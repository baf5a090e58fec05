import { Pool } from 'undici';

export interface HttpReply {
  readonly status: number;
  readonly body: unknown;
}

export interface HttpCall {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly body?: unknown;
  /** Sent as `Authorization: Bearer …`; never printed. */
  readonly token?: string;
}

/**
 * Keep-alive HTTP to one Strapi app, the way a front end or reverse proxy talks to it: a fixed set of connections
 * reused for every request, so connection set-up is not part of what is timed.
 */
export class AppClient {
  readonly #pool: Pool;

  constructor(
    readonly baseUrl: string,
    connections = 1,
  ) {
    this.#pool = new Pool(baseUrl, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      bodyTimeout: 0,
      headersTimeout: 0,
    });
  }

  async call(path: string, call: HttpCall = {}): Promise<HttpReply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
    const response = await this.#pool.request({
      path,
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
    });
    const text = await response.body.text();
    let body: unknown = text;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    return { status: response.statusCode, body };
  }

  /** A call that must answer `status`; throws with the answer otherwise (tokens are cut out of the message). */
  async expect(path: string, status: number, call: HttpCall = {}): Promise<unknown> {
    const reply = await this.call(path, call);
    if (reply.status !== status) {
      const text = JSON.stringify(reply.body)
        .replace(/eyJ[A-Za-z0-9_.-]+/g, '<token>')
        .slice(0, 400);
      throw new Error(
        `${call.method ?? (call.body === undefined ? 'GET' : 'POST')} ${path}: HTTP ${reply.status} ${text}`,
      );
    }
    return reply.body;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at a path of nested records, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function stringAt(value: unknown, ...path: string[]): string {
  const found = at(value, ...path);
  if (typeof found !== 'string' || found === '') throw new Error(`no ${path.join('.')} in the answer`);
  return found;
}
