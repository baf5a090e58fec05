import { newTxid, randomDigits } from './ids';
import type { SandboxClock } from './clock';
import type { TimerSet } from './timers';
import type { TransactionStatus } from './types';

export type AuthResult = 'waiting' | 'allow' | 'deny';
export type Factor = 'push' | 'phone' | 'sms' | 'passcode' | 'none';

export interface AuthOutcome {
  readonly result: AuthResult;
  readonly status: TransactionStatus;
  readonly status_msg: string;
}

/** The wording of Duo's captured replies where there is one. */
const DEFAULT_MESSAGES: Readonly<Record<TransactionStatus, AuthOutcome>> = {
  pushed: { result: 'waiting', status: 'pushed', status_msg: 'Pushed a login request to your device...' },
  calling: { result: 'waiting', status: 'calling', status_msg: 'Calling your phone...' },
  answered: { result: 'waiting', status: 'answered', status_msg: 'Answered. Press any key to log in.' },
  allow: { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' },
  deny: { result: 'deny', status: 'deny', status_msg: 'Login request denied.' },
  fraud: { result: 'deny', status: 'fraud', status_msg: 'Login request reported as fraudulent.' },
  timeout: { result: 'deny', status: 'timeout', status_msg: 'Login timed out.' },
  sent: { result: 'deny', status: 'sent', status_msg: 'New SMS passcodes sent.' },
  bypass: { result: 'allow', status: 'bypass', status_msg: 'Bypassing two-factor authentication.' },
  locked_out: { result: 'deny', status: 'locked_out', status_msg: 'Your account is locked out.' },
};

export function outcomeOf(status: TransactionStatus, statusMsg?: string): AuthOutcome {
  const base = DEFAULT_MESSAGES[status];
  return statusMsg === undefined ? base : { ...base, status_msg: statusMsg };
}

export interface TransactionDetails {
  readonly type?: string;
  readonly display_username?: string;
  readonly pushinfo: Readonly<Record<string, string>>;
  readonly ipaddr?: string;
  readonly hostname?: string;
}

export interface Transaction {
  readonly txid: string;
  readonly userId: string;
  readonly deviceId: string | null;
  readonly factor: Factor;
  readonly createdMs: number;
  readonly expiresMs: number;
  /** Verified Push: the code approval must repeat; null for an ordinary push. */
  readonly verificationCode: string | null;
  readonly details: TransactionDetails;
  outcome: AuthOutcome;
  /** Bumped on every status change; auth_status long-polls wait for it to move past what they last saw. */
  version: number;
  lastPolledVersion: number;
  readonly listeners: Set<() => void>;
  readonly cancelTimers: Array<() => void>;
}

/** A Verified Push code issued by preauth, waiting for the push that carries its txid. */
export interface PushChallenge {
  readonly txid: string;
  readonly userId: string;
  readonly verificationCode: string;
  readonly expiresMs: number;
}

export const VERIFIED_PUSH_LIFETIME_MS = 60_000;

export interface NewTransaction {
  readonly txid?: string;
  readonly userId: string;
  readonly deviceId: string | null;
  readonly factor: Factor;
  readonly outcome: AuthOutcome;
  readonly verificationCode?: string | null;
  readonly details?: TransactionDetails;
}

export class TransactionStore {
  readonly #transactions = new Map<string, Transaction>();
  readonly #challenges = new Map<string, PushChallenge>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly timers: TimerSet,
    private readonly pushTimeoutMs: number,
  ) {}

  create(input: NewTransaction): Transaction {
    const now = this.clock.nowMs();
    const tx: Transaction = {
      txid: input.txid ?? newTxid(),
      userId: input.userId,
      deviceId: input.deviceId,
      factor: input.factor,
      createdMs: now,
      expiresMs: now + this.pushTimeoutMs,
      verificationCode: input.verificationCode ?? null,
      details: input.details ?? { pushinfo: {} },
      outcome: input.outcome,
      version: 0,
      lastPolledVersion: -1,
      listeners: new Set(),
      cancelTimers: [],
    };
    this.#transactions.set(tx.txid, tx);
    if (tx.outcome.result === 'waiting') {
      const timeout =
        tx.factor === 'phone' ? outcomeOf('deny', 'No keypress detected. Please try again.') : outcomeOf('timeout');
      this.after(tx, this.pushTimeoutMs, () => this.settle(tx, timeout));
    }
    return tx;
  }

  get(txid: string): Transaction | undefined {
    return this.#transactions.get(txid);
  }

  waiting(): Transaction[] {
    return [...this.#transactions.values()].filter((tx) => tx.outcome.result === 'waiting');
  }

  /** Runs `fn` after `ms` for as long as the transaction is still waiting. */
  after(tx: Transaction, ms: number, fn: () => void): void {
    tx.cancelTimers.push(
      this.timers.schedule(ms, () => {
        if (tx.outcome.result === 'waiting') fn();
      }),
    );
  }

  /** Moves a waiting transaction on; a decided one never changes again. Returns whether it moved. */
  settle(tx: Transaction, outcome: AuthOutcome): boolean {
    if (tx.outcome.result !== 'waiting') return false;
    tx.outcome = outcome;
    tx.version += 1;
    if (outcome.result !== 'waiting') {
      for (const cancel of tx.cancelTimers.splice(0)) cancel();
    }
    for (const listener of [...tx.listeners]) listener();
    return true;
  }

  /**
   * Resolves when the transaction moves past `version`, after `maxMs`, or when the sandbox closes,
   * whichever comes first. `signal` lets a handler stop waiting for a client that went away.
   */
  waitForChange(tx: Transaction, version: number, maxMs: number, signal?: AbortSignal): Promise<void> {
    if (tx.version !== version || this.timers.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        tx.listeners.delete(done);
        cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.timers.schedule(maxMs, done);
      tx.listeners.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Wakes every waiting long-poll and sync /auth so they answer before the sockets go. */
  wakeAll(): void {
    for (const tx of this.#transactions.values()) for (const listener of [...tx.listeners]) listener();
  }

  issueChallenge(userId: string): PushChallenge {
    const challenge: PushChallenge = {
      txid: newTxid(),
      userId,
      verificationCode: randomDigits(6),
      expiresMs: this.clock.nowMs() + VERIFIED_PUSH_LIFETIME_MS,
    };
    this.#challenges.set(challenge.txid, challenge);
    return challenge;
  }

  /** The challenge for this user's push, consumed: one preauth code backs one push. */
  takeChallenge(txid: string, userId: string): PushChallenge | undefined {
    const challenge = this.#challenges.get(txid);
    if (!challenge || challenge.userId !== userId || challenge.expiresMs < this.clock.nowMs()) return undefined;
    this.#challenges.delete(txid);
    return challenge;
  }

  removeUser(userId: string): void {
    for (const tx of this.#transactions.values()) {
      if (tx.userId === userId) this.settle(tx, outcomeOf('deny', 'User removed.'));
    }
    for (const [txid, challenge] of this.#challenges) if (challenge.userId === userId) this.#challenges.delete(txid);
  }
}
