import { randomInt, scrypt, timingSafeEqual, randomBytes } from 'node:crypto';

/**
 * Backup codes as people read, type and keep them, and as the database keeps them: only a slow, salted hash
 * (scrypt), so a copy of the database does not hand out codes that skip Duo.
 */

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives; 10 symbols are 50 bits.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;
const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

/** A fresh code, `XXXXX-XXXXX`. */
export function newBackupCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * What a person typed, as the code it means: case, spaces and dashes do not matter, and the letters Crockford's
 * alphabet leaves out are read as the digits they look like. Undefined when it cannot be a code.
 */
export function normaliseBackupCode(typed: string): string | undefined {
  if (typed.length > 40) return undefined;
  const symbols = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length !== LENGTH || [...symbols].some((c) => !ALPHABET.includes(c))) return undefined;
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

function derive(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashBackupCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(code, salt);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function backupCodeMatches(code: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  if (Number(n) !== SCRYPT.N || Number(r) !== SCRYPT.r || Number(p) !== SCRYPT.p) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(code, Buffer.from(salt, 'base64url'));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
