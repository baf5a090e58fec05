import assert from 'node:assert/strict';
import { writeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';

import fc from 'fast-check';

import { isRecord, JWT_PATTERN } from './clients-harness';

/**
 * Hostile input for property-based tests of HTTP endpoints: JSON values with prototype-pollution and operator keys,
 * wrong types, huge and odd strings; bodies in every content type; query strings; authorization headers; and the
 * invariants every answer must keep (no 5xx, Strapi's error envelope, no token, no secret).
 */

// --- values ------------------------------------------------------------------------------------------------------

/** A JSON object as a list of entries, so keys like `__proto__` and duplicate keys reach the wire as written. */
export class Entries {
  constructor(readonly entries: ReadonlyArray<readonly [string, Node]>) {}
}
export type Node = null | boolean | number | string | readonly Node[] | Entries;

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const OPERATOR_KEYS = ['$ne', '$gt', '$in', '$where', '$or', '$null', 'a.b', '', ' ', '0', '[]'] as const;

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  `${'A'.repeat(42)}\u0000`,
  '\ud800',
  '\udfff\ud800',
  '\u202e\u200b\ufeff',
  '😀'.repeat(43),
  'é'.repeat(43),
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  "' OR 1=1 --",
  '"; DROP TABLE duo_security_transactions; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0x10',
  '1e999',
  '\r\n\r\nHTTP/1.1 200 OK',
] as const;

/** Strings that break things: control characters, lone surrogates, unicode, injection text, huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom('A'.repeat(10_000), '9'.repeat(100_000), 'é\u0000'.repeat(20_000)) },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, 2 ** 53 + 1, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, Infinity, -Infinity, NaN),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...OPERATOR_KEYS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

export const scalar: fc.Arbitrary<Node> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);

/** Any JSON value (nested a few levels) with hostile keys and scalars. */
export const hostileJson: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(hostileKey, tie('node')), { maxLength: 4 }).map((entries) => new Entries(entries)),
    },
  ),
})).node;

/**
 * An object body for an endpoint whose fields are known: some of them (each with a value from its own arbitrary,
 * well-formed or not), sometimes with extra hostile keys. Fields missing from `fields` are not sent.
 */
export function objectWith(fields: Readonly<Record<string, fc.Arbitrary<Node>>>): fc.Arbitrary<Entries> {
  const names = Object.keys(fields);
  const known = names.length === 0 ? fc.constant([]) : fc.subarray(names);
  return fc
    .tuple(
      known.chain((chosen) =>
        chosen.length === 0
          ? fc.constant([] as Array<readonly [string, Node]>)
          : fc.tuple(...chosen.map((name) => fields[name]!.map((value) => [name, value] as const))),
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant([] as Array<readonly [string, Node]>) },
        { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, hostileJson), { minLength: 1, maxLength: 2 }) },
      ),
    )
    .map(([chosen, extra]) => new Entries([...chosen, ...extra]));
}

/** The value of a known field: a plausible one (from `valid`), a wrong type, or anything at all. */
export function field(...valid: Array<fc.Arbitrary<Node>>): fc.Arbitrary<Node> {
  return fc.oneof(
    ...valid.map((arbitrary) => ({ weight: 4, arbitrary })),
    { weight: 2, arbitrary: scalar },
    { weight: 1, arbitrary: hostileJson },
    { weight: 1, arbitrary: fc.constant(new Entries([['$ne', null]])) },
  );
}

export const STEP_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const base64url = (length: number) =>
  fc.string({ unit: fc.constantFrom(...STEP_ID_CHARS), minLength: length, maxLength: length });

/**
 * Step ids of every shape: well-formed ones of no step, real ones (`live()` reads the current pool: open,
 * used up, denied), real ones one character off, too short or long, with padding, case-swapped, URL-encoded.
 */
