import { ActivationStore, type Activation } from './activations';
import { phoneActivations } from './phone-activations';
import type { SandboxClock } from './clock';
import { SandboxControlError } from './errors';
import { newSmsBatch, smsText, type SmsBatch } from './passcodes';
import type { TimerSet } from './timers';
import { TrustedDeviceStore } from './trusted-devices';
import { TransactionStore, outcomeOf, type Transaction, type TransactionDetails } from './transactions';
import type {
  ApproveOptions,
  DenyOptions,
  PendingActivation,
  PendingPush,
  SandboxSnapshot,
  SmsMessage,
  UserPatch,
  UserSpec,
} from './types';
import {
  DUO_MOBILE_CAPABILITIES,
  createDevice,
  createUser,
  displayName,
  maskNumber,
  sandboxUser,
  type Device,
  type User,
} from './users';

export interface StateOptions {
  readonly clock: SandboxClock;
  readonly timers: TimerSet;
  readonly pushTimeoutMs: number;
  readonly phoneRingMs: number;
  /** Where the sandbox listens and the host it signs for; known only once it listens. */
  readonly links: () => { readonly url: string; readonly apiHostname: string };
}

interface SmsRecord {
  readonly userId: string;
  readonly deviceId: string;
  readonly batch: SmsBatch;
}

/** Keeps the phone page's list short; tests read the newest batch anyway. */
const SMS_LOG_LIMIT = 50;

/** Users, devices, transactions and activations, and the operations a person with the phone would do. */
export class SandboxState {
  readonly transactions: TransactionStore;
  readonly activations = new ActivationStore();
  readonly trustedDevices: TrustedDeviceStore;
  readonly #users = new Map<string, User>();
  #smsLog: SmsRecord[] = [];

  constructor(private readonly options: StateOptions) {
    this.transactions = new TransactionStore(options.clock, options.timers, options.pushTimeoutMs);
    this.trustedDevices = new TrustedDeviceStore(options.clock);
  }

  // --- users -------------------------------------------------------------------------------------------

  addUser(spec: UserSpec): User {
    if (this.userByName(spec.username)) {
      throw new SandboxControlError(409, `A user named ${spec.username} already exists`);
    }
    const user = createUser(spec);
    this.#users.set(user.id, user);
    return user;
  }

  userByName(username: string): User | undefined {
    for (const user of this.#users.values()) if (user.username === username) return user;
    return undefined;
  }

  userById(userId: string): User | undefined {
    return this.#users.get(userId);
  }

  requireUser(usernameOrId: string): User {
    const user = this.userByName(usernameOrId) ?? this.userById(usernameOrId);
    if (!user) throw new SandboxControlError(404, `No user ${usernameOrId}`);
    return user;
  }

  updateUser(username: string, patch: UserPatch): User {
    const user = this.requireUser(username);
    if (patch.status !== undefined) user.status = patch.status;
    if (patch.verifiedPush !== undefined) user.verifiedPush = patch.verifiedPush;
    if (patch.pushResponse !== undefined) user.pushResponse = patch.pushResponse;
    if (patch.pushDelayMs !== undefined) user.pushDelayMs = patch.pushDelayMs;
    if (patch.bypassCodes !== undefined) user.bypassCodes = [...patch.bypassCodes];
    if (patch.status === 'active') user.failedAttempts = 0;
    return user;
  }

  removeUser(username: string): void {
    const user = this.requireUser(username);
    this.#users.delete(user.id);
    this.transactions.removeUser(user.id);
    this.activations.removeUser(user.id, user.username);
    this.trustedDevices.removeUser(user.id);
    this.#smsLog = this.#smsLog.filter((record) => record.userId !== user.id);
  }

  users(): User[] {
    return [...this.#users.values()];
  }

  // --- factors ------------------------------------------------------------------------------------------

  /** A push or a phone call: waits for the person (or the user's automatic answer) to decide. */
  startPushOrCall(
    user: User,
    device: Device,
    factor: 'push' | 'phone',
    details: TransactionDetails,
    challenge?: { readonly txid: string; readonly verificationCode: string },
  ): Transaction {
    const tx = this.transactions.create({
      ...(challenge ? { txid: challenge.txid, verificationCode: challenge.verificationCode } : {}),
      userId: user.id,
      deviceId: device.id,
      factor,
      details,
      outcome:
        factor === 'push'
          ? outcomeOf('pushed')
          : outcomeOf('calling', `Dialing ${maskNumber(device.number) || displayName(device)}...`),
    });
    if (factor === 'phone') {
      this.transactions.after(tx, this.options.phoneRingMs, () => {
        if (tx.outcome.status === 'calling') this.transactions.settle(tx, outcomeOf('answered'));
      });
    }
    if (user.pushResponse !== 'manual') {
      const decision = user.pushResponse === 'approve' ? outcomeOf('allow') : outcomeOf('deny');
      this.transactions.after(tx, user.pushDelayMs, () => this.transactions.settle(tx, decision));
    }
    return tx;
  }

  /** A new batch replaces the device's previous one, as a new Duo SMS makes the old codes useless. */
  sendSms(user: User, device: Device): SmsBatch {
    const batch = newSmsBatch(this.options.clock.nowMs());
    device.sms = batch;
    this.#smsLog = [...this.#smsLog, { userId: user.id, deviceId: device.id, batch }].slice(-SMS_LOG_LIMIT);
    return batch;
  }

  // --- what the person with the phone does ----------------------------------------------------------------

  #waitingCall(txid: string): Transaction {
    const tx = this.transactions.get(txid);
    if (!tx) throw new SandboxControlError(404, `No transaction ${txid}`);
    if (tx.factor !== 'push' && tx.factor !== 'phone') {
      throw new SandboxControlError(409, `Transaction ${txid} is not a push or a phone call`);
    }
    if (tx.outcome.result !== 'waiting') {
      throw new SandboxControlError(409, `Transaction ${txid} is already decided (${tx.outcome.status})`);
    }
    return tx;
  }

  /** A wrong or missing Verified Push code is refused and the push stays pending, as Duo Mobile would keep asking. */
  approve(txid: string, options: ApproveOptions = {}): void {
    const tx = this.#waitingCall(txid);
    if (tx.verificationCode !== null && options.verificationCode !== tx.verificationCode) {
      throw new SandboxControlError(
        400,
        options.verificationCode === undefined
          ? `Transaction ${txid} is a Verified Push: approving needs the verification code`
          : `Wrong verification code for transaction ${txid}`,
      );
    }
    this.transactions.settle(tx, outcomeOf('allow'));
  }

  deny(txid: string, options: DenyOptions = {}): void {
    const tx = this.#waitingCall(txid);
    this.transactions.settle(tx, options.fraud ? outcomeOf('fraud') : outcomeOf('deny'));
  }

  currentPasscode(username: string, deviceId?: string): string {
    const user = this.requireUser(username);
    const device =
      deviceId === undefined
        ? user.devices.find((d) => d.passcode !== null)
        : user.devices.find((d) => d.id === deviceId);
    if (!device) throw new SandboxControlError(404, `No passcode-generating device for ${username}`);
    if (device.passcode === null) throw new SandboxControlError(404, `Device ${device.id} generates no passcodes`);
    return device.passcode;
  }

  smsPasscodes(username: string): string[] {
    const user = this.requireUser(username);
    const last = this.#smsLog.filter((record) => record.userId === user.id).at(-1);
    if (!last) throw new SandboxControlError(404, `No SMS passcodes were sent to ${username}`);
    return last.batch.codes.map((c) => c.code);
  }

  /** As if the user scanned the QR code (enroll) or added a phone in the enrolment portal. */
  completeActivation(key: string): User {
    const activation = this.activations.findLive(key, this.options.clock.nowMs());
    if (!activation) throw new SandboxControlError(404, `No pending activation ${key}`);
    return this.#complete(activation);
  }

  #complete(activation: Activation): User {
    activation.completed = true;
    if (activation.kind === 'portal' && !this.userByName(activation.username)) {
      return this.addUser({ username: activation.username });
    }
    const user = this.requireUser(activation.userId ?? activation.username);
    user.devices.push(
      createDevice(
        activation.kind === 'enroll' ? { platform: 'iOS', number: '', capabilities: DUO_MOBILE_CAPABILITIES } : {},
      ),
    );
    return user;
  }

