import { escapeDuoText } from '../duo-text';
import { DuoError } from '../errors';
import { parseEnvelope } from '../parse-envelope';
import { isObject, type JsonObject } from '../read-fields';

/**
 * Reads a reply of Duo's `/oauth/v1/*` endpoints. Duo refuses in two shapes: its envelope (`stat: FAIL`, `code`,
 * `message`, `message_detail`) and OAuth's (`error`, `error_description`). Both are Duo answering, so both are
 * `api` errors, never an outage: a fail-open login must not follow from wrong credentials. 5xx, empty and non-JSON
 * replies are classified exactly as the Auth API client does (`parseEnvelope`).
 *
 * `secrets` (the code, the client assertion, state, nonce…) are cut out of Duo's text before it reaches an error:
 * an error description that echoes the request must not carry a credential into a log.
 */
export function readOAuthReply(
  path: string,
  httpStatus: number,
  bodyText: string,
  shape: 'envelope' | 'plain',
  secrets: readonly string[],
): unknown {
  let parsed: unknown;
  try {
    parsed = bodyText.trim() === '' ? undefined : (JSON.parse(bodyText) as unknown);
  } catch {
    parsed = undefined;
  }
  if (isObject(parsed) && parsed.stat !== 'OK' && typeof parsed.error === 'string') {
    throw oauthFailure(path, httpStatus, parsed, secrets);
  }
  if (isObject(parsed) && parsed.stat === 'FAIL') {
    const scrubbed = {
      ...parsed,
      message: typeof parsed.message === 'string' ? redact(parsed.message, secrets) : undefined,
      message_detail: typeof parsed.message_detail === 'string' ? redact(parsed.message_detail, secrets) : undefined,
    };
    return parseEnvelope(path, httpStatus, JSON.stringify(scrubbed));
  }
  if (shape === 'plain' && isObject(parsed) && !('stat' in parsed) && httpStatus >= 200 && httpStatus < 300) {
    return parsed;
  }
  return parseEnvelope(path, httpStatus, bodyText);
}

function oauthFailure(path: string, httpStatus: number, body: JsonObject, secrets: readonly string[]): DuoError {
  const error = redact(String(body.error), secrets);
  const description = typeof body.error_description === 'string' ? redact(body.error_description, secrets) : undefined;
  const reason = httpStatus === 429 ? 'rate-limited' : httpStatus >= 500 ? 'unavailable' : 'api';
  const detail = description === undefined || description === '' ? '' : `: ${escapeDuoText(description)}`;
  return new DuoError({
    reason,
    message: `Duo refused ${path} (${escapeDuoText(error)})${detail}`,
    httpStatus,
    duoMessageRaw: error,
    messageDetailRaw: description,
    path,
  });
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}
