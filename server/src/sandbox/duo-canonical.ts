import { createHash, createHmac } from 'node:crypto';

/**
 * The sandbox's own reading of Duo's canonical request (duo-auth-api.md §1.2–§1.3), written from the spec and not
 * from the client's `duo/signing.ts`: if both were one module, a mistake in it would sign and verify alike and no
 * test would notice. Nothing here may import from `../duo`.
 */

/** Bytes left as they are (§1.2): RFC 3986's unreserved set. Everything else is `%XX` per UTF-8 byte. */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

const HEX = '0123456789ABCDEF';

/** Percent-encodes the UTF-8 bytes of `text` byte by byte, with uppercase hex digits. */
export function duoPercentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return out;
}

/** Plain byte comparison: encoded text is ASCII, so comparing code units compares bytes. */
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Key → values, as received (query, form body) or as a vector lists them. */
export type ParamLists = Readonly<Record<string, readonly string[]>>;

/** Canonical line 5: `key=value` pairs, encoded, sorted by encoded key and then by encoded value, joined by `&`. */
export function paramsLine(params: ParamLists): string {
  const pairs: Array<readonly [string, string]> = [];
  for (const key of Object.keys(params)) {
    const encodedKey = duoPercentEncode(key);
    for (const value of params[key] ?? []) pairs.push([encodedKey, duoPercentEncode(value)]);
  }
  pairs.sort((x, y) => compareBytes(x[0], y[0]) || compareBytes(x[1], y[1]));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** Lowercase hex SHA-512 of bytes (a body as received) or of a string's UTF-8 bytes. */
export function sha512Of(data: Buffer | string): string {
  return createHash('sha512')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}

/**
 * The text hashed on v5's line 7: `x-duo-*` names lowercased, sorted, then name, value, name, value… joined by NUL.
 * Undefined when Duo's clients would refuse to send the set at all (another prefix, NUL inside, a name twice after
 * lowercasing): a request Duo's clients cannot produce is not one the sandbox should accept.
 */
export function xDuoHeaderText(headers: Readonly<Record<string, string>>): string | undefined {
  const entries: Array<readonly [string, string]> = [];
  const seen = new Set<string>();
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('x-duo-') || name.includes('\0') || value.includes('\0') || seen.has(name)) return undefined;
    seen.add(name);
    entries.push([name, value]);
  }
  entries.sort((x, y) => compareBytes(x[0], y[0]));
  return entries.map(([name, value]) => `${name}\0${value}`).join('\0');
}

export interface CanonicalParts {
  /** The date header's value, byte for byte. */
  readonly date: string;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly params: ParamLists;
}

/** v2 (§1.3): date, METHOD, host, path, params. Method upper-cased and host lower-cased, as Duo rebuilds them. */
export function canonicalV2(parts: CanonicalParts): string {
  return [parts.date, parts.method.toUpperCase(), parts.host.toLowerCase(), parts.path, paramsLine(parts.params)].join(
    '\n',
  );
}

/** v5 (§1.3): v2's five lines (query parameters only), the body's hash, the `x-duo-*` headers' hash. */
export function canonicalV5(parts: CanonicalParts, body: Buffer | string, xDuoText: string): string {
  return [canonicalV2(parts), sha512Of(body), sha512Of(xDuoText)].join('\n');
}

export function hmacOf(algorithm: 'sha1' | 'sha512', secretKey: string, canonical: string): string {
  return createHmac(algorithm, Buffer.from(secretKey, 'utf8')).update(Buffer.from(canonical, 'utf8')).digest('hex');
}
