import assert from 'node:assert/strict';

import type { DuoErrorReason } from '../../server/src/duo/errors';
import type { Fault } from '../../server/src/sandbox';
import {
  closedLoopbackPort,
  OTHER_HOST_NAME,
  RATE_LIMIT_BUDGET_MS,
  SHORT_DEADLINE_MS,
  type Inject,
  type Seen,
} from './fault-bed';
import {
  credentialOverride,
  nxdomainLookup,
  pluginConfigOverride,
  sandboxFault,
  skew,
  together,
  unknownIntegrationKey,
  wrongSecretKey,
} from './fault-injection';

/**
 * Every way Duo can fail (or merely be slow or skewed) on the first call of a login, the password step's preauth.
 * Outcomes: `fails` (the fail mode decides; only an outage may fail open), `not-understood` (Duo answered something
 * this server does not know: refused in both modes, as a refusal), `proceeds` (absorbed: the normal Duo step).
 */
export interface FaultCase {
  readonly name: string;
  readonly outcome:
    | { readonly kind: 'fails'; readonly reason: DuoErrorReason }
    | { readonly kind: 'not-understood' }
    | { readonly kind: 'proceeds' };
  /** The plugin's own limit for this case (deadline or rate-limit budget); the answer must come within it + margin. */
  readonly limitMs: number;
  /** Failures that need no waiting must not sit out the deadline either. */
  readonly immediate?: boolean;
  inject: Inject;
  /** Proof that the login met the fault it is named for (not some other failure). */
  met(seen: Seen): void;
}

const PREAUTH = '/auth/v2/preauth';

function reachedDuo(seen: Seen): void {
  assert.ok(seen.duo.path(PREAUTH) >= 1, 'the login asked Duo (preauth), which met the fault');
}

function askedOnce(seen: Seen): void {
  assert.equal(seen.duo.path(PREAUTH), 1, 'preauth was asked once: no retry, no waiting');
}

function noRequestGotThrough(seen: Seen): void {
  for (const [name, delta] of Object.entries(seen)) assert.equal(delta.requests, 0, `no request reached ${name}`);
}

/** The TLS server was reached, its certificate refused before any request went over the connection. */
function refusedAtHandshake(name: keyof Seen): (seen: Seen) => void {
  return (seen) => {
    noRequestGotThrough(seen);
    assert.ok(seen[name].connections >= 1, `${name} was reached and its certificate refused`);
  };
}

function measuredClock(seen: Seen): void {
  reachedDuo(seen);
  assert.ok(seen.duo.path('/auth/v2/ping') >= 1, "the plugin measured Duo's clock (ping) to correct the skew");
}

const fails = (reason: DuoErrorReason) => ({ kind: 'fails', reason }) as const;
const RETRY_AFTER_S = 2;
/** Longer than the whole rate-limit budget: waiting for it would only make the login page hang. */
const LONG_RETRY_AFTER_S = 60;
const BODY_NAMES = { json: "Duo's JSON error body", html: 'an HTML error page', empty: 'an empty body' } as const;

/** Duo (the working sandbox) answers every call with this fault at once: the fail mode applies, no waiting. */
function duoAnswers(name: string, fault: Fault, reason: DuoErrorReason, met = reachedDuo): FaultCase {
  return {
    name,
    outcome: fails(reason),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: sandboxFault(fault),
    met,
  };
}

