import type { IncomingMessage, ServerResponse } from 'node:http';

import { tooManyRequests, wrongIntegrationType } from './errors';
import { send, sendDuoError, sendJson } from './http';
import type { Fault, FaultKind, TokenTamper } from './types';

const KINDS: readonly FaultKind[] = [
  'latency',
  'status',
  'rate-limit',
  'garbage',
  'html',
  'empty',
  'wrong-app-type',
  'hang',
  'trickle',
  'close',
  'reply',
  'token',
];

/** Every way the sandbox can break an id_token reply: a client must refuse each (all but 'deny', a valid verdict). */
export const TOKEN_TAMPERS: readonly TokenTamper[] = [
  'alg-none',
  'alg-hs256',
  'signature',
  'iss',
  'aud',
  'no-exp',
  'no-iat',
  'expired',
  'future-iat',
  'username',
  'nonce-wrong',
  'nonce-absent',
  'deny',
  'no-id-token',
  'no-token-type',
  'token-type',
];

const TOKEN_PATH = '/oauth/v1/token';
/** Where a fault without a path applies: the server-to-server APIs, not the browser's prompt page. */
const SERVER_TO_SERVER = /^\/auth\/v2\/|^\/oauth\/v1\/(health_check|token)$/;

const STATUS_TEXT: Readonly<Record<500 | 502 | 503, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new TypeError(`Invalid fault: ${message}`);
}

/** Checks a fault from outside (control API body or untyped caller) and returns a clean copy. */
export function parseFault(value: unknown): Fault {
  if (!isRecord(value)) fail('expected an object');
  const kind = KINDS.find((k) => k === value['kind']);
  if (kind === undefined) fail(`kind must be one of ${KINDS.join(', ')}`);
  const { path, times } = value;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) fail('path must start with /');
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    fail('times must be a positive integer');
  }
  const scope = {
    ...(path === undefined ? {} : { path }),
    ...(times === undefined ? {} : { times }),
  };
  switch (kind) {
    case 'latency': {
      const ms = value['ms'];
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) fail('latency needs ms >= 0');
      return { ...scope, kind: 'latency', ms };
    }
    case 'status': {
      const status = value['status'];
      const body = value['body'];
      if (status !== 500 && status !== 502 && status !== 503) fail('status must be 500, 502 or 503');
      if (body !== undefined && body !== 'json' && body !== 'html' && body !== 'empty') {
        fail('body must be json, html or empty');
      }
      return { ...scope, kind: 'status', status, ...(body === undefined ? {} : { body }) };
    }
    case 'rate-limit': {
      const retryAfter = value['retryAfter'];
      const header = value['header'];
      if (retryAfter !== undefined && typeof retryAfter !== 'number' && typeof retryAfter !== 'string') {
        fail('retryAfter must be seconds or an HTTP date');
      }
      if (header !== undefined && header !== 'Retry-After' && header !== 'X-Retry-After') {
        fail('header must be Retry-After or X-Retry-After');
      }
      return {
        ...scope,
        kind: 'rate-limit',
        ...(retryAfter === undefined ? {} : { retryAfter }),
        ...(header === undefined ? {} : { header }),
      };
    }
    case 'trickle': {
      const intervalMs = value['intervalMs'];
      if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 1) {
        fail('trickle needs intervalMs >= 1');
      }
      return { ...scope, kind: 'trickle', intervalMs };
    }
    case 'reply': {
      const status = value['status'];
      if (
        status !== undefined &&
        (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
      ) {
        fail('reply status must be an HTTP status from 200 to 599');
      }
      if (!('body' in value) || value['body'] === undefined) fail('reply needs a body (any JSON value)');
      // A deep copy through JSON: what is stored is what will be sent, whatever the caller does with its object.
      const body = JSON.parse(JSON.stringify(value['body'])) as unknown;
      return { ...scope, kind: 'reply', ...(status === undefined ? {} : { status }), body };
    }
    case 'token': {
      const tamper = TOKEN_TAMPERS.find((t) => t === value['tamper']);
      if (tamper === undefined) fail(`tamper must be one of ${TOKEN_TAMPERS.join(', ')}`);
      if (path !== undefined && path !== TOKEN_PATH) fail(`token faults apply only to ${TOKEN_PATH}`);
      return { ...scope, kind: 'token', tamper };
    }
    case 'garbage':
    case 'html':
    case 'empty':
    case 'wrong-app-type':
    case 'hang':
    case 'close':
      return { ...scope, kind };
  }
}

