import { randomDigits } from './ids';

export const PASSCODE_LENGTH = 6;
export const SMS_BATCH_SIZE = 10;

export interface SmsCode {
  readonly code: string;
  used: boolean;
}

export interface SmsBatch {
  readonly codes: readonly SmsCode[];
  readonly sentMs: number;
}

/** A fresh generator value, never equal to the one it replaces, so a used code is dead at once. */
export function nextPasscode(previous?: string): string {
  let code = randomDigits(PASSCODE_LENGTH);
  while (code === previous) code = randomDigits(PASSCODE_LENGTH);
  return code;
}

/**
 * Duo numbers the codes of one SMS by their first digit (1, 2, … 9, 0) and tells the client, through
 * `sms_nextcode`, which one the user should type next.
 */
export function newSmsBatch(sentMs: number): SmsBatch {
  const codes: SmsCode[] = [];
  for (let i = 1; i <= SMS_BATCH_SIZE; i += 1) {
    codes.push({ code: `${i % 10}${randomDigits(PASSCODE_LENGTH - 1)}`, used: false });
  }
  return { codes, sentMs };
}

export function smsNextcode(batch: SmsBatch | null): string | undefined {
  return batch?.codes.find((c) => !c.used)?.code.charAt(0);
}

export function smsText(batch: SmsBatch): string {
  return `Duo passcodes: ${batch.codes.map((c) => c.code).join(' ')}`;
}
