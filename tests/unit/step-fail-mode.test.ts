import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuoError, type DuoErrorReason } from '../../server/src/duo/errors';
import { decideOnDuoFailure } from '../../server/src/engine/step/fail-mode';

const duoError = (reason: DuoErrorReason) => new DuoError({ reason, message: `Duo failed: ${reason}` });

describe('the fail-mode decision when Duo cannot be used', () => {
  for (const reason of ['unavailable', 'timeout', 'rate-limited', 'protocol'] as const) {
    it(`admits a login under fail open when Duo is out of reach (${reason})`, () => {
      assert.deepEqual(decideOnDuoFailure({ error: duoError(reason), purpose: 'login', failMode: 'open' }), {
        verdict: 'admit',
        reason,
      });
    });
  }

  it('refuses the same outage under fail closed', () => {
    assert.deepEqual(decideOnDuoFailure({ error: duoError('timeout'), purpose: 'login', failMode: 'closed' }), {
      verdict: 'refuse-unavailable',
      reason: 'timeout',
    });
  });

  for (const purpose of ['enable', 'disable'] as const) {
    it(`never fails open while Duo is turned ${purpose === 'enable' ? 'on' : 'off'} for an account`, () => {
      assert.deepEqual(decideOnDuoFailure({ error: duoError('unavailable'), purpose, failMode: 'open' }), {
        verdict: 'refuse-unavailable',
        reason: 'unavailable',
      });
    });
  }

  it('refuses a refused TLS certificate (expired, another host, untrusted) under fail open: a possible attack', () => {
    assert.deepEqual(decideOnDuoFailure({ error: duoError('tls'), purpose: 'login', failMode: 'open' }), {
      verdict: 'refuse-unavailable',
      reason: 'tls',
    });
  });

  for (const reason of ['api', 'config'] as const) {
    it(`does not treat Duo refusing this server (${reason}) as an outage, even under fail open`, () => {
      assert.deepEqual(decideOnDuoFailure({ error: duoError(reason), purpose: 'login', failMode: 'open' }), {
        verdict: 'refuse-unavailable',
        reason,
      });
    });
  }

  it('refuses an answer it does not understand in either fail mode, as a refusal rather than an outage', () => {
    for (const failMode of ['open', 'closed'] as const) {
      assert.deepEqual(decideOnDuoFailure({ error: duoError('unexpected-result'), purpose: 'login', failMode }), {
        verdict: 'refuse-not-understood',
        reason: 'unexpected-result',
      });
    }
  });

  it('refuses a failure that is not a DuoError (a bug, not an outage) under fail open, naming no detail', () => {
    assert.deepEqual(decideOnDuoFailure({ error: new TypeError('boom'), purpose: 'login', failMode: 'open' }), {
      verdict: 'refuse-unavailable',
      reason: 'error',
    });
  });
});
