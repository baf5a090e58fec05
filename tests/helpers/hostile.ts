import assert from 'node:assert/strict';
import { writeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

import { isRecord, JWT_PATTERN } from './client-answers';
import type { HostileRequest } from './hostile-encoding';

/**
 * The invariants every answer to hostile input must keep (no 5xx, Strapi's error envelope, no token, no secret),
 * the client that sends the requests and counts them, and the runs' seed and size.
 */

export interface HostileResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export type AnswerKind = 'envelope' | 'graphql' | 'page';

const JWTS = new RegExp(JWT_PATTERN.source, 'g');

/** The JWTs a request carries anywhere (path, headers, body). */
export function tokensSent(request: HostileRequest): Set<string> {
  const text = `${request.path}\n${Object.values(request.headers).join('\n')}\n${bodyText(request) ?? ''}`;
  return new Set([...text.matchAll(JWTS)].map((m) => m[0]));
}

/**
 * No token (body or headers) and none of `secrets` anywhere in an answer. A token the request itself carried may
 * come back inside a validation message that quotes the input (Strapi's yup messages do): that is the caller's own
 * text, not a token the server issued.
 */
export function assertNoLeak(
  response: HostileResponse,
  secrets: readonly string[],
  what: string,
  reflected: ReadonlySet<string> = new Set(),
): void {
  const issued = (text: string) => [...text.matchAll(JWTS)].map((m) => m[0]).filter((t) => !reflected.has(t));
  assert.deepEqual(issued(response.text), [], `a token in the body: ${what}`);
  for (const [name, value] of response.headers) {
    assert.deepEqual(issued(value), [], `a token in the ${name} header: ${what}`);
  }
  const everything = `${response.text}\n${[...response.headers].map(([n, v]) => `${n}: ${v}`).join('\n')}`;
  for (const secret of secrets) assert.ok(!everything.includes(secret), `a secret in the answer: ${what}`);
}

/** What every answer to hostile input must keep, whatever the input. */
export function assertHostileAnswer(
  response: HostileResponse,
  kind: AnswerKind,
  secrets: readonly string[],
  what: string,
  reflected?: ReadonlySet<string>,
): void {
  const shown = `${what} → HTTP ${response.status} ${response.text.slice(0, 300)}`;
  assert.ok(response.status < 500, `server error: ${shown}`);
  assertNoLeak(response, secrets, what, reflected);
  if (response.status < 400 || response.status === 304) return;
  let body: unknown;
  try {
    body = JSON.parse(response.text) as unknown;
  } catch {
    // Apollo (Strapi's GraphQL plugin) refuses some requests before parsing them with a plain-text 400.
    if (kind === 'graphql') return;
    assert.fail(`an error that is not JSON: ${shown}`);
  }
  assert.ok(isRecord(body), shown);
  // GraphQL answers its own errors list, or Strapi's envelope when the request never reached Apollo.
  if (kind === 'graphql' && Array.isArray(body.errors) && body.errors.length > 0) return;
  assert.equal(body.data, null, `not Strapi's error envelope: ${shown}`);
  const error = body.error;
  assert.ok(isRecord(error), `not Strapi's error envelope: ${shown}`);
  assert.equal(error.status, response.status, shown);
  assert.equal(typeof error.name, 'string', shown);
  assert.equal(typeof error.message, 'string', shown);
  // Strapi leaves `details` out of the errors its body parser raises (bad JSON, 413); everything else has them.
  if ('details' in error) assert.ok(isRecord(error.details) || Array.isArray(error.details), shown);
}

/** Sends raw requests, counts them and the endpoints they went to. */
export class HostileClient {
  requests = 0;
  readonly endpoints = new Set<string>();

  constructor(readonly baseUrl: string) {}

  /**
   * One request on its own connection (node:http, no keep-alive): a connection the server closed after an error
   * must not fail the next request, and header bytes go out exactly as given.
   */
  send(endpoint: string, request: HostileRequest): Promise<HostileResponse> {
    this.requests += 1;
    this.endpoints.add(endpoint);
    // A request that takes the whole process down leaves no failure message: HOSTILE_TRACE=1 names each one first.
    if (process.env.HOSTILE_TRACE === '1') writeSync(2, `→ ${describeRequest(request)}\n`);
    return new Promise((resolve, reject) => {
      let responded = false;
      const outgoing = httpRequest(
        new URL(request.path, this.baseUrl),
        { method: request.method, headers: request.headers, agent: false, timeout: 60_000 },
        (incoming) => {
          responded = true;
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
            }
            resolve({ status: incoming.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      // The server may answer (413) and close before the whole body is written: the answer is what counts, and
      // only a connection that closes without one is a failure.
      let failure: Error | undefined;
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within 60 s: ${endpoint}`)));
      outgoing.on('error', (error: Error) => (failure = error));
      outgoing.on('close', () => {
        if (!responded) reject(new Error(`no answer (${failure?.message ?? 'connection closed'})`));
      });
      outgoing.end(request.body);
    });
  }

  /** Strapi's health route answers 204 as long as the process serves requests. */
  async assertHealthy(what: string): Promise<void> {
    const response = await fetch(new URL('/_health', this.baseUrl), { signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 204, `health probe after ${what}: HTTP ${response.status}`);
  }
}

/** The text of a request's body, decompressed as its Content-Encoding says. */
export function bodyText(request: HostileRequest): string | undefined {
  if (request.body === undefined || typeof request.body === 'string') return request.body;
  const encoding = request.headers['content-encoding'];
  const decode = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync }[encoding ?? ''];
  return (decode === undefined ? request.body : decode(request.body)).toString('utf8');
}

/** A short, printable account of a request for failure messages (the body cut to a few hundred characters). */
export function describeRequest(request: HostileRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value.length > 80 ? `${value.slice(0, 80)}…(${value.length})` : value}`)
    .join('; ');
  const text = bodyText(request);
  const body =
    text === undefined
      ? ''
      : ` body(${text.length}) ${JSON.stringify(text.slice(0, 200))}${text.length > 200 ? '…' : ''}`;
  return `${request.method} ${request.path.slice(0, 200)} [${headers}]${body}`;
}

/** HOSTILE_RUNS, the runs per endpoint (200 unless set). 0, or anything but a whole number from 1, would pass
 * without trying any input: refused. */
export function runsPerEndpoint(raw: string | undefined): number {
  if (raw === undefined) return 200;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(
      `HOSTILE_RUNS must be a whole number from 1, not "${raw}": a run that tries nothing proves nothing`,
    );
  }
  return runs;
}

/** The seed of this run: HOSTILE_SEED to replay one, else a fresh one; printed so any failure can be replayed. */
export function hostileSeed(): number {
  const given = process.env.HOSTILE_SEED;
  const seed = given !== undefined && /^-?[0-9]+$/.test(given) ? Number(given) : Date.now() % 2 ** 31;
  console.log(`hostile input: seed ${seed} (replay with HOSTILE_SEED=${seed})`);
  return seed;
}
