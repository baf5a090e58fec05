import { invalidParameter, missingParameter } from './errors';
import { type Endpoint, type EndpointContext, ok, lookupUser } from './endpoint-context';
import { formDecode } from './params';
import { outcomeOf, type AuthOutcome, type Factor, type Transaction, type TransactionDetails } from './transactions';
import { LOCKOUT_THRESHOLD, consumePasscode, hasCapability, type Device, type User } from './users';

const FACTORS = ['auto', 'push', 'passcode', 'sms', 'phone'] as const;
type RequestedFactor = (typeof FACTORS)[number];

/** Duo's documented limit on `pushinfo`. */
const PUSHINFO_MAX_BYTES = 20_000;

function requestedFactor({ params }: EndpointContext): RequestedFactor {
  const factor = params.get('factor');
  if (!factor) throw missingParameter('factor');
  const known = FACTORS.find((f) => f === factor);
  if (!known) throw invalidParameter('factor');
  return known;
}

/**
 * The device a factor runs on: the named one, or with `auto` the first that can do it. `factor=auto`
 * prefers push over a call, as Duo picks "the most secure factor" of the device.
 */
function pickDevice(
  user: User,
  deviceParam: string | undefined,
  factor: 'push' | 'phone' | 'sms' | 'auto',
): { device: Device; factor: 'push' | 'phone' | 'sms' } {
  const fits = (device: Device): 'push' | 'phone' | 'sms' | undefined => {
    if (factor !== 'auto') return hasCapability(device, factor) ? factor : undefined;
    if (!hasCapability(device, 'auto')) return undefined;
    if (hasCapability(device, 'push')) return 'push';
    return hasCapability(device, 'phone') ? 'phone' : undefined;
  };
  if (deviceParam === undefined || deviceParam === 'auto') {
    for (const device of user.devices) {
      const chosen = fits(device);
      if (chosen) return { device, factor: chosen };
    }
    throw invalidParameter('no capable device');
  }
  const device = user.devices.find((d) => d.id === deviceParam);
  if (!device) throw invalidParameter('device');
  const chosen = fits(device);
  if (!chosen) throw invalidParameter('no capable device');
  return { device, factor: chosen };
}

function details({ params }: EndpointContext): TransactionDetails {
  const pushinfo = params.get('pushinfo');
  if (pushinfo !== undefined && Buffer.byteLength(pushinfo, 'utf8') >= PUSHINFO_MAX_BYTES) {
    throw invalidParameter('pushinfo');
  }
  const info: Record<string, string> = {};
  for (const [key, values] of Object.entries(formDecode(pushinfo ?? ''))) info[key] = values.join(', ');
  const optional = (name: string): Record<string, string> => {
    const value = params.get(name);
    return value === undefined || value === '' ? {} : { [name]: value };
  };
  return {
    ...optional('type'),
    ...optional('display_username'),
    pushinfo: info,
    ...optional('ipaddr'),
    ...optional('hostname'),
  };
}

function passcodeOutcome(user: User, passcode: string): AuthOutcome {
  if (consumePasscode(user, passcode)) {
    user.failedAttempts = 0;
    return outcomeOf('allow');
  }
  user.failedAttempts += 1;
  if (user.failedAttempts >= LOCKOUT_THRESHOLD) {
    user.status = 'locked_out';
    return outcomeOf('locked_out');
  }
  return outcomeOf('deny', 'Incorrect passcode. Please try again.');
}

function statusOutcome(user: User): AuthOutcome | undefined {
  if (user.status === 'bypass') return outcomeOf('bypass');
  if (user.status === 'disabled') return outcomeOf('deny', 'Your account is disabled.');
  if (user.status === 'locked_out') return outcomeOf('locked_out');
  return undefined;
}

/**
 * The reply's fields; an allow by a second factor (not a bypass) carries a `trusted_device_token` while the
 * remembered-devices policy is on, as Duo's does.
 */
function view(
  context: EndpointContext,
  userId: string,
  { result, status, status_msg }: AuthOutcome,
): AuthOutcome & { trusted_device_token?: string } {
  const token = result === 'allow' && status === 'allow' ? context.state.trustedDevices.issue(userId) : undefined;
  return { result, status, status_msg, ...(token === undefined ? {} : { trusted_device_token: token }) };
}

/** Wake-up interval of a held sync /auth; the push's own timeout timer is what ends it. */
const SYNC_WAIT_SLICE_MS = 30_000;

/** A sync /auth holds until the person decides or the push times out (the store's timer settles it). */
async function settled(context: EndpointContext, tx: Transaction): Promise<AuthOutcome> {
  while (tx.outcome.result === 'waiting' && !context.timers.closed && !context.signal.aborted) {
    await context.state.transactions.waitForChange(tx, tx.version, SYNC_WAIT_SLICE_MS, context.signal);
  }
  return tx.outcome;
}

export const auth: Endpoint = async (context) => {
  const { params, state } = context;
  const factor = requestedFactor(context);
  if (factor === 'auto' && !params.has('device')) throw missingParameter('device');
  if (factor === 'passcode' && !params.has('passcode')) throw missingParameter('passcode');
  const { user, by } = lookupUser(context);
  if (!user) throw invalidParameter(by);
  const isAsync = params.flag('async');

  const immediate = (outcome: AuthOutcome, used: Factor, device: Device | null): ReturnType<Endpoint> => {
    if (!isAsync) return ok(view(context, user.id, outcome));
    const tx = state.transactions.create({ userId: user.id, deviceId: device?.id ?? null, factor: used, outcome });
    return ok({ txid: tx.txid });
  };

  const pushDetails = factor === 'passcode' ? undefined : details(context);
  const blocked = statusOutcome(user);
  if (blocked) return immediate(blocked, 'none', null);

  if (factor === 'passcode') return immediate(passcodeOutcome(user, params.get('passcode') ?? ''), 'passcode', null);

  const picked = pickDevice(user, params.get('device'), factor);
  if (picked.factor === 'sms') {
    state.sendSms(user, picked.device);
    return immediate(outcomeOf('sent'), 'sms', picked.device);
  }

  let challenge: { txid: string; verificationCode: string } | undefined;
  const txid = params.get('txid');
  if (picked.factor === 'push' && txid) {
    challenge = state.transactions.takeChallenge(txid, user.id);
    if (!challenge) throw invalidParameter('txid');
  }
  const tx = state.startPushOrCall(user, picked.device, picked.factor, pushDetails ?? { pushinfo: {} }, challenge);
  if (isAsync) return ok({ txid: tx.txid });
  return ok(view(context, user.id, await settled(context, tx)));
};

export const authStatus: Endpoint = async (context) => {
  const { params, state, longPollMs, signal } = context;
  const txid = params.get('txid');
  if (!txid) throw missingParameter('txid');
  const tx = state.transactions.get(txid);
  if (!tx) throw invalidParameter('txid');
  // Long-poll for the next change: answer at once if there is news since this txid was last answered.
  if (tx.outcome.result === 'waiting' && tx.version === tx.lastPolledVersion) {
    await state.transactions.waitForChange(tx, tx.version, longPollMs, signal);
  }
  tx.lastPolledVersion = tx.version;
  return ok(view(context, tx.userId, tx.outcome));
};
