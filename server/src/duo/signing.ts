import { createHash, createHmac } from 'node:crypto';

/**
 * Duo request signing (Auth API v2 "sig v2" and "sig v5").
 *
 * The canonical text is what Duo's servers rebuild from the request they receive; the client and the sandbox
 * both use this one module so that they cannot drift apart.
 */

export type SignatureVersion = 2 | 5;
/** Versions 1 (no date) and 4 (no header hash) are obsolete; they are kept so every published vector reproduces. */
export type CanonicalVersion = 1 | SignatureVersion | 4;
export type HmacAlgorithm = 'sha1' | 'sha512';

/** Parameters as Duo canonicalises them: every key maps to one or more string values. */
export type DuoParams = Readonly<Record<string, string | readonly string[]>>;

export interface CanonicalInput {
  /** RFC 2822 date, exactly as sent in the `Date` / `X-Duo-Date` header (unused by v1). */
  readonly date: string | null;
  readonly method: string;
  /** API hostname; lowercased here, never with a port. */
  readonly host: string;
  readonly path: string;
  /** Query (GET) or form (v2 POST) parameters. For v5 POST these are query parameters only. */
  readonly params: DuoParams;
  /** v5 only: the exact body string sent (`null` means no body). */
  readonly body?: string | null;
  /** v5 only: request headers whose names start with `x-duo-`. */
  readonly xDuoHeaders?: Readonly<Record<string, string>> | null;
}

/** Duo's unreserved set is RFC 3986's: `encodeURIComponent` leaves `!'()*` alone, Duo does not. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function byteOrder(a: string, b: string): number {
  // Encoded strings are ASCII, so code-unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The parameter line: encoded pairs sorted by encoded key (then value), joined with `&`. */
export function canonicalParams(params: DuoParams): string {
  const pairs: Array<[string, string]> = [];
  for (const [key, raw] of Object.entries(params)) {
    const values = typeof raw === 'string' ? [raw] : [...raw];
    const encodedKey = percentEncode(key);
    for (const value of values.map(percentEncode).sort(byteOrder)) pairs.push([encodedKey, value]);
  }
  pairs.sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function sha512Hex(text: string): string {
  return createHash('sha512').update(text, 'utf8').digest('hex');
}

/** Hash of the `x-duo-*` headers: lowercased names, sorted, flattened as name, value, … joined with NUL. */
export function canonicalXDuoHeaders(headers: Readonly<Record<string, string>> | null | undefined): string {
  const entries = Object.entries(headers ?? {}).map(([name, value]): [string, string] => [name.toLowerCase(), value]);
  for (const [name, value] of entries) {
    if (!name.startsWith('x-duo-')) throw new TypeError(`Not an X-Duo header: ${name}`);
    if (name.includes('\0') || value.includes('\0')) throw new TypeError('X-Duo headers must not contain NUL bytes');
  }
  const names = new Set(entries.map(([name]) => name));
  if (names.size !== entries.length) throw new TypeError('Duplicate X-Duo header names');
  entries.sort((a, b) => byteOrder(a[0], b[0]));
  return entries.flat().join('\0');
}

export function canonicalize(version: CanonicalVersion, input: CanonicalInput): string {
  const lines: string[] = [];
  if (version !== 1) {
    if (input.date === null) throw new TypeError(`Signature v${version} needs a date`);
    lines.push(input.date);
  }
  lines.push(input.method.toUpperCase(), input.host.toLowerCase(), input.path, canonicalParams(input.params));
  if (version >= 4) lines.push(sha512Hex(input.body ?? ''));
  if (version === 5) lines.push(sha512Hex(canonicalXDuoHeaders(input.xDuoHeaders)));
  return lines.join('\n');
}

export function hmacHex(algorithm: HmacAlgorithm, secretKey: string, canonical: string): string {
  return createHmac(algorithm, Buffer.from(secretKey, 'utf8')).update(canonical, 'utf8').digest('hex');
}

export function basicAuthorization(integrationKey: string, hexSignature: string): string {
  return `Basic ${Buffer.from(`${integrationKey}:${hexSignature}`, 'utf8').toString('base64')}`;
}

export interface SignInput extends CanonicalInput {
  readonly integrationKey: string;
  readonly secretKey: string;
}

export interface Signature {
  readonly canonical: string;
  readonly hexSignature: string;
  readonly authorization: string;
}

/** v5 always uses HMAC-SHA512; v2 defaults to SHA512 as Duo's current clients do (SHA1 is legacy). */
export function sign(version: SignatureVersion, input: SignInput, algorithm: HmacAlgorithm = 'sha512'): Signature {
  if (version === 5 && algorithm !== 'sha512') throw new TypeError('Signature v5 is always HMAC-SHA512');
  const canonical = canonicalize(version, input);
  const hexSignature = hmacHex(algorithm, input.secretKey, canonical);
  return { canonical, hexSignature, authorization: basicAuthorization(input.integrationKey, hexSignature) };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** RFC 2822 in UTC with English names and a numeric zone, independent of the process locale. */
export function formatRfc2822(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}
