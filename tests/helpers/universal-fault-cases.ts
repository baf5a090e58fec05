import assert from 'node:assert/strict';

import type { DuoErrorReason } from '../../server/src/duo/errors';
import { TOKEN_TAMPERS, type Fault } from '../../server/src/sandbox';
import { closedLoopbackPort, SHORT_DEADLINE_MS, type Inject, type Seen } from './fault-bed';
import { credentialOverride, sandboxFault, unknownIntegrationKey, wrongSecretKey } from './fault-injection';
import { HOST_CASES, type FaultCase } from './fault-login-cases';

/**
 * Issue 15 item 6: every way Duo can fail on the two server-to-server calls of the Universal Prompt.
 *
 * At the health check (after the password, before the browser leaves) the fail mode applies exactly as on the Auth
 * API's preauth: an outage fails closed or open, Duo refusing this server refuses in both modes, slowness under the
 * deadline and one short 429 are absorbed (the Duo-required answer with the authorize URL). The cases are
 * `FaultCase`s, so the host-level ones (refused connection, NXDOMAIN, TLS) are the Auth API matrix's own.
 *
 * At the token exchange (the callback, after Duo's prompt approved) nothing fails open: every fault sends the
 * browser back with `duo_error` and no completion code, in both modes.
 */

export const HEALTH_CHECK = '/oauth/v1/health_check';
export const TOKEN = '/oauth/v1/token';

const fails = (reason: DuoErrorReason) => ({ kind: 'fails', reason }) as const;
const LONG_RETRY_AFTER_S = 60;
const BODY_NAMES = { json: "Duo's JSON error body", html: 'an HTML error page', empty: 'an empty body' } as const;
const STATUSES = [500, 502, 503] as const;
const BODIES = ['json', 'html', 'empty'] as const;

/** The call on `path` reached Duo, which met the fault. */
const reached =
  (path: string, exactly?: number) =>
  (seen: Seen): void => {
    const asked = seen.duo.path(path);
    if (exactly === undefined) assert.ok(asked >= 1, `Duo was asked on ${path}, which met the fault`);
    else assert.equal(asked, exactly, `${path} was asked ${exactly} time(s)`);
  };

/** The health check answered with `fault` at once: the fail mode (or a refusal) applies without waiting. */
function healthAnswers(name: string, fault: Fault, reason: DuoErrorReason, met = reached(HEALTH_CHECK)): FaultCase {
  return {
    name,
    outcome: fails(reason),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: sandboxFault({ ...fault, path: HEALTH_CHECK }),
    met,
  };
}

/** The faults a Duo (or what stands in front of it) can put on one call; `at` is the path they are set on. */
function answeredFaults(at: string): Array<{ name: string; fault: Fault; reason: DuoErrorReason }> {
  return [
    { name: 'connection dropped mid-request', fault: { kind: 'close', path: at }, reason: 'unavailable' },
    ...STATUSES.flatMap((status) =>
      BODIES.map((body) => ({
        name: `HTTP ${status} with ${BODY_NAMES[body]}`,
        fault: { kind: 'status', status, body, path: at } as const,
        reason: 'unavailable' as const,
      })),
    ),
    {
      name: `HTTP 429 with Retry-After: ${LONG_RETRY_AFTER_S} (beyond the budget)`,
      fault: { kind: 'rate-limit', retryAfter: LONG_RETRY_AFTER_S, path: at },
      reason: 'rate-limited',
    },
    { name: 'garbage body', fault: { kind: 'garbage', path: at }, reason: 'protocol' },
    { name: 'HTML body with HTTP 200 (captive portal)', fault: { kind: 'html', path: at }, reason: 'protocol' },
    { name: 'empty body with HTTP 200', fault: { kind: 'empty', path: at }, reason: 'protocol' },
  ];
}

/** A FAIL the way Duo answers a request signed for an application it does not know (HTTP 401, 40102). */
const FAIL_40102 = {
  stat: 'FAIL',
  code: 40102,
  message: 'Invalid integration key',
  message_detail: 'The client_id is not one Duo knows',
};

