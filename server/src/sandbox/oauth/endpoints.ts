import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxClock } from '../clock';
import { type FaultStore, respondWithFault } from '../faults';
import { BodyTooLargeError, readBody, send, sendJson } from '../http';
import type { TimerSet } from '../timers';
import type { PromptDecision, PromptResult, SandboxLogger, TokenTamper } from '../types';
import { verifyClientAssertion } from './assertion';
import { PAGE_HEADERS, deniedPage, errorPage, promptPage } from './authorize-page';
import { AuthorizeRequestError, OAuthError, invalidRequest, unauthorizedRequest } from './errors';
import { mintIdToken } from './id-token';
import { verifyRequestObject } from './request-object';
import type { OAuthState } from './state';

export const HEALTH_CHECK_PATH = '/oauth/v1/health_check';
export const AUTHORIZE_PATH = '/oauth/v1/authorize';
export const TOKEN_PATH = '/oauth/v1/token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DECISIONS: readonly PromptDecision[] = ['approve', 'deny', 'enroll'];

export interface OAuthDeps {
  readonly oauth: OAuthState;
  readonly clock: SandboxClock;
  readonly timers: TimerSet;
  readonly faults: FaultStore;
  readonly logger: SandboxLogger;
}

interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  /** Query and form body together (Duo's Python SDK sends the token request as a query string). */
  readonly params: URLSearchParams;
  readonly query: URLSearchParams;
  /** `https://host[:port]` and, on plain HTTP, `http://host[:port]`: the sandbox as this client reaches it. */
  readonly origins: readonly string[];
  readonly tamper?: TokenTamper;
}

function originsOf(req: IncomingMessage): string[] {
  const host = (req.headers.host ?? '').toLowerCase();
  const scheme = 'encrypted' in req.socket ? 'https' : 'http';
  return [...new Set([`https://${host}`, `${scheme}://${host}`])];
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, 'text/html; charset=utf-8', PAGE_HEADERS);
}

function sendResult(res: ServerResponse, result: PromptResult, status: 302 | 303): void {
  if (result.kind === 'denied') sendPage(res, 200, deniedPage());
  else send(res, status, '', 'text/plain', { Location: result.location });
}

function healthCheck(call: Call, deps: OAuthDeps): void {
  const client = deps.oauth.clients.require(call.params.get('client_id'));
  verifyClientAssertion({
    client,
    assertion: call.params.get('client_assertion') ?? undefined,
    audiences: call.origins.map((origin) => `${origin}${HEALTH_CHECK_PATH}`),
    nowSec: deps.clock.nowMs() / 1000,
    jtis: deps.oauth.jtis,
  });
  sendJson(call.res, 200, { stat: 'OK', response: { timestamp: deps.clock.nowSec() } });
}

function authorize(call: Call, deps: OAuthDeps): void {
  const client = deps.oauth.clients.find(call.query.get('client_id'));
  if (!client) throw new AuthorizeRequestError('Unknown client_id.');
  if (client.type !== 'websdk') throw new AuthorizeRequestError(unauthorizedRequest().message);
  const request = verifyRequestObject({
    client,
    query: call.query,
    audiences: call.origins.flatMap((origin) => [origin, `${origin}${AUTHORIZE_PATH}`]),
    nowSec: deps.clock.nowMs() / 1000,
  });
  if (request.shortState) deps.logger.warn('authorize: state shorter than the 22 characters the SDKs require');
  const arrival = deps.oauth.arrive(request);
  if (arrival.kind === 'decided') {
    sendResult(call.res, arrival.result, 302);
    return;
  }
  const { prompt, enrol } = arrival;
  sendPage(
    call.res,
    200,
    promptPage({
      id: prompt.id,
      csrf: prompt.csrf,
      username: request.username,
      ...(request.appName === undefined ? {} : { appName: request.appName }),
      enrol,
    }),
  );
}

function decide(call: Call, deps: OAuthDeps): void {
  const decision = DECISIONS.find((d) => d === call.params.get('decision'));
  const result =
    decision && deps.oauth.decideFromPage(call.params.get('prompt') ?? '', call.params.get('csrf') ?? '', decision);
  if (!result) throw new AuthorizeRequestError('This prompt has expired or the form was not sent by its page.');
  sendResult(call.res, result, 303);
}

