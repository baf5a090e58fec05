import type { IncomingMessage, ServerResponse } from 'node:http';

import { auth, authStatus } from './auth-factor';
import { check, enroll, enrollStatus, logo, ping, preauth } from './auth-endpoints';
import type { SandboxClock } from './clock';
import type { Endpoint, EndpointContext } from './endpoint-context';
import {
  DuoApiError,
  SandboxControlError,
  invalidParameter,
  methodNotAllowed,
  notFound,
  wrongIntegrationType,
} from './errors';
import { type FaultStore, respondWithFault } from './faults';
import { BodyTooLargeError, readBody, send, sendBodyTooLarge, sendDuoError, sendDuoOk } from './http';
import { RequestParams, formDecode, jsonParams, mergeParams } from './params';
import type { SandboxState } from './state';
import type { TimerSet } from './timers';
import type { NewUserPolicy, SandboxIntegration, SandboxLogger } from './types';
import { verifyRequest } from './verify-request';

interface Route {
  readonly method: 'GET' | 'POST';
  /** Ping is Duo's one unauthenticated endpoint; its credentials are not even looked at. */
  readonly signed: boolean;
  readonly endpoint: Endpoint;
}

const ROUTES: ReadonlyMap<string, Route> = new Map([
  ['/auth/v2/ping', { method: 'GET', signed: false, endpoint: ping }],
  ['/auth/v2/check', { method: 'GET', signed: true, endpoint: check }],
  ['/auth/v2/logo', { method: 'GET', signed: true, endpoint: logo }],
  ['/auth/v2/enroll', { method: 'POST', signed: true, endpoint: enroll }],
  ['/auth/v2/enroll_status', { method: 'POST', signed: true, endpoint: enrollStatus }],
  ['/auth/v2/preauth', { method: 'POST', signed: true, endpoint: preauth }],
  ['/auth/v2/auth', { method: 'POST', signed: true, endpoint: auth }],
  ['/auth/v2/auth_status', { method: 'GET', signed: true, endpoint: authStatus }],
]);

export interface AuthApiDeps {
  readonly state: SandboxState;
  readonly clock: SandboxClock;
  readonly timers: TimerSet;
  readonly faults: FaultStore;
  readonly integrations: ReadonlyMap<string, SandboxIntegration>;
  /** Host name for the canonical text; undefined means "whatever the Host header says". */
  readonly apiHostname: string | undefined;
  readonly dateToleranceSec: number;
  readonly newUserPolicy: NewUserPolicy;
  readonly longPollMs: number;
  readonly logger: SandboxLogger;
}

/** `Host` minus its port, lowercased (IPv6 literals keep their brackets). */
export function hostWithoutPort(host: string | undefined): string {
  const value = (host ?? '').trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1) || value;
  const colon = value.lastIndexOf(':');
  return colon >= 0 ? value.slice(0, colon) : value;
}

function isJson(req: IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/** Keeps a held request (sync auth, long-poll) from waiting for a client that has gone. */
function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: AuthApiDeps,
  path: string,
  query: string,
  body: Buffer,
): Promise<void> {
  // Faults stand in for what sits in front of Duo (proxies, load balancers), so they come before any check.
  for (const fault of deps.faults.take(path)) {
    if (fault.kind === 'latency') {
      await deps.timers.sleep(fault.ms);
      if (deps.timers.closed) return;
      continue;
    }
    deps.logger.info(`fault ${fault.kind} on ${req.method ?? ''} ${path}`);
    respondWithFault(fault, req, res);
    return;
  }

  const route = ROUTES.get(path);
  if (!route) throw notFound();
  if (req.method !== route.method) {
    sendDuoError(res, methodNotAllowed(), { Allow: route.method });
    return;
  }

  const queryParams = formDecode(query);
  const json = route.method === 'POST' && isJson(req);
  const formParams = route.method === 'POST' && !json ? formDecode(body.toString('utf8')) : null;
  if (route.signed) {
    const integration = verifyRequest(
      {
        method: req.method,
        path,
        host: deps.apiHostname ?? hostWithoutPort(req.headers.host),
        headers: req.headersDistinct,
        query,
        rawBody: body,
      },
      { integrations: deps.integrations, nowMs: deps.clock.nowMs(), dateToleranceSec: deps.dateToleranceSec },
    );
    if (integration.type !== 'auth') throw wrongIntegrationType();
  }

  const params = json
    ? mergeParams(queryParams, jsonParams(body.toString('utf8')))
    : mergeParams(queryParams, formParams ?? {});
  const context: EndpointContext = {
    state: deps.state,
    clock: deps.clock,
    timers: deps.timers,
    params: new RequestParams(params),
    newUserPolicy: deps.newUserPolicy,
    longPollMs: deps.longPollMs,
    signal: clientGone(res),
  };
  const result = await route.endpoint(context);
  if (result.kind === 'raw') send(res, 200, result.body, result.contentType);
  else sendDuoOk(res, result.response);
}

/** One `/auth/v2/*` request, answered the way Duo would (or the way an injected fault says). */
export async function handleAuthApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: AuthApiDeps,
  path: string,
  query: string,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendBodyTooLarge(res);
    else req.socket.destroy();
    return;
  }
  try {
    await serve(req, res, deps, path, query, body);
  } catch (error) {
    if (error instanceof DuoApiError) {
      sendDuoError(res, error);
    } else if (error instanceof SandboxControlError) {
      sendDuoError(res, invalidParameter(error.message));
    } else {
      deps.logger.warn(
        `internal error on ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendDuoError(res, new DuoApiError(50000, 'Internal server error'));
    }
  }
}
