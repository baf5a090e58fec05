/**
 * The Duo step as the admin pages drive it (POST /duo-security/step/<action>, the step id in the body): the
 * same protocol as the login step page, used here to turn Duo on or off for the signed-in administrator.
 */

export type Factor = 'push' | 'phone' | 'sms' | 'passcode';

export interface DuoDevice {
  id: string;
  name: string;
  type: string;
  capabilities: string[];
}

export interface Activation {
  qrCodeUrl: string;
  activationUrl: string;
  activationCode: string;
  expiresAt: string | null;
}

export type DuoOptions =
  | { result: 'auth'; devices: DuoDevice[]; factors: string[]; verifiedPush: boolean }
  | { result: 'enroll'; enrollPortalUrl?: string; activation?: Activation };

export interface StepStart {
  step: { id: string; expiresAt: string | null };
  duo: DuoOptions;
}

/** Under Duo's Universal Prompt a step is passed on Duo's own page: the step page takes the tab there and back. */
export interface UniversalStart {
  step: { id: string; expiresAt: string | null };
  authorizeUrl: string;
}

/** `{ data: state }` while the step is open. */
export interface StepState {
  state: 'pending' | 'waiting' | 'denied' | 'enrolling' | 'cancelled';
  duoStatus?: string;
  message?: string;
  verificationCode?: string;
  duo?: DuoOptions;
}

/**
 * The end of an enable (a new token, and the first backup codes when the account had none), a disable, or a new set
 * of backup codes (`enabled` absent: Duo stays as it was).
 */
export type StepResult =
  | { enabled: true; token: string | null; backupCodes?: string[] }
  | { enabled: false }
  | { enabled?: undefined; backupCodes: string[] };

export type StepAction = 'push' | 'phone' | 'sms' | 'passcode' | 'status' | 'enroll' | 'cancel';

export const STEP_PATH = '/duo-security/step';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Links and images only from http(s) URLs, never `javascript:`. */
export function httpUrl(value: unknown): string | undefined {
  if (!isString(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function readDevice(value: unknown): DuoDevice[] {
  if (!isRecord(value) || !isString(value.id) || !isString(value.name) || !isString(value.type)) return [];
  const capabilities = Array.isArray(value.capabilities) ? value.capabilities.filter(isString) : [];
  return [{ id: value.id, name: value.name, type: value.type, capabilities }];
}

function readActivation(value: unknown): Activation | undefined {
  if (!isRecord(value) || !isString(value.activationCode)) return undefined;
  const qrCodeUrl = httpUrl(value.qrCodeUrl);
  const activationUrl = httpUrl(value.activationUrl);
  if (qrCodeUrl === undefined || activationUrl === undefined) return undefined;
  const expiresAt = isString(value.expiresAt) ? value.expiresAt : null;
  return { qrCodeUrl, activationUrl, activationCode: value.activationCode, expiresAt };
}

export function readDuoOptions(value: unknown): DuoOptions | undefined {
  if (!isRecord(value)) return undefined;
  if (value.result === 'auth') {
    return {
      result: 'auth',
      devices: Array.isArray(value.devices) ? value.devices.flatMap(readDevice) : [],
      factors: Array.isArray(value.factors) ? value.factors.filter(isString) : ['passcode'],
      verifiedPush: value.verifiedPush === true,
    };
  }
  if (value.result !== 'enroll') return undefined;
  const portal = httpUrl(value.enrollPortalUrl);
  const activation = readActivation(value.activation);
  return {
    result: 'enroll',
    ...(portal === undefined ? {} : { enrollPortalUrl: portal }),
    ...(activation === undefined ? {} : { activation }),
  };
}

/** The answer of /me/enable or /me/disable: a step to drive, or (a Duo bypass user) the result at once. */
export function readStart(data: unknown): StepStart | UniversalStart | StepResult | undefined {
  const result = readResult(data);
  if (result !== undefined) return result;
  if (!isRecord(data) || !isRecord(data.step) || !isString(data.step.id)) return undefined;
  const expiresAt = isString(data.step.expiresAt) ? data.step.expiresAt : null;
  if (isRecord(data.duo) && data.duo.result === 'universal') {
    const authorizeUrl = httpUrl(data.duo.authorizeUrl);
    return authorizeUrl === undefined ? undefined : { step: { id: data.step.id, expiresAt }, authorizeUrl };
  }
  const duo = readDuoOptions(data.duo);
  if (duo === undefined) return undefined;
  return { step: { id: data.step.id, expiresAt }, duo };
}

export function isStepStart(value: StepStart | UniversalStart | StepResult): value is StepStart {
  return 'duo' in value;
}

export function isUniversalStart(value: StepStart | UniversalStart | StepResult): value is UniversalStart {
  return 'authorizeUrl' in value;
}

/**
 * `{ enabled, token? }` (also `jwt`, as the clients' answer names it), or `{ backupCodes }` alone (a new set);
 * undefined for a step state.
 */
export function readResult(data: unknown): StepResult | undefined {
  if (!isRecord(data)) return undefined;
  if (data.enabled === undefined && Array.isArray(data.backupCodes))
    return { backupCodes: data.backupCodes.filter(isString) };
  if (typeof data.enabled !== 'boolean') return undefined;
  if (!data.enabled) return { enabled: false };
  const token = isString(data.token) ? data.token : isString(data.jwt) ? data.jwt : null;
  const codes = Array.isArray(data.backupCodes) ? data.backupCodes.filter(isString) : [];
  return { enabled: true, token, ...(codes.length > 0 ? { backupCodes: codes } : {}) };
}

export function readState(data: unknown): StepState {
  if (!isRecord(data)) return { state: 'pending' };
  const state = ['pending', 'waiting', 'denied', 'enrolling', 'cancelled'].includes(String(data.state))
    ? (data.state as StepState['state'])
    : 'pending';
  const duo = readDuoOptions(data.duo);
  return {
    state,
    ...(isString(data.duoStatus) ? { duoStatus: data.duoStatus } : {}),
    ...(isString(data.message) ? { message: data.message } : {}),
    ...(isString(data.verificationCode) ? { verificationCode: data.verificationCode } : {}),
    ...(duo === undefined ? {} : { duo }),
  };
}