export const HEALTH_CASES: readonly FaultCase[] = [
  ...HOST_CASES,
  ...answeredFaults(HEALTH_CHECK).map(({ name, fault, reason }) => healthAnswers(name, fault, reason)),
  {
    name: 'no answer (hang) beyond the deadline',
    outcome: fails('timeout'),
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'hang', path: HEALTH_CHECK }),
    met: reached(HEALTH_CHECK),
  },
  {
    name: 'a body that trickles in past the deadline',
    outcome: fails('timeout'),
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'trickle', intervalMs: 100, path: HEALTH_CHECK }),
    met: reached(HEALTH_CHECK),
  },
  {
    ...healthAnswers('HTTP 429 with Retry-After as an HTTP date a minute away', { kind: 'empty' }, 'rate-limited'),
    // The date is taken when the fault is set: a minute from then, whenever the case runs.
    inject: (bed) => {
      const retryAfter = new Date(Date.now() + LONG_RETRY_AFTER_S * 1000).toUTCString();
      return sandboxFault({ kind: 'rate-limit', retryAfter, path: HEALTH_CHECK })(bed);
    },
    met: reached(HEALTH_CHECK, 1),
  },
  healthAnswers(
    'a health check that answers OK without a timestamp',
    { kind: 'reply', body: { stat: 'OK', response: {} } },
    'protocol',
  ),
  {
    name: 'slow answers (1 s a call) under the deadline',
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'latency', ms: 1_000, path: HEALTH_CHECK }),
    met: reached(HEALTH_CHECK),
  },
  {
    name: 'one HTTP 429 with Retry-After: 1 (within the budget)',
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'rate-limit', retryAfter: 1, times: 1, path: HEALTH_CHECK }),
    met: reached(HEALTH_CHECK, 2),
  },
  healthAnswers('wrong application type (40301)', { kind: 'wrong-app-type' }, 'api'),
  healthAnswers('a FAIL with HTTP 401 (40102)', { kind: 'reply', status: 401, body: FAIL_40102 }, 'api'),
  {
    name: 'wrong Client Secret (invalid_client)',
    outcome: fails('api'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride(() => ({ clientSecret: wrongSecretKey() })),
    met: reached(HEALTH_CHECK, 1),
  },
  {
    name: 'unknown Client ID (invalid_client)',
    outcome: fails('api'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride(() => ({ clientId: unknownIntegrationKey() })),
    met: reached(HEALTH_CHECK, 1),
  },
];

/**
 * A fault met by the code exchange of a callback whose prompt Duo approved. `told` is the `duo_error` the browser
 * gets (`completion`: absorbed, the login finishes); `audited` the outcome of the step.denied entry; `warns`: the
 * operator gets one warning (a token that does not check out is a broken Duo or a forgery, not an outage).
 */
export interface ExchangeCase {
  readonly name: string;
  readonly told: 'unavailable' | 'invalid' | 'denied' | 'completion';
  readonly audited?: string;
  readonly warns?: boolean;
  readonly limitMs: number;
  readonly immediate?: boolean;
  readonly inject: Inject;
  met(seen: Seen): void;
}

const onToken = (fault: Fault): Inject => sandboxFault({ ...fault, path: TOKEN });
const outage = (name: string, inject: Inject, met = reached(TOKEN), immediate = true): ExchangeCase => ({
  name,
  told: 'unavailable',
  audited: 'unavailable',
  limitMs: SHORT_DEADLINE_MS,
  immediate,
  inject,
  met,
});

export const EXCHANGE_CASES: readonly ExchangeCase[] = [
  outage(
    'connection refused',
    async (bed) => {
      const port = await closedLoopbackPort();
      return credentialOverride(() => ({ apiHostname: `http://127.0.0.1:${port}` }))(bed);
    },
    (seen) => assert.equal(seen.duo.requests, 0, 'no request reached Duo'),
  ),
  ...answeredFaults(TOKEN).map(({ name, fault }) => outage(name, sandboxFault(fault))),
  outage('no answer (hang) beyond the deadline', onToken({ kind: 'hang' }), reached(TOKEN), false),
  outage(
    'a body that trickles in past the deadline',
    onToken({ kind: 'trickle', intervalMs: 100 }),
    reached(TOKEN),
    false,
  ),
  {
    name: 'wrong application type (40301)',
    told: 'invalid',
    audited: 'api',
    warns: true,
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: onToken({ kind: 'wrong-app-type' }),
    met: reached(TOKEN),
  },
  {
    name: 'the code refused (invalid_grant)',
    told: 'invalid',
    audited: 'api',
    warns: true,
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: onToken({
      kind: 'reply',
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid' },
    }),
    met: reached(TOKEN, 1),
  },
  ...TOKEN_TAMPERS.map((tamper): ExchangeCase => ({
    name: `an id_token the sandbox spoils: ${tamper}`,
    // `deny` is a valid, signed verdict: refused as Duo's refusal, not as a broken token.
    told: tamper === 'deny' ? 'denied' : 'invalid',
    audited: tamper === 'deny' ? 'denied' : 'invalid-token',
    warns: tamper !== 'deny',
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: onToken({ kind: 'token', tamper, times: 1 }),
    met: reached(TOKEN, 1),
  })),
  {
    name: 'slow answers (1 s a call) under the deadline',
    told: 'completion',
    limitMs: SHORT_DEADLINE_MS,
    inject: onToken({ kind: 'latency', ms: 1_000 }),
    met: reached(TOKEN),
  },
  {
    name: 'one HTTP 429 with Retry-After: 1 (within the budget)',
    told: 'completion',
    limitMs: SHORT_DEADLINE_MS,
    inject: onToken({ kind: 'rate-limit', retryAfter: 1, times: 1 }),
    met: reached(TOKEN, 2),
  },
];
