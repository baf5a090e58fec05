import { SandboxControlError } from './errors';
import type { Capability, DeviceSpec, PushResponse, UserPatch, UserSpec, UserStatus } from './types';

/** Strict checks for control-API bodies: unknown keys are refused, so a typo in a test fails loudly. */

type Json = Record<string, unknown>;

const STATUSES: readonly UserStatus[] = ['active', 'bypass', 'disabled', 'locked_out'];
const RESPONSES: readonly PushResponse[] = ['manual', 'approve', 'deny'];
const CAPABILITIES: readonly Capability[] = ['auto', 'push', 'sms', 'phone', 'mobile_otp'];

function bad(message: string): never {
  throw new SandboxControlError(400, message);
}

export function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${what} must be a JSON object`);
  return value as Json;
}

export function onlyKeys(value: Json, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) bad(`Unknown ${what} field(s): ${unknown.join(', ')}`);
}

function optionalString(value: Json, key: string): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'string') bad(`${key} must be a string`);
  return field;
}

function optionalEnum<T extends string>(value: Json, key: string, allowed: readonly T[]): T | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  const match = allowed.find((a) => a === field);
  if (match === undefined) bad(`${key} must be one of ${allowed.join(', ')}`);
  return match;
}

function optionalBoolean(value: Json, key: string): boolean | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'boolean') bad(`${key} must be true or false`);
  return field;
}

function optionalDelay(value: Json, key: string): number | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'number' || !Number.isFinite(field) || field < 0) bad(`${key} must be a number >= 0`);
  return field;
}

function optionalStrings(value: Json, key: string): string[] | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (!Array.isArray(field) || field.some((item) => typeof item !== 'string'))
    bad(`${key} must be an array of strings`);
  return field as string[];
}

function deviceSpec(raw: unknown): DeviceSpec {
  const value = asObject(raw, 'A device');
  onlyKeys(value, ['type', 'name', 'platform', 'number', 'capabilities', 'passcode'], 'device');
  const capabilities = optionalStrings(value, 'capabilities');
  if (capabilities?.some((c) => !(CAPABILITIES as readonly string[]).includes(c))) {
    bad(`capabilities must be among ${CAPABILITIES.join(', ')}`);
  }
  const type = optionalEnum(value, 'type', ['phone', 'token'] as const);
  const name = optionalString(value, 'name');
  const platform = optionalString(value, 'platform');
  const number = optionalString(value, 'number');
  const passcode = optionalString(value, 'passcode');
  return {
    ...(type === undefined ? {} : { type }),
    ...(name === undefined ? {} : { name }),
    ...(platform === undefined ? {} : { platform }),
    ...(number === undefined ? {} : { number }),
    ...(capabilities === undefined ? {} : { capabilities: capabilities as Capability[] }),
    ...(passcode === undefined ? {} : { passcode }),
  };
}

export function parseUserPatch(raw: unknown): UserPatch {
  const value = asObject(raw, 'A user update');
  onlyKeys(value, ['status', 'verifiedPush', 'pushResponse', 'pushDelayMs', 'bypassCodes'], 'user');
  const status = optionalEnum(value, 'status', STATUSES);
  const verifiedPush = optionalBoolean(value, 'verifiedPush');
  const pushResponse = optionalEnum(value, 'pushResponse', RESPONSES);
  const pushDelayMs = optionalDelay(value, 'pushDelayMs');
  const bypassCodes = optionalStrings(value, 'bypassCodes');
  return {
    ...(status === undefined ? {} : { status }),
    ...(verifiedPush === undefined ? {} : { verifiedPush }),
    ...(pushResponse === undefined ? {} : { pushResponse }),
    ...(pushDelayMs === undefined ? {} : { pushDelayMs }),
    ...(bypassCodes === undefined ? {} : { bypassCodes }),
  };
}

export function parseUserSpec(raw: unknown): UserSpec {
  const value = asObject(raw, 'A user');
  const { username, devices, ...rest } = value;
  if (typeof username !== 'string' || username === '') bad('username must be a non-empty string');
  if (devices !== undefined && !Array.isArray(devices)) bad('devices must be an array');
  return {
    username,
    ...parseUserPatch(rest),
    ...(devices === undefined ? {} : { devices: (devices as unknown[]).map(deviceSpec) }),
  };
}

export function parseApprove(raw: unknown): { verificationCode?: string } {
  const value = asObject(raw ?? {}, 'An approval');
  onlyKeys(value, ['verificationCode'], 'approval');
  const verificationCode = optionalString(value, 'verificationCode');
  return verificationCode === undefined ? {} : { verificationCode };
}

export function parseDeny(raw: unknown): { fraud?: boolean } {
  const value = asObject(raw ?? {}, 'A denial');
  onlyKeys(value, ['fraud'], 'denial');
  const fraud = optionalBoolean(value, 'fraud');
  return fraud === undefined ? {} : { fraud };
}

export function parseSkew(raw: unknown): number {
  const value = asObject(raw, 'A skew');
  onlyKeys(value, ['ms'], 'skew');
  const ms = value['ms'];
  if (typeof ms !== 'number' || !Number.isFinite(ms)) bad('ms must be a number');
  return ms;
}
