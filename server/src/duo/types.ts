/** Typed results of the Auth API v2 endpoints, in the client's own (camelCase) shape. */

export type DuoCapability = 'auto' | 'push' | 'sms' | 'phone' | 'mobile_otp';
export type DuoFactor = 'auto' | 'push' | 'passcode' | 'sms' | 'phone';

export interface DuoDevice {
  readonly device: string;
  readonly type: string;
  readonly displayName: string;
  readonly name: string;
  /** Masked phone number (`XXX-XXX-1234`) or empty. */
  readonly number: string;
  /** Capabilities Duo reported; unknown ones are dropped. Token devices have none. */
  readonly capabilities: readonly DuoCapability[];
  /** First digit of the next SMS passcode, when SMS passcodes were sent. */
  readonly smsNextcode?: string;
}

export interface DuoVerifiedPush {
  readonly txid: string;
  /** The code the user must type in Duo Mobile. */
  readonly verificationCode: string;
  /** Unix seconds. */
  readonly expiration?: number;
}

export type DuoPreauthResult =
  | {
      readonly result: 'auth';
      readonly statusMsg: string;
      readonly devices: readonly DuoDevice[];
      readonly verifiedPush?: DuoVerifiedPush;
    }
  | { readonly result: 'allow'; readonly statusMsg: string }
  | { readonly result: 'deny'; readonly statusMsg: string }
  | { readonly result: 'enroll'; readonly statusMsg: string; readonly enrollPortalUrl?: string };

export interface DuoAuthResult {
  readonly result: 'allow' | 'deny';
  /** Informational (`allow`, `deny`, `sent`, `timeout`, `fraud`…); decide on `result`. */
  readonly status: string;
  readonly statusMsg: string;
  readonly trustedDeviceToken?: string;
}

export interface DuoAuthStatusResult {
  readonly result: 'waiting' | 'allow' | 'deny';
  readonly status: string;
  readonly statusMsg: string;
  readonly trustedDeviceToken?: string;
}

export interface DuoAsyncAuth {
  readonly txid: string;
}

export interface DuoEnrollment {
  /** URL of a QR image to scan with Duo Mobile. */
  readonly activationBarcode: string;
  readonly activationCode: string;
  /** Opening it on the phone activates Duo Mobile. */
  readonly activationUrl: string;
  /** Unix seconds. */
  readonly expiration: number;
  readonly userId: string;
  readonly username: string;
}

export type DuoEnrollStatus = 'success' | 'waiting' | 'invalid';

export interface DuoTime {
  /** Duo's clock, Unix seconds. */
  readonly time: number;
  /** Duo's clock minus ours, in milliseconds, as measured by this call. */
  readonly offsetMs: number;
}

export interface DuoLogo {
  readonly contentType: string;
  readonly data: Buffer;
}

/** Who Duo is asked about: exactly one of a username (or alias) and a Duo user id. */
export type DuoUserRef =
  { readonly username: string; readonly userId?: never } | { readonly userId: string; readonly username?: never };

export type DuoPreauthRequest = DuoUserRef & {
  readonly ipaddr?: string;
  readonly hostname?: string;
  readonly trustedDeviceToken?: string;
  readonly clientSupportsVerifiedPush?: boolean;
};

export type DuoAuthRequest = DuoUserRef & {
  readonly factor: DuoFactor;
  /** A device id or `auto`; required for `auto`, `push`, `phone` and `sms`. */
  readonly device?: string;
  /** For `passcode`. */
  readonly passcode?: string;
  readonly ipaddr?: string;
  readonly hostname?: string;
  /** Push: replaces the default wording in Duo Mobile. */
  readonly type?: string;
  /** Push: shown instead of the Duo username. */
  readonly displayUsername?: string;
  /** Push: key/value pairs shown in Duo Mobile. */
  readonly pushinfo?: Readonly<Record<string, string>>;
  /** Push: the Verified Push txid returned by preauth. */
  readonly txid?: string;
};

export interface DuoEnrollRequest {
  readonly username?: string;
  readonly validSecs?: number;
}

export interface DuoEnrollStatusRequest {
  readonly userId: string;
  readonly activationCode: string;
}

export interface DuoCallOptions {
  /** Aborts the call (and its retries) when it fires. */
  readonly signal?: AbortSignal;
  /** Overrides the per-call timeout for this call. */
  readonly timeoutMs?: number;
}
