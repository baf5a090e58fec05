import { escapeDuoText } from './duo-text';
import { DuoError } from './errors';
import { isObject } from './read-fields';

/**
 * Unwraps Duo's envelope `{stat: "OK", response}` / `{stat: "FAIL", code, message, message_detail}`.
 * Lenient where real deployments differ (code as a string, FAIL with HTTP 200, empty or HTML bodies from proxies),
 * strict where it matters: only an explicit `stat: "OK"` on a 2xx reply is success.
 */
export function parseEnvelope(path: string, httpStatus: number, bodyText: string): unknown {
  let parsed: unknown;
  try {
    parsed = bodyText.trim() === '' ? undefined : (JSON.parse(bodyText) as unknown);
  } catch {
    parsed = undefined;
  }

  if (isObject(parsed) && parsed.stat === 'FAIL') {
    const code = parseCode(parsed.code);
    const duoMessageRaw = typeof parsed.message === 'string' ? parsed.message : undefined;
    const messageDetailRaw = typeof parsed.message_detail === 'string' ? parsed.message_detail : undefined;
    return failure(path, httpStatus, code, duoMessageRaw, messageDetailRaw);
  }

  if (isObject(parsed) && parsed.stat === 'OK' && httpStatus >= 200 && httpStatus < 300) {
    if (!('response' in parsed)) {
      throw new DuoError({ reason: 'protocol', message: `Duo's reply to ${path} has no "response"`, httpStatus, path });
    }
    return parsed.response;
  }

  if (httpStatus >= 500) {
    throw new DuoError({
      reason: 'unavailable',
      message: `Duo is unavailable (HTTP ${httpStatus} from ${path})`,
      httpStatus,
      path,
    });
  }
  const what =
    parsed === undefined
      ? bodyText.trim() === ''
        ? 'an empty body'
        : 'a body that is not JSON'
      : 'an unexpected JSON body';
  throw new DuoError({
    reason: httpStatus === 429 ? 'rate-limited' : httpStatus === 401 || httpStatus === 403 ? 'api' : 'protocol',
    message: `Duo answered ${path} with HTTP ${httpStatus} and ${what}`,
    httpStatus,
    path,
  });
}

function parseCode(code: unknown): number | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return code;
  if (typeof code === 'string' && /^\d+$/.test(code.trim())) return Number(code.trim());
  return undefined;
}

function failure(
  path: string,
  httpStatus: number,
  code: number | undefined,
  duoMessageRaw: string | undefined,
  messageDetailRaw: string | undefined,
): never {
  const reason = httpStatus === 429 || code === 42901 ? 'rate-limited' : httpStatus >= 500 ? 'unavailable' : 'api';
  // Duo's words go into the message escaped: it is logged, audited and answered (see duo-text.ts).
  const detail = [duoMessageRaw, messageDetailRaw]
    .filter((part): part is string => part !== undefined && part !== '')
    .map(escapeDuoText)
    .join(': ');
  throw new DuoError({
    reason,
    message: `Duo refused ${path}${code === undefined ? '' : ` (${code})`}${detail === '' ? '' : `: ${detail}`}`,
    code,
    httpStatus,
    duoMessageRaw,
    messageDetailRaw,
    path,
  });
}

/** Duo's 40105: the request's date is outside its window (the client's clock is off): worth one clock fix. */
export function isBadTimestamp(body: Buffer): boolean {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return (
      parsed !== null &&
      typeof parsed === 'object' &&
      'code' in parsed &&
      String((parsed as { code: unknown }).code) === '40105'
    );
  } catch {
    return false;
  }
}
