import { DuoAuthClient, type DuoAuthClientOptions } from '../duo/client';
import { DuoError } from '../duo/errors';

/** The outcome of "Test connection", in words a person understands. */
export type ConnectionOutcome =
  | 'ok'
  | 'invalid-keys'
  | 'wrong-application-type'
  | 'unreachable'
  | 'timeout'
  | 'rate-limited'
  | 'clock-skew'
  | 'not-configured'
  | 'invalid-hostname'
  | 'error';

export interface ConnectionResult {
  readonly ok: boolean;
  readonly outcome: ConnectionOutcome;
  readonly message: string;
  readonly duoCode?: number;
  /** Duo's clock minus this server's clock, in ms. */
  readonly clockOffsetMs?: number;
  readonly clockSkewWarning: boolean;
  readonly checkedAt: string;
}

export interface ConnectionTarget {
  readonly integrationKey: string;
  readonly secretKey: string;
  readonly apiHostname: string;
}

/**
 * Beyond this the server clock is wrong enough to break Duo integrations that do not correct for it (Duo's own
 * window is not published; its reference server allows 300 s). The plugin corrects for the offset, but says so.
 */
export const CLOCK_SKEW_WARNING_MS = 60_000;

export type ClientOptions = Omit<DuoAuthClientOptions, 'integrationKey' | 'secretKey' | 'apiHostname'>;

/** "Enter …" for a type whose credentials are not all given. */
export function notConfigured(what: string, checkedAt: string): ConnectionResult {
  return { ok: false, outcome: 'not-configured', message: `Enter ${what}.`, clockSkewWarning: false, checkedAt };
}

/** Duo answered: connected, with the clock offset measured on the way and a warning from 60 s. */
export function connected(offset: number, valid: string, checkedAt: string): ConnectionResult {
  const skewed = Math.abs(offset) >= CLOCK_SKEW_WARNING_MS;
  return {
    ok: true,
    outcome: 'ok',
    message: skewed
      ? `Connected to Duo. This server's clock is ${describeOffset(offset)} Duo's. The plugin corrects for it, ` +
        'but other software on this server may fail: synchronise the clock with NTP.'
      : `Connected to Duo: ${valid}.`,
    clockOffsetMs: offset,
    clockSkewWarning: skewed,
    checkedAt,
  };
}

export async function checkConnection(
  target: ConnectionTarget,
  clientOptions: ClientOptions,
  now: () => Date = () => new Date(),
): Promise<ConnectionResult> {
  const checkedAt = now().toISOString();
  if (target.integrationKey === '' || target.secretKey === '' || target.apiHostname === '') {
    return notConfigured('the Integration Key, Secret Key and API Hostname of a Duo Auth API application', checkedAt);
  }
  let client: DuoAuthClient;
  try {
    client = new DuoAuthClient({ ...clientOptions, ...target });
  } catch (error) {
    return failure(error, checkedAt, undefined);
  }
  try {
    await client.check();
    return connected(client.clockOffsetMs, 'the keys are valid for an Auth API application', checkedAt);
  } catch (error) {
    return failure(error, checkedAt, client.clockOffsetMs);
  } finally {
    await client.close();
  }
}

/** The check's answer while the stored secret of the selected type cannot be opened: Duo is not even asked. */
export function undecryptableSecret(integration: 'auth-api' | 'universal'): ConnectionResult {
  const what = integration === 'universal' ? 'Client Secret' : 'Secret Key';
  return {
    ok: false,
    outcome: 'not-configured',
    message:
      `The stored ${what} cannot be decrypted: the encryption key (DUO_SECURITY_ENCRYPTION_KEY) changed. ` +
      `Enter the ${what} again.`,
    clockSkewWarning: false,
    checkedAt: new Date().toISOString(),
  };
}

export function describeOffset(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  const amount = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`;
  return offsetMs > 0 ? `${amount} behind` : `${amount} ahead of`;
}

/** A failed check in words; shared with the Universal Prompt's check (universal-check.ts) for what is not Duo refusing. */
export function failure(error: unknown, checkedAt: string, clockOffsetMs: number | undefined): ConnectionResult {
  const base = {
    ok: false as const,
    checkedAt,
    clockSkewWarning: clockOffsetMs !== undefined && Math.abs(clockOffsetMs) >= CLOCK_SKEW_WARNING_MS,
    ...(clockOffsetMs === undefined || clockOffsetMs === 0 ? {} : { clockOffsetMs }),
  };
  if (!(error instanceof DuoError)) {
    return { ...base, outcome: 'error', message: 'The connection test failed unexpectedly.' };
  }
  const duoCode = error.code === undefined ? {} : { duoCode: error.code };
  if (error.reason === 'config') return { ...base, outcome: 'invalid-hostname', message: error.message };
  if (error.isWrongApplicationType) {
    return {
      ...base,
      ...duoCode,
      outcome: 'wrong-application-type',
      message:
        'These keys belong to another type of Duo application. In the Duo Admin Panel, protect an "Auth API" ' +
        'application and use its keys.',
    };
  }
  if (error.isCredentialError || (error.reason === 'api' && error.httpStatus === 401 && !error.isClockError)) {
    return {
      ...base,
      ...duoCode,
      outcome: 'invalid-keys',
      message: `Duo rejected the Integration Key or Secret Key${error.duoMessage ? ` (${error.duoMessage})` : ''}.`,
    };
  }
  if (error.isClockError) {
    return {
      ...base,
      ...duoCode,
      clockSkewWarning: true,
      outcome: 'clock-skew',
      message: "Duo refused this server's time even after correcting for it: synchronise the server clock with NTP.",
    };
  }
  switch (error.reason) {
    case 'unavailable':
      return { ...base, outcome: 'unreachable', message: `Duo could not be reached: ${error.message}.` };
    case 'tls':
      return {
        ...base,
        outcome: 'unreachable',
        message:
          `${error.message}: it is expired, for another host name, or from a CA this server does not trust ` +
          '(a TLS-inspecting proxy needs its CA in the plugin config `ca`).',
      };
    case 'timeout':
      return { ...base, outcome: 'timeout', message: 'Duo did not answer in time.' };
    case 'rate-limited':
      return { ...base, outcome: 'rate-limited', message: 'Duo is rate limiting requests; try again in a minute.' };
    case 'protocol':
      return {
        ...base,
        outcome: 'unreachable',
        message: 'The API Hostname answered, but not like Duo: check the hostname (and any proxy in between).',
      };
    default:
      return { ...base, ...duoCode, outcome: 'error', message: error.message };
  }
}
