import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

/** Duo's identifiers are a two-letter kind prefix plus 18 uppercase alphanumerics (20 in all). */
export const newIntegrationKey = (): string => `DI${randomFrom(UPPER_ALNUM, 18)}`;
export const newSecretKey = (): string => randomFrom(MIXED_ALNUM, 40);
export const newUserId = (): string => `DU${randomFrom(UPPER_ALNUM, 18)}`;
export const newPhoneId = (): string => `DP${randomFrom(UPPER_ALNUM, 18)}`;
/** Hardware tokens carry a different prefix in Duo's own fixtures (`DHEKH0JJIYC1LX3AZWO4`). */
export const newTokenId = (): string => `DH${randomFrom(UPPER_ALNUM, 18)}`;
export const newTxid = (): string => randomUUID();
export const newActivationSecret = (): string => randomFrom(MIXED_ALNUM, 20);
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Passcodes are strings: a leading zero is part of the code. */
export function randomDigits(length: number): string {
  return randomFrom('0123456789', length);
}
