import { SandboxControlError } from './errors';
import { newPhoneId, newTokenId, newUserId, randomDigits } from './ids';
import { nextPasscode, smsNextcode, type SmsBatch } from './passcodes';
import type {
  Capability,
  DeviceSpec,
  DuoDevice,
  PushResponse,
  SandboxDevice,
  SandboxUser,
  UserSpec,
  UserStatus,
} from './types';

export const ALL_CAPABILITIES: readonly Capability[] = ['auto', 'push', 'sms', 'phone', 'mobile_otp'];
/** What a phone gets by activating Duo Mobile only (no number): the first device of Duo's captured preauth. */
export const DUO_MOBILE_CAPABILITIES: readonly Capability[] = ['auto', 'push', 'mobile_otp'];

export interface Device {
  readonly id: string;
  readonly type: 'phone' | 'token';
  readonly name: string;
  readonly platform: string;
  readonly number: string;
  /** null for tokens: Duo sends no capabilities key for them. */
  readonly capabilities: readonly Capability[] | null;
  /** Current Duo Mobile / token code; null when the device generates none. */
  passcode: string | null;
  sms: SmsBatch | null;
}

export interface User {
  readonly id: string;
  readonly username: string;
  status: UserStatus;
  verifiedPush: boolean;
  pushResponse: PushResponse;
  pushDelayMs: number;
  devices: Device[];
  bypassCodes: string[];
  /** Consecutive wrong passcodes; Duo's default lockout threshold is 10. */
  failedAttempts: number;
}

export const LOCKOUT_THRESHOLD = 10;

export function createDevice(spec: DeviceSpec = {}): Device {
  const passcode = spec.passcode;
  if (passcode !== undefined && !/^\d{6}$/.test(passcode)) {
    throw new SandboxControlError(400, 'A device passcode is a string of 6 digits');
  }
  if (spec.type === 'token') {
    return {
      id: newTokenId(),
      type: 'token',
      name: spec.name ?? '',
      platform: 'Token',
      number: '',
      capabilities: null,
      passcode: passcode ?? nextPasscode(),
      sms: null,
    };
  }
  const capabilities = [...new Set(spec.capabilities ?? ALL_CAPABILITIES)];
  return {
    id: newPhoneId(),
    type: 'phone',
    name: spec.name ?? '',
    platform: spec.platform ?? 'iOS',
    number: spec.number ?? `+1555${randomDigits(7)}`,
    capabilities,
    passcode: capabilities.includes('mobile_otp') ? (passcode ?? nextPasscode()) : null,
    sms: null,
  };
}

export function createUser(spec: UserSpec): User {
  if (!spec.username) throw new SandboxControlError(400, 'A user needs a username');
  const bypassCodes = [...(spec.bypassCodes ?? [])];
  if (bypassCodes.some((code) => !/^\d{6,12}$/.test(code))) {
    throw new SandboxControlError(400, 'Bypass codes are strings of 6 to 12 digits');
  }
  return {
    id: newUserId(),
    username: spec.username,
    status: spec.status ?? 'active',
    verifiedPush: spec.verifiedPush ?? false,
    pushResponse: spec.pushResponse ?? 'manual',
    pushDelayMs: spec.pushDelayMs ?? 0,
    devices: (spec.devices ?? [{}]).map(createDevice),
    bypassCodes,
    failedAttempts: 0,
  };
}

/** Duo never shows a full number: `XXX-XXX-1234`. */
export function maskNumber(number: string): string {
  const digits = number.replace(/\D/g, '');
  return digits === '' ? '' : `XXX-XXX-${digits.slice(-4)}`;
}

export function displayName(device: Device): string {
  if (device.type === 'token') return device.name || 'Hardware token';
  const label = device.name || device.platform;
  const masked = maskNumber(device.number);
  return masked ? `${label} (${masked})` : label;
}

export function hasCapability(device: Device, capability: Capability): boolean {
  return device.capabilities?.includes(capability) ?? false;
}

/** The device as preauth lists it. */
export function duoDevice(device: Device): DuoDevice {
  const nextcode = smsNextcode(device.sms);
  if (device.type === 'token') {
    return { device: device.id, type: 'token', display_name: displayName(device), name: device.name };
  }
  return {
    capabilities: [...(device.capabilities ?? [])],
    device: device.id,
    display_name: displayName(device),
    name: device.name,
    number: maskNumber(device.number),
    ...(nextcode === undefined ? {} : { sms_nextcode: nextcode }),
    type: 'phone',
  };
}

export function sandboxUser(user: User): SandboxUser {
  return {
    user_id: user.id,
    username: user.username,
    status: user.status,
    verifiedPush: user.verifiedPush,
    pushResponse: user.pushResponse,
    pushDelayMs: user.pushDelayMs,
    bypassCodes: [...user.bypassCodes],
    devices: user.devices.map((device): SandboxDevice => ({
      ...duoDevice(device),
      ...(device.passcode === null ? {} : { passcode: device.passcode }),
    })),
  };
}

/**
 * Any code Duo would take for this user: a device's current generator value, an unused SMS code, or a bypass
 * code. Each works once, and success resets the lockout counter.
 */
export function consumePasscode(user: User, code: string): boolean {
  for (const device of user.devices) {
    if (device.passcode !== null && device.passcode === code) {
      device.passcode = nextPasscode(code);
      return true;
    }
    const sms = device.sms?.codes.find((c) => !c.used && c.code === code);
    if (sms) {
      sms.used = true;
      return true;
    }
  }
  const bypass = user.bypassCodes.indexOf(code);
  if (bypass >= 0) {
    user.bypassCodes.splice(bypass, 1);
    return true;
  }
  return false;
}
