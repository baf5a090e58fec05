import { createHash, randomBytes } from 'node:crypto';

/**
 * The pending step between password and Duo is an opaque random id (256 bits), not a token: it grants nothing by
 * itself, and only its SHA-256 is stored, so a database reader cannot finish someone else's login.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newTransactionId(): string {
  return randomBytes(32).toString('base64url');
}

export function isTransactionId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function hashTransactionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}
