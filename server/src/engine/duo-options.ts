import type { DuoCapability, DuoPreauthResult } from '../duo/types';
import type { GraceView } from './grace-service';

/** What the client is told about its Duo options: enough to draw the step, nothing it could abuse. */
export type ClientFactor = 'push' | 'phone' | 'sms' | 'passcode';

export interface ClientDevice {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly capabilities: readonly DuoCapability[];
}

export type DuoOptions = DuoChoices & {
  /**
   * A sign-in that must enrol, under a required role's grace period: enrolment may be postponed (the step's
   * `postpone` action) and this is how much is left.
   */
  readonly grace?: GraceView;
  /**
   * Whether one of the account's backup codes can finish this step: a sign-in of an account with unused codes. False
   * for one that must enrol without any (codes come with turning Duo on), so a front end offers no form that can only
   * fail and use up the step's passcode tries. Absent under the Universal Prompt (Duo's page has its own ways in).
   */
  readonly backupCodes?: boolean;
};

type DuoChoices =
  | {
      readonly result: 'auth';
      readonly devices: readonly ClientDevice[];
      readonly factors: readonly ClientFactor[];
      readonly verifiedPush: boolean;
    }
  | {
      readonly result: 'enroll';
      /** Duo's own enrolment portal, when Duo offered one. */
      readonly enrollPortalUrl?: string;
      /** Set once an activation was started for this step. */
      readonly activation?: ActivationView;
    }
  | {
      /**
       * Duo could not be reached at the password and the fail mode is closed, but the account has backup codes:
       * the step takes one of them, nothing else.
       */
      readonly result: 'unavailable';
    }
  | {
      /** Universal Prompt: the browser goes here, top level (never a fetch or a frame), and Duo sends it back. */
      readonly result: 'universal';
      /**
       * In the answer only. The stored copy has none: the URL's signed request carries the `state`, which the step
       * row keeps only as a hash, so a reader of the database cannot take it to the callback.
       */
      readonly authorizeUrl?: string;
    };

export interface ActivationView {
  readonly qrCodeUrl: string;
  readonly activationUrl: string;
  readonly activationCode: string;
  readonly expiresAt: string;
}

/** The Duo options kept on the step row (its `challenge` column): the client view plus what only the server needs. */
export interface StoredDuoOptions {
  readonly view: DuoOptions;
  /** Verified Push: Duo's txid to pass to the push, and the code to show. */
  readonly verifiedPush?: { readonly txid: string; readonly code: string };
  /** Duo's user id once an activation was started. */
  readonly duoUserId?: string;
  /**
   * The started activation's view (QR code, link, code), sealed like the Secret Key: whoever holds it can activate
   * Duo Mobile as this user, so the stored `view` never carries it.
   */
  readonly activationSealed?: string;
  /** Universal Prompt: what the code exchange needs again, and the one-time completion once Duo allowed. */
  readonly universal?: UniversalPending;
}

export interface UniversalPending {
  /** Must come back in the id_token. */
  readonly nonce: string;
  /** Sent again, byte for byte, to Duo's token endpoint. */
  readonly redirectUri: string;
  /** Where the callback sends the browser back to (clients: an allow-listed front-end URL; staff: the step page). */
  readonly returnUrl: string;
  /** SHA-256 of the one-time completion code the callback handed the browser; set once Duo allowed. */
  readonly completionHash?: string;
  readonly completionExpiresAt?: string;
}

export function duoOptionsFromPreauth(preauth: DuoPreauthResult & { result: 'auth' | 'enroll' }): StoredDuoOptions {
  if (preauth.result === 'enroll') {
    return {
      view: {
        result: 'enroll',
        ...(preauth.enrollPortalUrl === undefined ? {} : { enrollPortalUrl: preauth.enrollPortalUrl }),
      },
    };
  }
  const devices = preauth.devices.map((d) => ({
    id: d.device,
    name: d.displayName || d.name || d.device,
    type: d.type,
    capabilities: d.capabilities,
  }));
  const factors = new Set<ClientFactor>();
  for (const device of devices) {
    if (device.capabilities.includes('push')) factors.add('push');
    if (device.capabilities.includes('phone')) factors.add('phone');
    if (device.capabilities.includes('sms')) factors.add('sms');
  }
  // Passcodes always work: Duo Mobile, SMS, hardware tokens and bypass codes.
  factors.add('passcode');
  return {
    view: { result: 'auth', devices, factors: [...factors], verifiedPush: preauth.verifiedPush !== undefined },
    ...(preauth.verifiedPush === undefined
      ? {}
      : { verifiedPush: { txid: preauth.verifiedPush.txid, code: preauth.verifiedPush.verificationCode } }),
  };
}

export function isStoredDuoOptions(value: unknown): value is StoredDuoOptions {
  return value !== null && typeof value === 'object' && 'view' in value;
}