function token(call: Call, deps: OAuthDeps): void {
  const { params } = call;
  const client = deps.oauth.clients.require(params.get('client_id'));
  if (params.get('client_assertion_type') !== JWT_BEARER) throw invalidRequest('Invalid client_assertion_type.');
  const issuer = verifyClientAssertion({
    client,
    assertion: params.get('client_assertion') ?? undefined,
    audiences: call.origins.map((origin) => `${origin}${TOKEN_PATH}`),
    nowSec: deps.clock.nowMs() / 1000,
    jtis: deps.oauth.jtis,
  });
  if (params.get('grant_type') !== 'authorization_code') {
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code.');
  }
  const code = params.get('code');
  const redirectUri = params.get('redirect_uri');
  if (!code || !redirectUri) throw invalidRequest('code and redirect_uri are required.');
  const grant = deps.oauth.codes.redeem(code, client.clientId, redirectUri);
  const nowSec = deps.clock.nowSec();
  const idToken = mintIdToken({ client, issuer, grant, nowSec, ...(call.tamper ? { tamper: call.tamper } : {}) });
  const body: Record<string, unknown> = {
    id_token: idToken,
    access_token: `sandbox-${grant.txid}`,
    expires_in: 3600,
    token_type: 'Bearer',
  };
  if (call.tamper === 'no-id-token') delete body['id_token'];
  if (call.tamper === 'no-token-type') delete body['token_type'];
  if (call.tamper === 'token-type') body['token_type'] = 'bearer-ish';
  sendJson(call.res, 200, body);
}

const ROUTES: ReadonlyMap<string, ReadonlyMap<string, (call: Call, deps: OAuthDeps) => void>> = new Map([
  [HEALTH_CHECK_PATH, new Map([['POST', healthCheck]])],
  [
    AUTHORIZE_PATH,
    new Map([
      ['GET', authorize],
      ['POST', decide],
    ]),
  ],
  [TOKEN_PATH, new Map([['POST', token]])],
]);

function sendOAuthError(call: Call, deps: OAuthDeps, error: OAuthError): void {
  if (call.path === HEALTH_CHECK_PATH && deps.oauth.switches.healthCheckErrors === 'duo') {
    sendJson(call.res, error.httpStatus, {
      stat: 'FAIL',
      code: 40002,
      message: error.error,
      message_detail: error.description,
      timestamp: deps.clock.nowSec(),
    });
  } else {
    sendJson(call.res, error.httpStatus, error.toBody());
  }
}

/** Faults first, as for the Auth API; the browser's page meets only faults that name its path. */
async function takeFaults(call: Call, deps: OAuthDeps): Promise<Call | undefined> {
  let tamper: TokenTamper | undefined;
  for (const fault of deps.faults.take(call.path, call.path === AUTHORIZE_PATH)) {
    if (fault.kind === 'latency') {
      await deps.timers.sleep(fault.ms);
      if (deps.timers.closed) return undefined;
      continue;
    }
    deps.logger.info(`fault ${fault.kind} on ${call.req.method ?? ''} ${call.path}`);
    if (fault.kind === 'token') tamper = fault.tamper;
    else if (fault.kind === 'wrong-app-type') sendOAuthError(call, deps, unauthorizedRequest());
    else respondWithFault(fault, call.req, call.res);
    if (fault.kind !== 'token') return undefined;
  }
  return tamper === undefined ? call : { ...call, tamper };
}

/** One `/oauth/v1/*` request of Duo's Universal Prompt. */
export async function handleOAuth(
  req: IncomingMessage,
  res: ServerResponse,
  deps: OAuthDeps,
  path: string,
  rawQuery: string,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      sendJson(res, 400, invalidRequest(error.message).toBody(), { Connection: 'close' });
    else req.socket.destroy();
    return;
  }
  const query = new URLSearchParams(rawQuery);
  const params = new URLSearchParams(rawQuery);
  if (req.method === 'POST')
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
  const first: Call = { req, res, path, params, query, origins: originsOf(req) };
  const call = await takeFaults(first, deps);
  if (!call) return;
  const handler = ROUTES.get(path)?.get(req.method ?? '');
  try {
    if (!ROUTES.has(path)) throw new OAuthError('invalid_request', 'Resource not found', 404);
    if (!handler) throw new OAuthError('invalid_request', 'Method not allowed', 405);
    handler(call, deps);
  } catch (error) {
    if (error instanceof AuthorizeRequestError) sendPage(res, 400, errorPage(error.message));
    else if (error instanceof OAuthError) sendOAuthError(call, deps, error);
    else throw error;
  }
}
