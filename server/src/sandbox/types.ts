/** Public types of the Duo sandbox. Field names that appear on the wire keep Duo's snake_case. */

import type {
  OAuthClientSpec,
  OAuthClientType,
  OAuthSwitches,
  PendingPrompt,
  PromptDecision,
  PromptOutcome,
  PromptResult,
  SandboxOAuthClient,
  TokenTamper,
} from './oauth/types';

export type * from './oauth/types';

export type IntegrationType = 'auth' | 'admin' | 'websdk';

export interface SandboxIntegration {
  readonly ikey: string;
  readonly skey: string;
  readonly type: IntegrationType;
}

export type Capability = 'auto' | 'push' | 'sms' | 'phone' | 'mobile_otp';
export type UserStatus = 'active' | 'bypass' | 'disabled' | 'locked_out';
export type PushResponse = 'manual' | 'approve' | 'deny';
export type NewUserPolicy = 'enroll' | 'allow' | 'deny';

export interface DeviceSpec {
  /** Default `phone`. */
  readonly type?: 'phone' | 'token';
  /** The name a user gave the device; `''` (unnamed) by default. */
  readonly name?: string;
  /** Phones: shown in `display_name` (default `iOS`). */
  readonly platform?: string;
  /** Phones: the full number; Duo only ever shows it masked. `''` for a tablet without a number. Default: random. */
  readonly number?: string;
  /** Phones only (Duo sends no capabilities for tokens). Default: all five. */
  readonly capabilities?: readonly Capability[];
  /** First passcode of the device's generator (Duo Mobile or token); 6 digits, random by default. */
  readonly passcode?: string;
}

export interface UserSpec {
  readonly username: string;
  readonly status?: UserStatus;
  /** Default: one phone with every capability. `[]` gives a user with no device (preauth says `enroll`). */
  readonly devices?: readonly DeviceSpec[];
  /** When the client declares support, preauth issues a Verified Push code that approval must repeat. */
  readonly verifiedPush?: boolean;
  /** `approve`/`deny` answer every push and call by themselves after `pushDelayMs` (demo, load tests). */
  readonly pushResponse?: PushResponse;
  readonly pushDelayMs?: number;
  readonly bypassCodes?: readonly string[];
}

export interface UserPatch {
  readonly status?: UserStatus;
  readonly verifiedPush?: boolean;
  readonly pushResponse?: PushResponse;
  readonly pushDelayMs?: number;
  readonly bypassCodes?: readonly string[];
}

/** A device as `/auth/v2/preauth` describes it. */
export interface DuoDevice {
  readonly device: string;
  readonly type: 'phone' | 'token';
  readonly display_name: string;
  readonly name: string;
  readonly number?: string;
  readonly capabilities?: readonly Capability[];
  readonly sms_nextcode?: string;
}

export interface SandboxDevice extends DuoDevice {
  /** The code Duo Mobile (or the token) shows right now; absent when the device generates none. */
  readonly passcode?: string;
}

export interface SandboxUser {
  readonly user_id: string;
  readonly username: string;
  readonly status: UserStatus;
  readonly verifiedPush: boolean;
  readonly pushResponse: PushResponse;
  readonly pushDelayMs: number;
  readonly bypassCodes: readonly string[];
  readonly devices: readonly SandboxDevice[];
}

export type TransactionStatus =
  'pushed' | 'calling' | 'answered' | 'allow' | 'deny' | 'fraud' | 'timeout' | 'sent' | 'bypass' | 'locked_out';

export interface PendingPush {
  readonly txid: string;
  readonly factor: 'push' | 'phone';
  readonly username: string;
  readonly user_id: string;
  readonly device: string;
  readonly device_display_name: string;
  readonly status: TransactionStatus;
  /** Verified Push: approval must carry the code the login screen shows. */
  readonly requiresVerificationCode: boolean;
  readonly type?: string;
  readonly display_username?: string;
  readonly pushinfo: Readonly<Record<string, string>>;
  readonly ipaddr?: string;
  readonly hostname?: string;
  /** Unix seconds on the sandbox clock. */
  readonly created: number;
  readonly expires: number;
}

export interface SmsMessage {
  readonly username: string;
  readonly user_id: string;
  readonly device: string;
  readonly number: string;
  readonly passcodes: readonly string[];
  readonly text: string;
  readonly sent: number;
}

export interface PendingActivation {
  /** `enroll`: from `/auth/v2/enroll`; `portal`: an unknown user sent to `enroll_portal_url`. */
  readonly kind: 'enroll' | 'portal';
  /** What `completeActivation` accepts: the `duo://` activation code, or the portal token. */
  readonly code: string;
  readonly username: string;
  readonly user_id?: string;
  readonly url: string;
  readonly expiration: number;
}

export interface SandboxSnapshot {
  /** Unix seconds on the sandbox clock (real clock plus skew). */
  readonly time: number;
  readonly users: readonly SandboxUser[];
  readonly pendingPushes: readonly PendingPush[];
  readonly smsMessages: readonly SmsMessage[];
  readonly pendingActivations: readonly PendingActivation[];
  /** What the virtual phone offers: one activation per user waiting to enrol (see phone-activations.ts). */
  readonly phoneActivations: readonly PendingActivation[];
}

interface FaultScope {
  /**
   * Exact request path, e.g. `/auth/v2/preauth`. When omitted: every `/auth/v2/*` path plus the server-to-server
   * `/oauth/v1/health_check` and `/oauth/v1/token`; the browser's `/oauth/v1/authorize` only when named.
   */
  readonly path?: string;
  /** How many requests the fault applies to; unlimited when omitted. */
  readonly times?: number;
}

