import type {
  DuoAsyncAuth,
  DuoAuthResult,
  DuoAuthStatusResult,
  DuoCapability,
  DuoDevice,
  DuoEnrollment,
  DuoEnrollStatus,
  DuoPreauthResult,
} from './types';
import {
  isObject,
  optionalNumber,
  optionalString,
  protocolError,
  requireNumber,
  requireObject,
  requireResult,
  requireString,
  type JsonObject,
} from './read-fields';
import { escapeDuoText } from './duo-text';
import { DuoError } from './errors';

/**
 * Maps each endpoint's `response` to its typed result, validating what the plugin relies on. Duo's free text
 * (`status_msg`, `status`, device names) comes out escaped (see duo-text.ts): it is shown, stored and audited.
 */

/**
 * `status_msg`, escaped. An `allow` without one is refused: duo_unix answers such a reply "JSON missing valid
 * 'status'" and does not log in (its mockduo user `preauth-allow-bad_response`). A grant is the one answer that
 * must be whole; this one is refused whatever the fail mode (`unexpected-result`), not treated as an outage.
 */
function readStatusMsg(obj: JsonObject, result: string, path: string): string {
  const raw = optionalString(obj, 'status_msg', path);
  if (raw === undefined && result === 'allow') {
    throw new DuoError({
      reason: 'unexpected-result',
      message: `Duo answered ${path} with "allow" but no status_msg, a reply Duo's own clients refuse; treating it as a refusal`,
      path,
    });
  }
  return escapeDuoText(raw ?? '');
}

function readStatus(obj: JsonObject, result: string, path: string): string {
  return escapeDuoText(optionalString(obj, 'status', path) ?? result);
}

const CAPABILITIES: readonly DuoCapability[] = ['auto', 'push', 'sms', 'phone', 'mobile_otp'];

function readDevice(raw: unknown, path: string): DuoDevice {
  const obj = requireObject(raw, path, 'a device');
  const caps = obj.capabilities;
  if (caps !== undefined && !Array.isArray(caps)) throw protocolError(path, '"capabilities" is not a list');
  const capabilities = (caps ?? []).filter((c): c is DuoCapability => (CAPABILITIES as readonly unknown[]).includes(c));
  const smsNextcode = optionalString(obj, 'sms_nextcode', path);
  const name = escapeDuoText(optionalString(obj, 'name', path) ?? '');
  return {
    device: requireString(obj, 'device', path),
    type: optionalString(obj, 'type', path) ?? 'unknown',
    displayName: escapeDuoText(optionalString(obj, 'display_name', path) ?? name),
    name,
    number: optionalString(obj, 'number', path) ?? '',
    capabilities,
    ...(smsNextcode === undefined ? {} : { smsNextcode }),
  };
}

export function readTime(raw: unknown, path: string): number {
  return requireNumber(requireObject(raw, path, 'the response'), 'time', path);
}

export function readPreauth(raw: unknown, path: string): DuoPreauthResult {
  const obj = requireObject(raw, path, 'the response');
  const result = requireResult(obj, ['auth', 'allow', 'deny', 'enroll'] as const, path);
  const statusMsg = readStatusMsg(obj, result, path);
  switch (result) {
    case 'auth': {
      if (!Array.isArray(obj.devices)) throw protocolError(path, '"devices" is not a list');
      const devices = obj.devices.map((device) => readDevice(device, path));
      const txid = optionalString(obj, 'txid', path);
      const verificationCode = optionalString(obj, 'verification_code', path);
      const expiration = optionalNumber(obj, 'expiration', path);
      if (txid !== undefined && verificationCode !== undefined) {
        return {
          result,
          statusMsg,
          devices,
          verifiedPush: { txid, verificationCode, ...(expiration === undefined ? {} : { expiration }) },
        };
      }
      return { result, statusMsg, devices };
    }
    case 'enroll': {
      const enrollPortalUrl = optionalString(obj, 'enroll_portal_url', path);
      return { result, statusMsg, ...(enrollPortalUrl === undefined ? {} : { enrollPortalUrl }) };
    }
    default:
      return { result, statusMsg };
  }
}

function withToken<T extends object>(base: T, obj: JsonObject, path: string): T & { trustedDeviceToken?: string } {
  const token = optionalString(obj, 'trusted_device_token', path);
  return token === undefined ? base : { ...base, trustedDeviceToken: token };
}

export function readAuth(raw: unknown, path: string): DuoAuthResult {
  const obj = requireObject(raw, path, 'the response');
  const result = requireResult(obj, ['allow', 'deny'] as const, path);
  const status = readStatus(obj, result, path);
  return withToken({ result, status, statusMsg: readStatusMsg(obj, result, path) }, obj, path);
}

export function readAsyncAuth(raw: unknown, path: string): DuoAsyncAuth {
  const obj = requireObject(raw, path, 'the response');
  const txid = requireString(obj, 'txid', path);
  if (txid === '') throw protocolError(path, '"txid" is empty');
  return { txid };
}

export function readAuthStatus(raw: unknown, path: string): DuoAuthStatusResult {
  const obj = requireObject(raw, path, 'the response');
  const result = requireResult(obj, ['waiting', 'allow', 'deny'] as const, path);
  const status = readStatus(obj, result, path);
  return withToken({ result, status, statusMsg: readStatusMsg(obj, result, path) }, obj, path);
}

export function readEnrollment(raw: unknown, path: string): DuoEnrollment {
  const obj = requireObject(raw, path, 'the response');
  return {
    activationBarcode: requireString(obj, 'activation_barcode', path),
    activationCode: requireString(obj, 'activation_code', path),
    activationUrl: requireString(obj, 'activation_url', path),
    expiration: requireNumber(obj, 'expiration', path),
    userId: requireString(obj, 'user_id', path),
    username: requireString(obj, 'username', path),
  };
}

export function readEnrollStatus(raw: unknown, path: string): DuoEnrollStatus {
  if (raw === 'success' || raw === 'waiting' || raw === 'invalid') return raw;
  if (isObject(raw) || typeof raw === 'string') {
    throw new DuoError({
      reason: 'unexpected-result',
      message: `Duo answered ${path} with a status this client does not know; treating it as invalid`,
      path,
    });
  }
  throw protocolError(path, 'the response is not a status');
}