  // --- views -------------------------------------------------------------------------------------------

  links(): { readonly url: string; readonly apiHostname: string } {
    return this.options.links();
  }

  activationUrl(activation: Activation): string {
    const { url } = this.options.links();
    return activation.kind === 'enroll' ? `${url}/activate/${activation.secret}` : `${url}/portal?${activation.secret}`;
  }

  pendingPushes(): PendingPush[] {
    const pushes: PendingPush[] = [];
    for (const tx of this.transactions.waiting()) {
      const user = this.userById(tx.userId);
      const device = user?.devices.find((d) => d.id === tx.deviceId);
      if (!user || !device || (tx.factor !== 'push' && tx.factor !== 'phone')) continue;
      const { details } = tx;
      pushes.push({
        txid: tx.txid,
        factor: tx.factor,
        username: user.username,
        user_id: user.id,
        device: device.id,
        device_display_name: displayName(device),
        status: tx.outcome.status,
        requiresVerificationCode: tx.verificationCode !== null,
        ...(details.type === undefined ? {} : { type: details.type }),
        ...(details.display_username === undefined ? {} : { display_username: details.display_username }),
        pushinfo: { ...details.pushinfo },
        ...(details.ipaddr === undefined ? {} : { ipaddr: details.ipaddr }),
        ...(details.hostname === undefined ? {} : { hostname: details.hostname }),
        created: Math.floor(tx.createdMs / 1000),
        expires: Math.floor(tx.expiresMs / 1000),
      });
    }
    return pushes;
  }

  smsMessages(): SmsMessage[] {
    const messages: SmsMessage[] = [];
    for (const { userId, deviceId, batch } of this.#smsLog) {
      const user = this.userById(userId);
      const device = user?.devices.find((d) => d.id === deviceId);
      if (!user || !device) continue;
      messages.push({
        username: user.username,
        user_id: user.id,
        device: device.id,
        number: maskNumber(device.number),
        passcodes: batch.codes.map((c) => c.code),
        text: smsText(batch),
        sent: Math.floor(batch.sentMs / 1000),
      });
    }
    return messages;
  }

  pendingActivations(): PendingActivation[] {
    return this.activations.pending(this.options.clock.nowMs()).map((activation) => ({
      kind: activation.kind,
      code: activation.code,
      username: activation.username,
      ...(activation.userId === null ? {} : { user_id: activation.userId }),
      url: this.activationUrl(activation),
      expiration: Math.floor(activation.expiresMs / 1000),
    }));
  }

  snapshot(): SandboxSnapshot {
    const users = this.users().map(sandboxUser);
    return {
      time: this.options.clock.nowSec(),
      users,
      pendingPushes: this.pendingPushes(),
      smsMessages: this.smsMessages(),
      pendingActivations: this.pendingActivations(),
      phoneActivations: phoneActivations(this.pendingActivations(), users),
    };
  }
}
