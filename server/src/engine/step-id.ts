import { createHash, randomBytes } from 'node:crypto';

/**
 * The pending step between password and Duo is an opaque random id (256 bits), not a token: it grants nothing by
 * itself, and only its SHA-256 is stored, so a database reader cannot finish someone else's login.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newStepId(): string {
  return randomBytes(32).toString('base64url');
}

export function isStepId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function hashStepId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}
