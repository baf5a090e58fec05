import { DuoError } from './errors';

/**
 * Field readers for Duo's replies. Duo may add fields at any time (ignored) but a known field of the wrong type
 * means the reply cannot be trusted, so it is a protocol error.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function protocolError(path: string, what: string): DuoError {
  return new DuoError({ reason: 'protocol', message: `Duo's reply to ${path} is malformed: ${what}`, path });
}

export function requireObject(value: unknown, path: string, what: string): JsonObject {
  if (!isObject(value)) throw protocolError(path, `${what} is not an object`);
  return value;
}

export function requireString(obj: JsonObject, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw protocolError(path, `"${key}" is not a string`);
  return value;
}

export function optionalString(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw protocolError(path, `"${key}" is not a string`);
  return value;
}

export function requireNumber(obj: JsonObject, key: string, path: string): number {
  const value = obj[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw protocolError(path, `"${key}" is not a number`);
}

export function optionalNumber(obj: JsonObject, key: string, path: string): number | undefined {
  if (obj[key] === undefined || obj[key] === null) return undefined;
  return requireNumber(obj, key, path);
}

/** Duo's `result` field, checked against the values this call understands: anything else fails closed. */
export function requireResult<T extends string>(obj: JsonObject, allowed: readonly T[], path: string): T {
  const value = obj.result;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DuoError({
    reason: 'unexpected-result',
    message: `Duo answered ${path} with a result this client does not know; treating it as a refusal`,
    path,
  });
}
