import { randomBytes } from 'node:crypto';

import type { SandboxClock } from '../clock';
import { invalidGrant } from './errors';

/** What an approved prompt hands to `/oauth/v1/token`, and what the id_token then says. */
export interface CodeGrant {
  readonly clientId: string;
  /** Exactly as signed in the request object: `/token` must send the same bytes. */
  readonly redirectUri: string;
  readonly username: string;
  readonly userKey: string;
  readonly nonce?: string;
  readonly appName?: string;
  readonly factor: string;
  readonly result: 'allow' | 'deny';
  readonly statusMsg: string;
  readonly txid: string;
  /** Unix seconds on the sandbox clock when the person answered. */
  readonly authTime: number;
}

interface Entry {
  readonly grant: CodeGrant;
  readonly expiresSec: number;
}

/**
 * Authorization codes: random, short-lived, single use, bound to one client and one redirect URI. Any
 * presentation spends the code, even a refused one, so a stolen code cannot be retried with other bindings.
 */
export class CodeStore {
  readonly #codes = new Map<string, Entry>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly ttlSec: number,
  ) {}

  issue(grant: CodeGrant): string {
    this.#sweep();
    const code = randomBytes(24).toString('hex');
    this.#codes.set(code, { grant, expiresSec: this.clock.nowMs() / 1000 + this.ttlSec });
    return code;
  }

  redeem(code: string, clientId: string, redirectUri: string): CodeGrant {
    const entry = this.#codes.get(code);
    this.#codes.delete(code);
    if (!entry) throw invalidGrant();
    if (entry.expiresSec <= this.clock.nowMs() / 1000) throw invalidGrant();
    if (entry.grant.clientId !== clientId || entry.grant.redirectUri !== redirectUri) throw invalidGrant();
    return entry.grant;
  }

  get size(): number {
    return this.#codes.size;
  }

  #sweep(): void {
    const now = this.clock.nowMs() / 1000;
    for (const [code, entry] of this.#codes) if (entry.expiresSec <= now) this.#codes.delete(code);
  }
}
