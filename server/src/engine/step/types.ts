import type { DuoAuthClient } from '../../duo/client';
import type { DuoUniversalClient } from '../../duo/universal';
import type { AudienceAdapters, DuoVia, StepExchange } from '../../hosts/contract';
import type { Audience, EffectiveSettings } from '../../settings/types';
import type { AuditService } from '../audit-service';
import type { BackupCodeService } from '../backup-code-service';
import type { DuoOptions } from '../duo-options';
import type { EnrollmentService } from '../enrollment-service';
import type { GraceService } from '../grace-service';
import type { DuoStepDetails } from '../errors';
import type { PolicyService } from '../policy-service';
import type { StepPurpose, StepStore } from '../step-store';

/** The Duo calls a step makes. */
export type StepDuoClient = Pick<DuoAuthClient, 'preauth' | 'auth' | 'authStatus' | 'enroll' | 'enrollStatus'>;

/** The Universal Prompt calls a step makes. */
export type StepUniversalClient = Pick<DuoUniversalClient, 'healthCheck' | 'createAuthorization' | 'exchangeCode'>;

export interface StepConfig {
  /** How long a step stays open (plugin config `stepTtlSeconds`). */
  readonly stepTtlSeconds: number;
  /** Wrong passcodes allowed on one step before it is closed. */
  readonly maxPasscodeAttempts: number;
  /**
   * Duo prompts (pushes and phone calls) one step may send. A denied or unanswered one leaves the step open for
   * another way while any is left; the cap keeps a password holder from flooding the phone (push fatigue).
   */
  readonly maxPromptsPerStep: number;
  /** How long one status request waits on Duo's long-poll before answering `waiting` (plugin config `statusWaitMs`). */
  readonly statusWaitMs: number;
}

/** Everything the engine uses, handed in: it knows nothing of Strapi or its version. */
export interface StepEngineDeps {
  readonly store: Pick<
    StepStore,
    | 'create'
    | 'find'
    | 'reload'
    | 'update'
    | 'allow'
    | 'consume'
    | 'consumePending'
    | 'deny'
    | 'cancel'
    | 'takePasscodeAttempt'
    | 'takePrompt'
    | 'settlePrompt'
    | 'findByState'
    | 'claimState'
  >;
  readonly audit: Pick<AuditService, 'log' | 'reserveCounted' | 'settle' | 'discard'>;
  /**
   * Runs database work (store, audit, enrolments) as one transaction: the writes of one step request commit once
   * (on SQLite each commit is a synchronous fsync). Only database work inside: never a call to Duo.
   */
  readonly atomically: <T>(work: () => Promise<T>) => Promise<T>;
  readonly enrollments: Pick<
    EnrollmentService,
    'find' | 'enable' | 'disable' | 'touchActive' | 'startActivation' | 'consumeRecovery'
  >;
  /** The accounts' one-time backup codes. */
  readonly backupCodes: Pick<BackupCodeService, 'issueSet' | 'redeem' | 'remaining' | 'forget'>;
  /** Grace periods of required roles: whether a sign-in may postpone enrolment, and taking one postponement. */
  readonly grace: Pick<GraceService, 'offer' | 'postpone'>;
  readonly settings: { get(): Promise<EffectiveSettings> };
  /** Seals what a database reader must not be able to use (an activation in progress). */
  readonly secrets: { seal(plaintext: string): string; open(sealed: string): string | undefined };
  /** The Duo client for these settings. */
  readonly duo: (settings: EffectiveSettings) => StepDuoClient;
  /** The Universal Prompt client for these settings. */
  readonly universal: (settings: EffectiveSettings) => StepUniversalClient;
  readonly policy: Pick<PolicyService, 'duoUsername'>;
  readonly adapters: AudienceAdapters;
  /**
   * Hands a sealed remembered-device envelope to whoever signed in, in the audience's transport (the host's: a
   * cookie for the admin, a field of the answer for client apps). Returns the answer to send.
   */
  readonly handRemembered: (delivery: RememberedDelivery) => unknown;
  /** Read per call, as the plugin config is. */
  readonly config: () => StepConfig;
  /** The server log (Strapi's); Duo's refusals and failures are reported there for the operator. */
  readonly log?: { warn(message: string): void };
}

export interface RememberedDelivery {
  readonly audience: Audience;
  readonly sealed: string;
  /** How long the envelope may be kept; it is refused once older in any case. */
  readonly maxAgeMs: number;
  readonly exchange: StepExchange;
  /** The answer the step would send without it. */
  readonly body: unknown;
}

export interface BeginInput {
  readonly audience: Audience;
  readonly user: { readonly id: number; readonly email?: string | null; readonly username?: string | null };
  readonly purpose: StepPurpose;
  /** Opaque to the engine: handed back to the adapter on allow (which path started the login). */
  readonly flow?: unknown;
  readonly ip?: string | undefined;
  /** Where Duo's Universal Prompt sends the browser back to (the host knows its routes and origin). */
  readonly universal?: UniversalReturn;
  /**
   * The remembered-device envelope the browser (staff cookie) or app (clients header) presented, unchecked: see
   * remember.ts. Only a sign-in (`purpose: 'login'`) through the Auth API uses it.
   */
  readonly remembered?: PresentedEnvelope | undefined;
}