export function anyStepId(live: () => readonly string[]): fc.Arbitrary<Node> {
  const real = fc.nat().map((i) => {
    const pool = live();
    return pool[i % pool.length] ?? 'A'.repeat(43);
  });
  return fc.oneof(
    { weight: 3, arbitrary: base64url(43) },
    { weight: 3, arbitrary: real },
    {
      weight: 2,
      arbitrary: fc.tuple(real, fc.nat(42), fc.constantFrom(...STEP_ID_CHARS)).map(([id, at, c]) => {
        return `${id.slice(0, at)}${c}${id.slice(at + 1)}`;
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(real, fc.constantFrom('short', 'long', 'pad', 'case', 'encode', 'nul', 'double')).map(
        ([id, how]) =>
          ({
            short: id.slice(0, 42),
            long: `${id}A`,
            pad: ` ${id}\n`,
            case: id.replace(/[a-z]/g, (c) => c.toUpperCase()),
            encode: encodeURIComponent(`${id}==`),
            nul: `${id}\u0000`,
            double: `${id}${id}`,
          })[how] ?? id,
      ),
    },
    { weight: 1, arbitrary: fc.oneof(base64url(0), base64url(1), base64url(44), base64url(512)) },
    { weight: 1, arbitrary: real.map((id) => [id] as Node) },
  );
}

// --- serialisation -----------------------------------------------------------------------------------------------

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'null';
  if (value === Infinity) return '1e999';
  if (value === -Infinity) return '-1e999';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/** JSON text of a value, keys exactly as written (duplicates and `__proto__` included). */
export function toJson(node: Node): string {
  if (node === null || typeof node === 'boolean') return String(node);
  if (typeof node === 'number') return numberText(node);
  if (typeof node === 'string') return JSON.stringify(node);
  if (node instanceof Entries)
    return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${toJson(value)}`).join(',')}}`;
  return `[${node.map(toJson).join(',')}]`;
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its three WTF-8 bytes: bytes the
 * server's own decodeURIComponent refuses in turn.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** Name/value pairs as qs (Strapi's query and form parser) reads them: `b[c]=2`, `b[d][]=3`; scalars as text. */
function pairs(node: Node, prefix = ''): Array<readonly [string, string]> {
  if (node instanceof Entries) {
    if (node.entries.length === 0 && prefix !== '') return [[prefix, '']];
    return node.entries.flatMap(([key, value]) => pairs(value, prefix === '' ? key : `${prefix}[${key}]`));
  }
  if (Array.isArray(node)) return node.flatMap((value) => pairs(value, `${prefix}[]`));
  const text = typeof node === 'number' ? numberText(node) : String(node);
  return [prefix === '' ? [text, ''] : [prefix, text]];
}

/** A query string (or form body) of a value: `a=1&b[c]=2&b[d][]=3`. */
export function toQuery(node: Node): string[] {
  return pairs(node).map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`);
}

function toXml(node: Node, name = 'body'): string {
  const tag = name.replace(/[^A-Za-z0-9_]/g, '_') || '_';
  if (node instanceof Entries) return `<${tag}>${node.entries.map(([k, v]) => toXml(v, k)).join('')}</${tag}>`;
  if (Array.isArray(node)) return node.map((value) => toXml(value, tag)).join('');
  return `<${tag}>${String(node).replace(/[<&]/g, '&amp;')}</${tag}>`;
}

function toMultipart(node: Node, boundary: string): string {
  const parts = pairs(node).map(([name, value]) => {
    const safe = name.replace(/["\r\n]/g, '_');
    return `--${boundary}\r\nContent-Disposition: form-data; name="${safe}"\r\n\r\n${value}\r\n`;
  });
  return `${parts.join('')}--${boundary}--\r\n`;
}

// --- requests ----------------------------------------------------------------------------------------------------

export interface HostileRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface EncodedBody {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly body?: string | Buffer;
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/json-patch+json',
  'application/csp-report',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=made-up',
] as const;

const OTHER_TYPES = [
  'text/plain',
  'application/xml',
  'text/xml',
  'application/octet-stream',
  'application/graphql',
  'image/png',
  '',
  ';;;',
  'application/json/../x',
] as const;

/** The body of a request in every content type, matching or not its text. */
export function encodedBody(value: fc.Arbitrary<Node>): fc.Arbitrary<EncodedBody> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(value, fc.constantFrom(...JSON_TYPES)).map(([v, t]) => json(v, t)) },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fc.nat()).map(([v, cut]) => {
        const text = toJson(v);
        return { contentType: 'application/json', body: text.slice(0, cut % Math.max(1, text.length)) };
      }),
    },
    {
      weight: 2,
      arbitrary: value.map((v) => ({ contentType: 'application/x-www-form-urlencoded', body: toQuery(v).join('&') })),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => ({ contentType: 'multipart/form-data; boundary=XyZ', body: toMultipart(v, 'XyZ') })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fc.constantFrom(...OTHER_TYPES)).map(([v, t]) => ({
        contentType: t,
        body: t.includes('xml') ? toXml(v) : toJson(v),
      })),
    },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      // Compressed bodies are well-formed: one that is not what its Content-Encoding says is a 500 from Strapi's
      // body parser on every route (shown apart in the hostile test). Unknown encodings are a 415.
      weight: 1,
      arbitrary: fc.tuple(value, fc.constantFrom('gzip', 'deflate', 'identity', 'br', 'compress')).map(([v, e]) => ({
        contentType: 'application/json',
        contentEncoding: e,
        body: ({ gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[e] ?? Buffer.from)(toJson(v)),
      })),
    },
  );
}

function json(value: Node, contentType = 'application/json'): EncodedBody {
  return { contentType, body: toJson(value) };
}

/**
 * Header values Node's HTTP client sends (bytes 0x20–0x7E and 0x80–0xFF). All headers of a request stay under
 * Node's 16 KiB limit, beyond which Node itself answers 431 before Strapi sees anything (tested apart).
 */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c === 0x7f ? 0x7e : c)),
    maxLength: 80,
  }),
  fc.constantFrom('', ' ', 'A'.repeat(1_000)),
);

/** Extra request headers that a proxy or an attacker might add. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .subarray(['x-forwarded-for', 'x-real-ip', 'accept', 'accept-language', 'if-none-match', 'origin', 'cookie'])
  .chain((names) =>
    names.length === 0
      ? fc.constant({})
      : fc
          .tuple(...names.map(() => headerText))
          .map((values) => Object.fromEntries(names.map((name, i) => [name, values[i]!]))),
  );

/** A JWT with any header and payload and a chosen signature (or none), as an attacker would write it. */
export function forgeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

/** Authorization values that are not what they claim: junk, wrong schemes, alg-none, oversized. */
export const junkAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer  x',
    'Basic YTpi',
    'Bearer null',
    'Bearer undefined',
    `Bearer ${'A'.repeat(43)}`,
    `Bearer ${'a'.repeat(6_000)}`,
    'Bearer eyJ.eyJ.',
    'Bearer ...',
  ),
  headerText.map((text) => `Bearer ${text}`),
  headerText,
  fc
    .tuple(
      fc.constantFrom('none', 'None', 'NONE', 'HS256', 'RS256', 'ES256', ''),
      fc.oneof(
        fc.constant(1),
        fc.constant('1'),
        fc.constant(-1),
        fc.constant(1.5),
        fc.constant(2 ** 53),
        fc.constant(null),
        fc.constant({ $ne: null }),
        fc.constant([1]),
      ),
      fc.constantFrom('allow', 'bypass', 'fail-open', 'recovery', 'yes', ''),
      fc.constantFrom('', 'c2ln', 'AAAA'),
    )
    .map(([alg, id, duo, signature]) => `Bearer ${forgeJwt({ alg, typ: 'JWT' }, { id, duo }, signature)}`),
);

// --- invariants --------------------------------------------------------------------------------------------------

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
