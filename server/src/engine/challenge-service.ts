import { setTimeout as sleep } from 'node:timers/promises';

import type { Strapi } from '@strapi/strapi';

import type { DuoSecurityPluginConfig } from '../config';
import { DuoError } from '../duo/errors';
import type { SettingsService } from '../settings/settings-service';
import type { Audience, EffectiveSettings } from '../settings/types';
import type { AuditService } from './audit-service';
import type { DuoClaimValue } from './claim';
import {
  duoOptionsFromPreauth,
  isStoredDuoOptions,
  type ActivationView,
  type DuoOptions,
  type StoredDuoOptions,
} from './duo-options';
import type { DuoProvider } from './duo-provider';
import type { EnrollmentService } from './enrollment-service';
import {
  DuoDeniedError,
  DuoFactorError,
  DuoPasscodeError,
  DuoTransactionError,
  DuoUnavailableError,
  type DuoStepDetails,
} from './errors';
import type { PolicyService } from './policy-service';
import { isStepId } from './step-id';
import type { StepPurpose, StepRow, StepStore } from './step-store';

/** Turns an allowed login into the response the original path would have given (a token and the user). */
export interface TokenIssuer {
  /** The response of a finished login: what the path that started it would have answered. */
  respond(userId: number, flow: unknown, claim: DuoClaimValue): Promise<unknown>;
  /**
   * The answer once Duo is on for the account (turning Duo on ends the sessions without the claim): a new
   * Duo-claimed session, in the audience's own words (`{ data: { enabled: true, jwt } }` for clients, `token` for staff).
   */
  enabled(userId: number, claim: DuoClaimValue): unknown;
}

export interface BeginInput {
  readonly audience: Audience;
  readonly user: { readonly id: number; readonly email?: string | null; readonly username?: string | null };
  readonly purpose: StepPurpose;
  /** Opaque to the engine: handed back to the issuer on allow (which path started the login). */
  readonly flow?: unknown;
  readonly ip?: string | undefined;
}

export type BeginResult =
  | { readonly kind: 'allow'; readonly via: 'bypass' | 'fail-open' | 'recovery' }
  | { readonly kind: 'challenge'; readonly details: DuoStepDetails };

/** While the step is open; on allow the status answer is the issuer's response instead. */
export interface StepState {
  readonly state: 'pending' | 'waiting' | 'denied' | 'enrolling' | 'cancelled';
  readonly duoStatus?: string;
  readonly message?: string;
  readonly duo?: DuoOptions;
}

export type StepAnswer =
  { readonly done: true; readonly body: unknown } | { readonly done: false; readonly body: StepState };

const issuers = new Map<Audience, TokenIssuer>();

function issuerOf(audience: Audience): TokenIssuer {
  const issuer = issuers.get(audience);
  if (issuer === undefined) throw new Error(`duo-security: no token issuer for ${audience}`);
  return issuer;
}

const ENROLL_WAIT_MS = 20_000;
/** Marks a step that Duo's failure let through under fail-open. */
const FAILED_OPEN = 'fail-open';

/** The DuoTransactionError state of a step that can no longer be allowed. */
function endedAs(state: string | undefined): 'expired' | 'cancelled' | 'denied' | 'consumed' {
  return state === 'expired' || state === 'cancelled' || state === 'denied' ? state : 'consumed';
}
const ENROLL_POLL_MS = 2_000;

/** Wrong passcodes one user may submit across all their steps in the window, whatever the per-step limit. */
const USER_PASSCODE_LIMIT = 10;
const USER_PASSCODE_WINDOW_MS = 15 * 60 * 1000;

/**
 * The Duo step between a correct password and a token, for both audiences: preauth, factors, status, finish.
 * Every state it keeps is in the transaction row, so any instance can continue a step another one started.
 */