/** A remembered-device envelope as the sign-in presented it. */
export interface PresentedEnvelope {
  readonly value: string;
  /**
   * Drops it where it is kept, when the host can (the admin browser's cookie): one that can never work again
   * (unreadable, expired, from a forgotten enrolment) would otherwise be presented, and refused, at every sign-in.
   */
  readonly forget?: () => void;
}

export interface UniversalReturn {
  /** The plugin's callback for this audience, absolute: Duo redirects there with `duo_code` and `state`. */
  readonly callbackUrl: string;
  /**
   * Where the callback sends the browser on. Staff: the step page. Clients: the URL the front end asked for
   * (`X-Duo-Return-To`), which must be one of the settings' return URLs; absent, the first of them.
   */
  readonly returnUrl?: string | undefined;
}

/** What Duo's redirect brought back to the callback (query parameters, unchecked). */
export interface UniversalCallbackQuery {
  readonly state: unknown;
  readonly duoCode: unknown;
  readonly error: unknown;
  readonly errorDescription: unknown;
}

/**
 * Where the callback sends the browser, and what goes in the URL's fragment (never sent to a server, so never in an
 * access log): `duo_completion` on allow, else `duo_error` and `duo_error_description`. `returnUrl` is absent when
 * the state named no step: the host sends the browser to its default place.
 */
export interface UniversalCallbackResult {
  readonly returnUrl?: string;
  readonly fragment: Readonly<Record<string, string>>;
}

export type BeginResult =
  | { readonly kind: 'allow'; readonly via: 'bypass' | 'fail-open' | 'recovery'; readonly duoUsername: string }
  | { readonly kind: 'step'; readonly details: DuoStepDetails };

/** While the step is open; on allow the answer is the adapter's instead. */
export interface StepState {
  readonly state: 'pending' | 'waiting' | 'denied' | 'enrolling' | 'cancelled';
  readonly duoStatus?: string;
  readonly message?: string;
  /** After Duo denied a push or call: how many more this step may send (0: the step is over). */
  readonly promptsLeft?: number;
  readonly duo?: DuoOptions;
}

export type StepAnswer =
  { readonly done: true; readonly body: unknown } | { readonly done: false; readonly body: StepState };

/**
 * The Duo step between a correct password and a credential, for both audiences. Steps are addressed by their
 * opaque id and bound to their audience; every state is in the step row, so any instance can continue a step.
 */
export interface StepEngine {
  /** After a correct password: ask Duo, then allow, refuse, or open a step. */
  begin(input: BeginInput): Promise<BeginResult>;
  /** Sends a Duo Push (async) or starts a phone call; the status endpoint follows it. */
  startOutOfBand(
    audience: Audience,
    id: unknown,
    factor: 'push' | 'phone',
    deviceId: unknown,
  ): Promise<StepState & { verificationCode?: string }>;
  /** Asks Duo to text new passcodes to the device. */
  sendSms(audience: Audience, id: unknown, deviceId: unknown): Promise<StepState>;
  submitPasscode(audience: Audience, id: unknown, passcode: string, exchange: StepExchange): Promise<StepAnswer>;
  /** One of the account's backup codes in place of Duo, at sign-in only; counted as a passcode try. */
  submitBackupCode(audience: Audience, id: unknown, code: string, exchange: StepExchange): Promise<StepAnswer>;
  /** Finishes a sign-in that must enrol without Duo, while its required role's grace period lasts. */
  postpone(audience: Audience, id: unknown, exchange: StepExchange): Promise<StepAnswer>;
  /**
   * The step's state. While a push or call runs, waits for Duo's next status (Duo long-polls); on allow returns
   * the adapter's answer, once.
   */
  status(audience: Audience, id: unknown, wait: boolean, exchange: StepExchange): Promise<StepAnswer>;
  /** Enrolment inside the step (a user Duo does not know yet). */
  startActivation(audience: Audience, id: unknown): Promise<StepState>;
  cancel(audience: Audience, id: unknown): Promise<void>;
  /** Duo's Universal Prompt sent the browser back: checks the state, trades Duo's code and records the verdict. */
  universalCallback(audience: Audience, query: UniversalCallbackQuery): Promise<UniversalCallbackResult>;
  /** Finishes a Universal Prompt step with the completion code its callback handed out: the login's answer, once. */
  complete(audience: Audience, id: unknown, completion: string, exchange: StepExchange): Promise<StepAnswer>;
  /** The "Duo is on" answer outside a step (a Duo bypass user turning Duo on keeps a working session). */
  completeEnable(audience: Audience, userId: number, via: DuoVia, exchange: StepExchange): Promise<unknown>;
}
