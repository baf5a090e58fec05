import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A hand-driven stand-in for Duo's `/oauth/v1/*` endpoints, for the Universal Prompt client's unit tests. Each test
 * sets the reply itself; every request is recorded. JWTs are minted and checked here with `node:crypto` directly,
 * never with the client's own code, so a bug shared by both sides cannot make a test pass.
 */

export const CLIENT_ID = 'DIUNIVERSALCLIENT001';
export const CLIENT_SECRET = 'UnIvErSaLsEcReT0123456789abcdefghijklmno';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly form: URLSearchParams;
}

export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export type FakeReply =
  | FakeAnswer
  /** Never answer (the client's timeout must fire). */
  | 'hang'
  /** Cut the connection without an answer. */
  | 'destroy'
  /** A reply made from the request (e.g. one echoing what was sent). */
  | ((request: SeenRequest) => FakeAnswer);

export interface FakeDuo {
  readonly origin: string;
  /** `127.0.0.1:PORT`: what Duo's JWT URLs are built from (`https://{host}`). */
  readonly host: string;
  readonly seen: SeenRequest[];
  /** The next replies per path, in order; once one is left it repeats. */
  reply(path: string, ...replies: FakeReply[]): void;
  close(): Promise<void>;
}

export async function startFakeDuo(tls?: { key: string; cert: string }): Promise<FakeDuo> {
  const seen: SeenRequest[] = [];
  const queues = new Map<string, FakeReply[]>();
  const handler = (
    request: import('node:http').IncomingMessage,
    response: import('node:http').ServerResponse,
  ): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '').split('?')[0] ?? '';
      const entry = {
        method: request.method ?? '',
        path,
        headers: request.headers,
        rawBody,
        form: new URLSearchParams(rawBody),
      };
      seen.push(entry);
      const queue = queues.get(path) ?? [];
      const queued = queue.length > 1 ? queue.shift() : queue[0];
      const next = typeof queued === 'function' ? queued(entry) : queued;
      if (next === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no reply set');
      } else if (next === 'hang') {
        // Left open; closed by close().
      } else if (next === 'destroy') {
        request.socket.destroy();
      } else {
        const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
        response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(text);
      }
    });
  };
  const server: Server = tls === undefined ? createServer(handler) : createHttpsServer(tls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `${tls === undefined ? '127.0.0.1' : 'localhost'}:${port}`;
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://${host}`,
    host,
    seen,
    reply(path, ...replies) {
      queues.set(path, [...replies]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
}

export interface MintOptions {
  readonly header?: Record<string, unknown>;
  /** The HMAC actually computed (default sha512). */
  readonly hmac?: 'sha512' | 'sha256';
  readonly secret?: string;
}

/** A JWT built by hand: header and HMAC chosen separately, so a lying header can be minted too. */
export function mintJwt(claims: Record<string, unknown>, options: MintOptions = {}): string {
  const input = `${b64url(options.header ?? { alg: 'HS512', typ: 'JWT' })}.${b64url(claims)}`;
  const signature = createHmac(options.hmac ?? 'sha512', options.secret ?? CLIENT_SECRET)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/**
 * Checks a JWT the client sent, independently: header HS512, HMAC-SHA512 with the Client Secret; returns the claims.
 * Throws (failing the test) otherwise.
 */
export function verifyJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWT');
  const expected = createHmac('sha512', CLIENT_SECRET).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad HS512 signature');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}