export type Fault = FaultScope &
  (
    | { readonly kind: 'latency'; readonly ms: number }
    | { readonly kind: 'status'; readonly status: 500 | 502 | 503; readonly body?: 'json' | 'html' | 'empty' }
    | {
        readonly kind: 'rate-limit';
        /** Seconds or an HTTP date; no header at all when omitted. */
        readonly retryAfter?: number | string;
        readonly header?: 'Retry-After' | 'X-Retry-After';
      }
    | { readonly kind: 'garbage' }
    | { readonly kind: 'html' }
    | { readonly kind: 'empty' }
    | { readonly kind: 'wrong-app-type' }
    | { readonly kind: 'hang' }
    /** Only on `/oauth/v1/token`: the exchange succeeds but its answer carries this one defect. */
    | { readonly kind: 'token'; readonly tamper: TokenTamper }
    /**
     * Answers 200 with JSON headers at once, then a byte of whitespace every `intervalMs` and never the end: a body
     * that trickles in past any deadline (what a slowloris-like or stalled proxy does).
     */
    | { readonly kind: 'trickle'; readonly intervalMs: number }
    | { readonly kind: 'close' }
    | {
        /**
         * Answers with exactly this JSON (status 200 unless given): for replies the sandbox would never make itself,
         * e.g. a `status_msg` full of terminal escapes, an `allow` without `status_msg`, a `result` nobody knows.
         */
        readonly kind: 'reply';
        readonly status?: number;
        readonly body: unknown;
      }
  );

export type FaultKind = Fault['kind'];

export interface SandboxStats {
  /** TCP connections accepted, whatever they carried. */
  readonly connections: number;
  /** Requests to `/auth/v2/*` and `/oauth/v1/*`. */
  readonly requests: number;
  readonly byPath: Readonly<Record<string, number>>;
  /** Requests to the control API (`/sandbox/*`), counted apart so they never disturb assertions on the above. */
  readonly controlRequests: number;
}

export interface SandboxLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly integrations?: readonly SandboxIntegration[];
  /** Shorthand for one `auth` integration (ignored when `integrations` is given). */
  readonly ikey?: string;
  readonly skey?: string;
  /** Host name in the canonical text; by default the request's `Host` header without its port. */
  readonly apiHostname?: string;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Real clock in ms; the sandbox clock is this plus the skew. */
  readonly now?: () => number;
  readonly newUserPolicy?: NewUserPolicy;
  /** Longest hold of an `auth_status` long-poll (default 25000). */
  readonly longPollMs?: number;
  /** A push or call nobody answers times out after this long (default 60000). */
  readonly pushTimeoutMs?: number;
  /** A phone call rings this long before it is answered (default 1000). */
  readonly phoneRingMs?: number;
  /** Accepted distance between the request date and the sandbox clock (default 300). */
  readonly dateToleranceSec?: number;
  /** Start even with `NODE_ENV=production`. */
  readonly force?: boolean;
  readonly logger?: SandboxLogger;
  /** Universal Prompt applications; one `websdk` client is generated when none is given. */
  readonly oauthClients?: readonly OAuthClientSpec[];
  /** Lifetime of an authorization code (default 60). */
  readonly codeTtlSec?: number;
  /** Users to create at start. */
  readonly users?: readonly UserSpec[];
}

export interface ApproveOptions {
  readonly verificationCode?: string;
}

export interface DenyOptions {
  readonly fraud?: boolean;
}

export interface DuoSandboxControl {
  addUser(spec: UserSpec): SandboxUser;
  updateUser(username: string, patch: UserPatch): SandboxUser;
  removeUser(username: string): void;
  user(username: string): SandboxUser | undefined;
  pendingPushes(): PendingPush[];
  approve(txid: string, options?: ApproveOptions): void;
  deny(txid: string, options?: DenyOptions): void;
  currentPasscode(username: string, deviceId?: string): string;
  smsPasscodes(username: string): string[];
  completeActivation(codeOrUserId: string): SandboxUser;
  setFault(fault: Fault): void;
  faults(): Fault[];
  clearFaults(): void;
  setSkew(ms: number): void;
  skew(): number;
  stats(): SandboxStats;
  resetStats(): void;
  state(): SandboxSnapshot;
  addOAuthClient(spec?: OAuthClientSpec): SandboxOAuthClient;
  setOAuthClientType(clientId: string, type: OAuthClientType): SandboxOAuthClient;
  oauthClients(): SandboxOAuthClient[];
  /** The user's next authorize request is answered with this outcome (a 302, or the denied page). */
  presetPrompt(username: string, outcome: PromptOutcome): void;
  pendingPrompts(): PendingPrompt[];
  /** Decides a waiting prompt as a person would, and says where the browser goes. */
  decidePrompt(id: string, decision: PromptDecision): PromptResult;
  setOAuthSwitches(switches: OAuthSwitches): OAuthSwitches;
  /** The Auth API application's "Remembered devices" policy: a period in seconds, or null for off (the default). */
  setRememberedDevices(periodSec: number | null): void;
  rememberedDevices(): { periodSec: number | null };
  /** How many unexpired trusted-device tokens the sandbox has issued to the user. */
  trustedDevices(username: string): number;
}

export interface DuoSandbox extends DuoSandboxControl {
  /** Where to connect, e.g. `http://127.0.0.1:53122`. */
  readonly url: string;
  readonly port: number;
  /** Keys of the first `auth` integration. The secret is a throw-away test key. */
  readonly ikey: string;
  readonly skey: string;
  /** The host a client signs for: configured, or the listening host (any `Host` header is accepted then). */
  readonly apiHostname: string;
  readonly integrations: readonly SandboxIntegration[];
  /** The first Universal Prompt application at start. */
  readonly clientId: string;
  readonly clientSecret: string;
  close(): Promise<void>;
}