export const challengeService = ({ strapi }: { strapi: Strapi }) => {
  const service = <T>(name: string) => strapi.plugin('duo-security').service(name) as T;
  const settings = () => service<SettingsService>('settings');
  const transactions = () => service<StepStore>('transactions');
  const audit = () => service<AuditService>('audit');
  const enrollments = () => service<EnrollmentService>('enrollments');
  const config = () => (strapi.config.get('plugin.duo-security') ?? {}) as DuoSecurityPluginConfig;
  const duo = (s: EffectiveSettings) => service<DuoProvider>('duo').client(s);

  /** Duo could not be used: the audience's fail mode decides. Returns true when the login may proceed. */
  const onDuoFailure = async (
    row: { audience: Audience; userId: number; purpose: StepPurpose; ip?: string | null },
    error: unknown,
    s: EffectiveSettings,
  ) => {
    const reason = error instanceof DuoError ? error.reason : 'error';
    const record = {
      audience: row.audience,
      userId: row.userId,
      ...(row.ip ? { ip: row.ip } : {}),
      detail: { reason },
    };
    if (error instanceof DuoError && error.reason === 'unexpected-result') {
      await audit().log('challenge.denied', { ...record, outcome: 'unexpected-result' });
      throw new DuoDeniedError(
        'Duo gave an answer this server does not understand; the sign-in was refused',
        'unexpected-result',
      );
    }
    // Fail open is for Duo being out of reach (down, hung, rate limiting, unreadable), as Duo's own fail-safe is.
    // Duo refusing this server (wrong keys, wrong application type, bad configuration) is not an outage: letting
    // everyone in on a password would turn two-factor off silently, so that always refuses. Turning Duo on or off
    // for an account always needs Duo: only logins may fail open.
    const outage = error instanceof DuoError && error.isServiceFailure;
    if (row.purpose === 'login' && outage && s[row.audience].failMode === 'open') {
      await audit().log('login.fail-open', { ...record, outcome: 'admitted' });
      return true;
    }
    await audit().log('login.fail-closed', { ...record, outcome: 'refused' });
    throw new DuoUnavailableError(reason);
  };

  /** A transaction is bound to its audience: a clients' step cannot be finished on the admin routes, or back. */
  const load = async (audience: Audience, id: unknown): Promise<StepRow> => {
    if (!isStepId(id)) throw new DuoTransactionError('unknown');
    const row = await transactions().find(id);
    if (row === null || row.audience !== audience) throw new DuoTransactionError('unknown');
    return row;
  };

  const requireLive = (row: StepRow): StoredDuoOptions => {
    if (row.state === 'expired') throw new DuoTransactionError('expired');
    if (row.state === 'consumed') throw new DuoTransactionError('consumed');
    if (row.state === 'denied') throw new DuoTransactionError('denied');
    if (row.state === 'cancelled') throw new DuoTransactionError('cancelled');
    if (!isStoredDuoOptions(row.challenge)) throw new DuoTransactionError('unknown');
    return withActivation(row.challenge);
  };

  /** The stored challenge with its sealed activation opened back into the view (see `startActivation`). */
  const withActivation = (stored: StoredDuoOptions): StoredDuoOptions => {
    if (stored.activationSealed === undefined || stored.view.result !== 'enroll') return stored;
    const opened = settings().open(stored.activationSealed);
    if (opened === undefined) return stored;
    return { ...stored, view: { ...stored.view, activation: JSON.parse(opened) as ActivationView } };
  };

  const deviceFor = (challenge: StoredDuoOptions, factor: 'push' | 'phone' | 'sms', deviceId: unknown): string => {
    if (challenge.view.result !== 'auth') throw new DuoFactorError(factor, 'Enrol a device with Duo first');
    const devices = challenge.view.devices.filter((d) => d.capabilities.includes(factor));
    if (deviceId === undefined || deviceId === null || deviceId === '') {
      const first = devices[0];
      if (first === undefined) throw new DuoFactorError(factor, `No device of this account can use ${factor}`);
      return first.id;
    }
    const device = devices.find((d) => d.id === deviceId);
    if (device === undefined) throw new DuoFactorError(factor, `That device cannot use ${factor}`);
    return device.id;
  };

  const finish = async (row: StepRow): Promise<StepAnswer> => {
    if (!(await transactions().consume(row))) throw new DuoTransactionError('consumed');
    const base = { audience: row.audience, userId: row.userId, ...(row.ip ? { ip: row.ip } : {}) };
    if (row.purpose === 'disable') {
      await enrollments().disable(row.audience, row.userId);
      await audit().log('enroll.disabled', { ...base, outcome: 'disabled' });
      return { done: true, body: { data: { enabled: false } } };
    }
    const enrollment = await enrollments().find(row.audience, row.userId);
    if (enrollment?.status !== 'active') {
      await enrollments().enable(row.audience, row.userId, row.duoUsername);
      await audit().log('enroll.enabled', { ...base, outcome: 'enabled', detail: { during: row.purpose } });
    } else {
      await enrollments().touch(row.audience, row.userId);
    }
    await audit().log('challenge.allowed', { ...base, outcome: 'allowed', detail: { purpose: row.purpose } });
    const issuer = issuerOf(row.audience);
    // Turning Duo on ends sessions without the claim, the caller's included: hand it one that has it.
    if (row.purpose === 'enable') return { done: true, body: issuer.enabled(row.userId, 'allow') };
    const claim: DuoClaimValue = row.duoStatus === FAILED_OPEN ? 'fail-open' : 'allow';
    return { done: true, body: await issuer.respond(row.userId, row.flow, claim) };
  };

  const denied = async (row: StepRow, status: string, message: string): Promise<StepAnswer> => {
    await transactions().deny(row, message);
    await audit().log('challenge.denied', {
      audience: row.audience,
      userId: row.userId,
      outcome: 'denied',
      ...(row.ip ? { ip: row.ip } : {}),
      detail: { duoStatus: status },
    });
    return { done: false, body: { state: 'denied', duoStatus: status, message } };
  };

  const allowed = async (row: StepRow, via: 'duo' | 'fail-open' = 'duo'): Promise<StepAnswer> => {
    // The token of a login that failed open says so (claim `fail-open`), like one from the password step.
    if (via === 'fail-open') {
      await transactions().update(row, { duoStatus: FAILED_OPEN });
      row = { ...row, duoStatus: FAILED_OPEN };
    }
    if (!(await transactions().allow(row))) {
      // The step changed while Duo was being asked (cancelled, expired, denied or used elsewhere): say which.
      const fresh = await transactions().reload(row);
      if (fresh?.state !== 'allowed') throw new DuoTransactionError(endedAs(fresh?.state));
    }
    return finish({ ...row, state: 'allowed' });
  };

  /** Polls Duo for a started activation; once the phone is activated the step turns into a normal Duo check. */
  const activationProgress = async (row: StepRow, challenge: StoredDuoOptions): Promise<StepState> => {
    const enrollment = await enrollments().find(row.audience, row.userId);
    const opened = enrollment?.activationSealed ? settings().open(enrollment.activationSealed) : undefined;
    const s = await settings().get();
    const toAuth = async (): Promise<StepState | undefined> => {
      const preauth = await duo(s).preauth({
        username: row.duoUsername,
        clientSupportsVerifiedPush: true,
        ...(row.ip ? { ipaddr: row.ip } : {}),
      });
      if (preauth.result !== 'auth') return undefined;
      const next = duoOptionsFromPreauth(preauth);
      await transactions().update(row, { challenge: next });
      return { state: 'pending', duo: next.view, message: 'Duo Mobile is activated: approve one sign-in to finish' };
    };
    try {
      if (challenge.view.result !== 'enroll' || challenge.view.activation === undefined || opened === undefined) {
        // Enrolment through Duo's own portal: Duo's preauth tells when a device was added.
        return (await toAuth()) ?? { state: 'enrolling', duo: challenge.view };
      }
      const { userId, activationCode } = JSON.parse(opened) as { userId: string; activationCode: string };
      const progress = await duo(s).enrollStatus({ userId, activationCode });
      if (progress === 'waiting') return { state: 'enrolling', duo: challenge.view };
      if (progress === 'invalid') {
        const view: DuoOptions = {
          result: 'enroll',
          ...(challenge.view.enrollPortalUrl ? { enrollPortalUrl: challenge.view.enrollPortalUrl } : {}),
        };
        await transactions().update(row, { challenge: { view } });
        return { state: 'enrolling', duo: view, message: 'The activation expired; start it again' };
      }
      return (await toAuth()) ?? { state: 'enrolling', duo: challenge.view };
    } catch (error) {
      if (error instanceof DuoError && (error.reason === 'timeout' || error.reason === 'rate-limited')) {
        return { state: 'enrolling', duo: challenge.view };
      }
      if (!(error instanceof DuoError)) throw error;
      // As on every other call of the step: the fail mode decides (a raw DuoError would be an HTTP 500).
      await onDuoFailure(row, error, s);
      return failedOpen(row);
    }
  };

  const freshVerifiedPush = async (row: StepRow, s: EffectiveSettings) => {
    const preauth = await duo(s).preauth({
      username: row.duoUsername,
      clientSupportsVerifiedPush: true,
      ...(row.ip ? { ipaddr: row.ip } : {}),
    });
    return preauth.result === 'auth' && preauth.verifiedPush !== undefined
      ? { txid: preauth.verifiedPush.txid, code: preauth.verifiedPush.verificationCode }
      : undefined;
  };

  /** Duo failed mid-step under fail-open: the step is allowed and the next status call hands out the token. */
  const failedOpen = async (row: StepRow): Promise<StepState> => {
    await transactions().update(row, { duoStatus: FAILED_OPEN });
    await transactions().allow(row);
    return { state: 'pending', message: 'Duo is unavailable; the sign-in continues without it' };
  };

  return {
    registerIssuer(audience: Audience, issuer: TokenIssuer): void {
      issuers.set(audience, issuer);
    },

    /** The "Duo is on" answer outside a step (a Duo bypass user turning Duo on keeps a working session). */
    enabledAnswer(audience: Audience, userId: number, claim: DuoClaimValue): unknown {
      return issuerOf(audience).enabled(userId, claim);
    },

    /** After a correct password: ask Duo, then allow, refuse, or open a Duo step. */
    async begin(input: BeginInput): Promise<BeginResult> {
      const s = await settings().get();
      const duoUsername = service<PolicyService>('policy').duoUsername(s, input.audience, input.user);
      const base = { audience: input.audience, userId: input.user.id, ...(input.ip ? { ip: input.ip } : {}) };
      // A break-glass pass (granted at the server's command line) lets one sign-in through without Duo.
      if (input.purpose === 'login' && (await enrollments().consumeRecovery(input.audience, input.user.id))) {
        await audit().log('login.recovery', { ...base, outcome: 'admitted', detail: { via: 'cli' } });
        return { kind: 'allow', via: 'recovery' };
      }
      let preauth;
      try {
        if (duoUsername === '') throw new DuoError({ reason: 'config', message: 'The account has no Duo username' });
        preauth = await duo(s).preauth({
          username: duoUsername,
          clientSupportsVerifiedPush: true,
          ...(input.ip ? { ipaddr: input.ip } : {}),
        });
      } catch (error) {
        await onDuoFailure({ ...base, purpose: input.purpose, ip: input.ip ?? null }, error, s);
        return { kind: 'allow', via: 'fail-open' };
      }
      if (preauth.result === 'allow') {
        await audit().log('login.bypass', { ...base, outcome: 'allowed', detail: { duo: 'allow' } });
        return { kind: 'allow', via: 'bypass' };
      }
      if (preauth.result === 'deny') {
        await audit().log('challenge.denied', { ...base, outcome: 'denied', detail: { duo: 'deny' } });
        throw new DuoDeniedError(
          `Duo refused this sign-in${preauth.statusMsg ? `: ${preauth.statusMsg}` : ''}`,
          'duo-deny',
        );
      }
      const challenge = duoOptionsFromPreauth(preauth);
      const ttlSeconds = config().transactionTtlSeconds ?? 300;
      const { id, row } = await transactions().create({
        audience: input.audience,
        userId: input.user.id,
        purpose: input.purpose,
        duoUsername,
        challenge,
        flow: input.flow ?? null,
        ip: input.ip,
        ttlSeconds,
      });
      await audit().log('challenge.started', {
        ...base,
        outcome: challenge.view.result,
        detail: { purpose: input.purpose },
      });
      return {
        kind: 'challenge',
        details: { transaction: { id, expiresAt: new Date(row.expiresAt).toISOString() }, duo: challenge.view },
      };
    },

    /** Sends a Duo Push (async) or starts a phone call; the status endpoint follows it. */
    async startOutOfBand(
      audience: Audience,
      id: unknown,
      factor: 'push' | 'phone',
      deviceId: unknown,
    ): Promise<StepState & { verificationCode?: string }> {
      const row = await load(audience, id);
      const challenge = requireLive(row);
      if (row.state === 'allowed') throw new DuoTransactionError('allowed');
      const device = deviceFor(challenge, factor, deviceId);
      const s = await settings().get();
      try {
        // A Verified Push code is single-use and short-lived: each push gets a fresh one from Duo (a call to Duo
        // like the push itself, so under the fail mode too).
        const verified =
          factor === 'push' && challenge.verifiedPush !== undefined ? await freshVerifiedPush(row, s) : undefined;
        const { txid } = await duo(s).auth(
          {
            username: row.duoUsername,
            factor,
            device,
            ...(row.ip ? { ipaddr: row.ip } : {}),
            ...(verified === undefined ? {} : { txid: verified.txid }),
            ...(factor === 'push'
              ? { type: 'Login request', pushinfo: { from: 'Strapi', audience: row.audience } }
              : {}),
          },
          { async: true },
        );
        const duoStatus = factor === 'push' ? 'pushed' : 'calling';
        await transactions().update(row, { duoTxid: txid, duoStatus, duoStatusMessage: null });
        return { state: 'waiting', duoStatus, ...(verified === undefined ? {} : { verificationCode: verified.code }) };
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'api')
          throw new DuoFactorError(factor, `Duo could not start ${factor}: ${error.duoMessage ?? 'refused'}`);
        await onDuoFailure(row, error, s);
        return failedOpen(row);
      }
    },

    /** Asks Duo to text new passcodes to the device. */
    async sendSms(audience: Audience, id: unknown, deviceId: unknown): Promise<StepState> {
      const row = await load(audience, id);
      const challenge = requireLive(row);
      const device = deviceFor(challenge, 'sms', deviceId);
      const s = await settings().get();
      try {
        const result = await duo(s).auth({
          username: row.duoUsername,
          factor: 'sms',
          device,
          ...(row.ip ? { ipaddr: row.ip } : {}),
        });
        return { state: 'pending', duoStatus: result.status, message: result.statusMsg || 'New SMS passcodes sent' };
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'api')
          throw new DuoFactorError('sms', `Duo could not send SMS passcodes: ${error.duoMessage ?? 'refused'}`);
        await onDuoFailure(row, error, s);
        return failedOpen(row);
      }
    },

    async submitPasscode(audience: Audience, id: unknown, passcode: string): Promise<StepAnswer> {
      const row = await load(audience, id);
      requireLive(row);
      if (row.state === 'allowed') throw new DuoTransactionError('allowed');
      // The attempt is taken before Duo sees the passcode: guesses sent at once must not all reach Duo.
      const max = config().maxPasscodeAttempts ?? 5;
      const attempt = await transactions().takePasscodeAttempt(row, max);
      if (attempt === undefined) {
        const fresh = await transactions().reload(row);
        if (fresh !== null && fresh.state !== 'pending') {
          requireLive(fresh);
          throw new DuoTransactionError(fresh.state === 'allowed' ? 'allowed' : 'denied');
        }
        // Every attempt is taken by guesses Duo is still checking.
        throw new DuoPasscodeError(0);
      }
      const base = { audience: row.audience, userId: row.userId, ...(row.ip ? { ip: row.ip } : {}) };
      // Each step allows a few tries, but a password holder can open many steps: cap the tries per user too. The try
      // is recorded as a failure before Duo sees it and the failures up to it are counted, so tries sent at once
      // across steps cannot all pass the limit; a try Duo allows (or cannot check) leaves no entry.
      const entry = await audit().reserve('passcode.failed', {
        ...base,
        outcome: 'checking',
        detail: { failures: attempt },
      });
      const recent = await audit().countSince(
        'passcode.failed',
        row.audience,
        row.userId,
        new Date(Date.now() - USER_PASSCODE_WINDOW_MS),
        entry,
      );
      if (recent > USER_PASSCODE_LIMIT) {
        await audit().settle(entry, 'passcode.locked', { outcome: 'user-limit' });
        await transactions().deny(row, 'Too many wrong passcodes');
        throw new DuoPasscodeError(0);
      }
      const s = await settings().get();
      let result;
      try {
        result = await duo(s).auth({
          username: row.duoUsername,
          factor: 'passcode',
          passcode,
          ...(row.ip ? { ipaddr: row.ip } : {}),
        });
      } catch (error) {
        await audit().discard(entry);
        await onDuoFailure(row, error, s);
        return allowed(row, 'fail-open');
      }
      if (result.result === 'allow') {
        await audit().discard(entry);
        return allowed(row);
      }
      await audit().settle(entry, 'passcode.failed', { outcome: 'denied', detail: { failures: attempt } });
      if (attempt >= max) {
        await transactions().deny(row);
        await audit().log('passcode.locked', { ...base, outcome: 'closed' });
        throw new DuoPasscodeError(0);
      }
      throw new DuoPasscodeError(max - attempt);
    },

    /**
     * The step's state. While a push or call runs, waits for Duo's next status (Duo long-polls); on allow returns
     * the issuer's response, once.
     */
    async status(audience: Audience, id: unknown, wait: boolean): Promise<StepAnswer> {
      const row = await load(audience, id);
      if (row.state === 'allowed') return finish(row);
      if (row.state === 'denied')
        return { done: false, body: { state: 'denied', message: row.duoStatusMessage ?? 'The sign-in was refused' } };
      const challenge = requireLive(row);
      if (challenge.view.result === 'enroll') {
        // Duo has no long-poll for activations: poll it here so clients can long-poll us as for a push.
        const until = Date.now() + (wait ? Math.min(ENROLL_WAIT_MS, Date.parse(row.expiresAt) - Date.now()) : 0);
        let progress = await activationProgress(row, challenge);
        while (
          progress.state === 'enrolling' &&
          progress.message === undefined &&
          Date.now() + ENROLL_POLL_MS < until
        ) {
          await sleep(ENROLL_POLL_MS);
          progress = await activationProgress(row, challenge);
        }
        return { done: false, body: progress };
      }
      if (row.duoTxid === null || row.duoTxid === '') {
        return { done: false, body: { state: 'pending', duo: challenge.view } };
      }
      if (!wait)
        return { done: false, body: { state: 'waiting', duoStatus: row.duoStatus ?? 'pushed', duo: challenge.view } };
      const s = await settings().get();
      let status;
      try {
        const deadline = Math.max(1000, Math.min(25_000, Date.parse(row.expiresAt) - Date.now()));
        status = await duo(s).authStatus(row.duoTxid, { signal: AbortSignal.timeout(deadline) });
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'timeout') {
          return { done: false, body: { state: 'waiting', duoStatus: row.duoStatus ?? 'pushed' } };
        }
        await onDuoFailure(row, error, s);
        return allowed(row, 'fail-open');
      }
      const fresh = (await transactions().find(id as string)) ?? row;
      if (status.result === 'allow') return allowed(fresh);
      if (status.result === 'deny') return denied(fresh, status.status, status.statusMsg || 'Duo refused the sign-in');
      // A waiting login re-polls every ~25 s; write only news (a database write per poll adds up with many waiting).
      if (
        fresh.state === 'pending' &&
        (fresh.duoStatus !== status.status || (fresh.duoStatusMessage ?? '') !== status.statusMsg)
      )
        await transactions().update(fresh, { duoStatus: status.status, duoStatusMessage: status.statusMsg });
      return { done: false, body: { state: 'waiting', duoStatus: status.status, message: status.statusMsg } };
    },

    /**
     * Enrolment inside the step (a user Duo does not know yet): creates the Duo user and a Duo Mobile activation,
     * and returns the QR code, link and code to show. The activation is kept sealed for polling.
     */
    async startActivation(audience: Audience, id: unknown): Promise<StepState> {
      const row = await load(audience, id);
      const challenge = requireLive(row);
      if (challenge.view.result !== 'enroll')
        throw new DuoFactorError('enroll', 'This account is already enrolled with Duo');
      const s = await settings().get();
      const ttlSeconds = Math.max(60, Math.round((Date.parse(row.expiresAt) - Date.now()) / 1000));
      let enrollment;
      try {
        enrollment = await duo(s).enroll({ username: row.duoUsername, validSecs: ttlSeconds });
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'api' && challenge.view.enrollPortalUrl !== undefined) {
          // Duo already has this username without a device: its own portal is the way to add one.
          return {
            state: 'enrolling',
            duo: challenge.view,
            message: "Add a device in Duo's enrolment portal, then continue",
          };
        }
        if (error instanceof DuoError && error.reason === 'api')
          throw new DuoFactorError('enroll', `Duo could not start the enrolment: ${error.duoMessage ?? 'refused'}`);
        await onDuoFailure(row, error, s);
        return failedOpen(row);
      }
      const activation = {
        qrCodeUrl: enrollment.activationBarcode,
        activationUrl: enrollment.activationUrl,
        activationCode: enrollment.activationCode,
        expiresAt: new Date(enrollment.expiration * 1000).toISOString(),
      };
      const sealed = settings().seal(
        JSON.stringify({ userId: enrollment.userId, activationCode: enrollment.activationCode }),
      );
      await enrollments().startActivation(row.audience, row.userId, row.duoUsername, enrollment.userId, sealed);
      // Kept sealed on the transaction (as on the enrolment): a database reader must not be able to activate.
      const { activation: _previous, ...bare } = challenge.view;
      const view: DuoOptions = { ...bare, activation };
      await transactions().update(row, {
        challenge: {
          ...challenge,
          view: bare,
          duoUserId: enrollment.userId,
          activationSealed: settings().seal(JSON.stringify(activation)),
        },
      });
      await audit().log('enroll.started', {
        audience: row.audience,
        userId: row.userId,
        outcome: 'activation',
        ...(row.ip ? { ip: row.ip } : {}),
      });
      return { state: 'enrolling', duo: view };
    },

    async cancel(audience: Audience, id: unknown): Promise<void> {
      const row = await load(audience, id);
      if (row.state !== 'pending') return;
      if (await transactions().cancel(row)) {
        await audit().log('challenge.cancelled', { audience: row.audience, userId: row.userId, outcome: 'cancelled' });
      }
    },
  };
};

export type ChallengeService = ReturnType<typeof challengeService>;