/** A 429 asking for longer than the whole budget: given up at once, after one request, without waiting. */
function rateLimitedBeyondBudget(name: string, retryAfter: () => number | string, header?: 'X-Retry-After'): FaultCase {
  return {
    name,
    outcome: fails('rate-limited'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: (bed) => sandboxFault({ kind: 'rate-limit', retryAfter: retryAfter(), ...(header ? { header } : {}) })(bed),
    met: askedOnce,
  };
}

/** A name under `.invalid` (RFC 6761): it never resolves anywhere; the injected resolver says so at once. */
const UNRESOLVABLE_HOST = 'api-doesnotexist.duosecurity.invalid';
const asked: string[] = [];

/**
 * Duo's host out of reach or refused before any request is answered (connection refused, NXDOMAIN, TLS): the same
 * whatever the call, so the Universal Prompt's matrix (universal-fault-cases.ts) meets them at its health check too.
 */
export const HOST_CASES: readonly FaultCase[] = [
  {
    name: 'connection refused',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: async (bed) => {
      const port = await closedLoopbackPort();
      return credentialOverride(() => ({ apiHostname: `http://127.0.0.1:${port}` }))(bed);
    },
    met: noRequestGotThrough,
  },
  {
    name: 'host does not resolve (NXDOMAIN from the injected resolver)',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: together(
      (bed) => {
        asked.length = 0;
        return pluginConfigOverride('lookup', nxdomainLookup(asked))(bed);
      },
      credentialOverride(() => ({ apiHostname: UNRESOLVABLE_HOST })),
    ),
    met: (seen) => {
      noRequestGotThrough(seen);
      assert.ok(asked.includes(UNRESOLVABLE_HOST), `the plugin asked the resolver for ${UNRESOLVABLE_HOST}`);
    },
  },
  {
    name: 'TLS: certificate from an untrusted CA',
    outcome: fails('tls'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride((bed) => ({ apiHostname: bed.untrustedTls.url })),
    met: refusedAtHandshake('untrustedTls'),
  },
  {
    name: `TLS: certificate from the trusted CA for another host name (${OTHER_HOST_NAME})`,
    outcome: fails('tls'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride((bed) => ({ apiHostname: bed.otherHostTls.url })),
    met: refusedAtHandshake('otherHostTls'),
  },
  {
    name: 'TLS: expired certificate from the trusted CA',
    outcome: fails('tls'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride((bed) => ({ apiHostname: bed.expiredTls.url })),
    met: refusedAtHandshake('expiredTls'),
  },
  {
    name: 'TLS: the host answers plain HTTP',
    outcome: fails('unavailable'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride((bed) => ({ apiHostname: bed.duo.url.replace(/^http:/, 'https:') })),
    met: (seen) => {
      noRequestGotThrough(seen);
      assert.ok(seen.duo.connections >= 1, 'the plain-HTTP Duo was reached, its answer to the handshake refused');
    },
  },
];

export const FAULT_CASES: readonly FaultCase[] = [
  ...HOST_CASES,
  duoAnswers('connection dropped mid-request', { kind: 'close' }, 'unavailable'),
  {
    name: 'no answer (hang) beyond the deadline',
    outcome: fails('timeout'),
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'hang' }),
    met: reachedDuo,
  },
  {
    name: 'a body that trickles in past the deadline',
    outcome: fails('timeout'),
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'trickle', intervalMs: 100 }),
    met: reachedDuo,
  },
  {
    name: 'slow answers (1 s a call) under the deadline',
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: sandboxFault({ kind: 'latency', ms: 1_000 }),
    met: reachedDuo,
  },
  ...([500, 503] as const).flatMap((status) =>
    (['json', 'html', 'empty'] as const).map((body) =>
      duoAnswers(`HTTP ${status} with ${BODY_NAMES[body]}`, { kind: 'status', status, body }, 'unavailable'),
    ),
  ),
  {
    name: `HTTP 429 storm with Retry-After: ${RETRY_AFTER_S}`,
    outcome: fails('rate-limited'),
    limitMs: RATE_LIMIT_BUDGET_MS,
    inject: sandboxFault({ kind: 'rate-limit', retryAfter: RETRY_AFTER_S }),
    met: (seen) => {
      const tries = seen.duo.path(PREAUTH);
      // Retries while the budget allows, each after the Retry-After wait: no hammering, no giving up at once.
      const most = Math.ceil(RATE_LIMIT_BUDGET_MS / (RETRY_AFTER_S * 1000)) + 1;
      assert.ok(tries >= 2 && tries <= most, `preauth tried ${tries} times; expected 2 to ${most}`);
    },
  },
  rateLimitedBeyondBudget(`HTTP 429 with Retry-After: ${LONG_RETRY_AFTER_S} (beyond the budget)`, () => 60),
  rateLimitedBeyondBudget('HTTP 429 with Retry-After as an HTTP date a minute away', () =>
    new Date(Date.now() + LONG_RETRY_AFTER_S * 1000).toUTCString(),
  ),
  rateLimitedBeyondBudget(
    `HTTP 429 with X-Retry-After: ${LONG_RETRY_AFTER_S}`,
    () => LONG_RETRY_AFTER_S,
    'X-Retry-After',
  ),
  duoAnswers('garbage body', { kind: 'garbage' }, 'protocol'),
  duoAnswers('HTML body with HTTP 200 (captive portal)', { kind: 'html' }, 'protocol'),
  duoAnswers('empty body with HTTP 200', { kind: 'empty' }, 'protocol'),
  {
    name: 'a valid reply with a result nobody knows',
    outcome: { kind: 'not-understood' },
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: sandboxFault({
      kind: 'reply',
      path: PREAUTH,
      body: { stat: 'OK', response: { result: 'maybe', status_msg: 'Let them in, perhaps' } },
    }),
    met: askedOnce,
  },
  duoAnswers('wrong application type (40301)', { kind: 'wrong-app-type' }, 'api'),
  {
    name: 'unknown Integration Key (40102)',
    outcome: fails('api'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride(() => ({ integrationKey: unknownIntegrationKey() })),
    met: askedOnce,
  },
  {
    name: 'wrong Secret Key (40103)',
    outcome: fails('api'),
    limitMs: SHORT_DEADLINE_MS,
    immediate: true,
    inject: credentialOverride(() => ({ secretKey: wrongSecretKey() })),
    met: reachedDuo,
  },
  {
    name: "server clock 10 minutes behind Duo's (skew +10 min)",
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: skew(10 * 60_000),
    met: measuredClock,
  },
  {
    name: "server clock 10 minutes ahead of Duo's (skew -10 min)",
    outcome: { kind: 'proceeds' },
    limitMs: SHORT_DEADLINE_MS,
    inject: skew(-10 * 60_000),
    met: measuredClock,
  },
];
