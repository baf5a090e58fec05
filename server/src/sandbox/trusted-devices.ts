import type { SandboxClock } from './clock';
import { SandboxControlError } from './errors';
import { randomHex } from './ids';

/** Duo lets an administrator remember devices for at most a year. */
export const MAX_REMEMBER_SECONDS = 365 * 86_400;

interface TrustedDevice {
  readonly userId: string;
  readonly expiresMs: number;
}

/**
 * The application's "Remembered devices" policy: off by default, as in Duo. When on, an allowed `/auth` (or its
 * `auth_status`) hands out a `trusted_device_token`, and `preauth` given that token for the same user answers
 * `allow` until the policy's period has passed. Tokens are opaque and bound to the Duo user that earned them.
 */
export class TrustedDeviceStore {
  #periodSec: number | null = null;
  readonly #tokens = new Map<string, TrustedDevice>();

  constructor(private readonly clock: SandboxClock) {}

  /** The period a device is remembered for, in seconds; null while the policy is off. */
  get periodSec(): number | null {
    return this.#periodSec;
  }

  /** Turning the policy off (null) forgets every remembered device, as turning it off in Duo does. */
  setPolicy(periodSec: number | null): void {
    if (
      periodSec !== null &&
      !(Number.isSafeInteger(periodSec) && periodSec >= 1 && periodSec <= MAX_REMEMBER_SECONDS)
    ) {
      throw new SandboxControlError(400, `The remembered-devices period is 1 to ${MAX_REMEMBER_SECONDS} seconds`);
    }
    this.#periodSec = periodSec;
    if (periodSec === null) this.#tokens.clear();
  }

  /** A token for a user Duo has just allowed, while the policy is on. */
  issue(userId: string): string | undefined {
    if (this.#periodSec === null) return undefined;
    const token = randomHex(32);
    this.#tokens.set(token, { userId, expiresMs: this.clock.nowMs() + this.#periodSec * 1000 });
    return token;
  }

  /** Whether `preauth` may allow this user on this token: policy on, the same user, not expired. */
  honours(token: string | undefined, userId: string): boolean {
    if (this.#periodSec === null || token === undefined || token === '') return false;
    const device = this.#tokens.get(token);
    if (device === undefined) return false;
    if (device.expiresMs <= this.clock.nowMs()) {
      this.#tokens.delete(token);
      return false;
    }
    return device.userId === userId;
  }

  /** How many unexpired tokens the user holds (for tests and the state snapshot). */
  count(userId: string): number {
    const now = this.clock.nowMs();
    let n = 0;
    for (const device of this.#tokens.values()) if (device.userId === userId && device.expiresMs > now) n += 1;
    return n;
  }

  removeUser(userId: string): void {
    for (const [token, device] of this.#tokens) if (device.userId === userId) this.#tokens.delete(token);
  }
}