interface ActiveFault {
  readonly fault: Fault;
  remaining: number;
}

/**
 * Faults apply in the order they were set. Every matching latency fault delays the request and lets it go on;
 * the first matching fault of another kind answers it.
 */
export class FaultStore {
  #faults: ActiveFault[] = [];

  add(fault: Fault): void {
    const clean = parseFault(fault);
    this.#faults.push({ fault: clean, remaining: clean.times ?? Number.POSITIVE_INFINITY });
  }

  list(): Fault[] {
    return this.#faults.map(({ fault, remaining }) =>
      Number.isFinite(remaining) ? { ...fault, times: remaining } : { ...fault },
    );
  }

  clear(): void {
    this.#faults = [];
  }

  /** The faults this request meets, each one spent once; `explicitOnly`: only faults naming this path. */
  take(path: string, explicitOnly = false): Fault[] {
    const hits: Fault[] = [];
    for (const active of this.#faults) {
      const { fault } = active;
      if (fault.path !== undefined && fault.path !== path) continue;
      if (fault.path === undefined && (explicitOnly || !SERVER_TO_SERVER.test(path))) continue;
      if (fault.kind === 'token' && path !== TOKEN_PATH) continue;
      hits.push(fault);
      active.remaining -= 1;
      if (fault.kind !== 'latency' && fault.kind !== 'token') break;
    }
    this.#faults = this.#faults.filter((active) => active.remaining > 0);
    return hits;
  }
}

/** A reverse proxy's idea of an error page. */
function htmlPage(title: string): string {
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}

/** Answers the request the way the fault says. `latency` is not handled here (the caller waits). */
export function respondWithFault(
  fault: Exclude<Fault, { kind: 'latency' }>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  switch (fault.kind) {
    case 'status': {
      const text = STATUS_TEXT[fault.status];
      if (fault.body === 'html') send(res, fault.status, htmlPage(`${fault.status} ${text}`), 'text/html');
      else if (fault.body === 'empty') send(res, fault.status, '', 'application/json');
      else sendJson(res, fault.status, { stat: 'FAIL', code: fault.status * 100, message: text });
      return;
    }
    case 'rate-limit': {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { [fault.header ?? 'Retry-After']: String(fault.retryAfter) };
      sendDuoError(res, tooManyRequests(), headers);
      return;
    }
    case 'garbage':
      // Truncated JSON followed by bytes that are not even UTF-8.
      send(
        res,
        200,
        Buffer.concat([
          Buffer.from('{"stat":"OK","response":{"result":"al', 'utf8'),
          Buffer.from([0xff, 0xfe, 0x00, 0x1b]),
        ]),
        'application/json',
      );
      return;
    case 'html':
      send(res, 200, htmlPage('Network login required'), 'text/html');
      return;
    case 'empty':
      send(res, 200, '', 'application/json');
      return;
    case 'wrong-app-type':
      sendDuoError(res, wrongIntegrationType());
      return;
    case 'hang':
      // Nothing is ever written; the socket goes when the client gives up or the sandbox closes.
      return;
    case 'trickle': {
      // Whitespace is valid JSON padding: the body is never wrong, only never finished.
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), fault.intervalMs);
      drip.unref();
      res.once('close', () => clearInterval(drip));
      return;
    }
    case 'close':
      req.socket.destroy();
      return;
    case 'reply':
      sendJson(res, fault.status ?? 200, fault.body);
      return;
    case 'token':
      // take() hands token faults only to /oauth/v1/token, whose handler applies them itself.
      sendJson(res, 500, { error: 'token fault outside /oauth/v1/token' });
      return;
  }
}
