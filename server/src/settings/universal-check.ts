import { DuoError } from '../duo/errors';
import { DuoUniversalClient, type DuoUniversalClientOptions } from '../duo/universal';
import { connected, failure, notConfigured, type ClientOptions, type ConnectionResult } from './connection-check';

/** What "Test connection" needs of a Universal Prompt (Web SDK) application. */
export interface UniversalTarget {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiHostname: string;
}

/** The plugin's Duo options (config/plugins.js) as the Universal Prompt client takes them. */
export function universalClientOptions(
  options: ClientOptions,
): Omit<DuoUniversalClientOptions, 'clientId' | 'clientSecret' | 'apiHostname'> {
  return {
    ...(options.production === undefined ? {} : { production: options.production }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    ...(options.timeouts?.shortMs === undefined ? {} : { timeoutMs: options.timeouts.shortMs }),
  };
}

/** Duo's OAuth error names for a client that exists but may not use this endpoint (another application type). */
const WRONG_TYPE_ERRORS = new Set(['unauthorized_request', 'unauthorized_client']);

/**
 * "Test connection" for the Universal Prompt: Duo's health check, signed with the Client Secret, proves the Client
 * ID and secret and measures the clock offset. Same result shape and wording as the Auth API's check, so the page
 * and the activation rule treat both types alike.
 */
export async function checkUniversalConnection(
  target: UniversalTarget,
  options: ClientOptions,
  now: () => Date = () => new Date(),
): Promise<ConnectionResult> {
  const checkedAt = now().toISOString();
  if (target.clientId === '' || target.clientSecret === '' || target.apiHostname === '') {
    return notConfigured('the Client ID, Client Secret and API Hostname of a Duo Web SDK application', checkedAt);
  }
  let client: DuoUniversalClient;
  try {
    client = new DuoUniversalClient({ ...target, ...universalClientOptions(options) });
  } catch (error) {
    return failure(error, checkedAt, undefined);
  }
  try {
    const { offsetMs } = await client.healthCheck();
    return connected(offsetMs, 'the Client ID and Client Secret are valid for a Web SDK application', checkedAt);
  } catch (error) {
    return refusal(error, checkedAt) ?? failure(error, checkedAt, undefined);
  } finally {
    await client.close();
  }
}

/** Duo answering no to the health check, in the Universal Prompt's terms; undefined for anything else. */
function refusal(error: unknown, checkedAt: string): ConnectionResult | undefined {
  if (!(error instanceof DuoError) || error.reason !== 'api') return undefined;
  const base = { ok: false as const, checkedAt, clockSkewWarning: false };
  const duoCode = error.code === undefined ? {} : { duoCode: error.code };
  if (error.isClockError) {
    return {
      ...base,
      ...duoCode,
      clockSkewWarning: true,
      outcome: 'clock-skew',
      message: "Duo refused this server's time: synchronise the server clock with NTP.",
    };
  }
  if (error.isWrongApplicationType || WRONG_TYPE_ERRORS.has(error.duoMessageRaw ?? '')) {
    return {
      ...base,
      ...duoCode,
      outcome: 'wrong-application-type',
      message:
        'This Client ID belongs to another type of Duo application. In the Duo Admin Panel, protect a "Web SDK" ' +
        'application and use its Client ID and Client Secret.',
    };
  }
  // Duo's words are its error name (invalid_client…), never the request: safe to show, and they help support.
  return {
    ...base,
    ...duoCode,
    outcome: 'invalid-keys',
    message: `Duo rejected the Client ID or Client Secret${error.duoMessage ? ` (${error.duoMessage})` : ''}.`,
  };
}
