import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuoError } from '../../server/src/duo/errors';
import { parseEnvelope } from '../../server/src/duo/parse-envelope';
import { readAuth, readAuthStatus, readEnrollStatus, readPreauth } from '../../server/src/duo/results';
import { parseRetryAfter } from '../../server/src/duo/retry-after';

function duoError(fn: () => unknown): DuoError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DuoError, `expected a DuoError, got ${String(error)}`);
    return error;
  }
  assert.fail('no error was thrown');
}

const PATH = '/auth/v2/preauth';

describe("Duo's envelope", () => {
  it('returns the response of stat OK', () => {
    assert.deepEqual(parseEnvelope(PATH, 200, '{"stat":"OK","response":{"time":1}}'), { time: 1 });
    assert.equal(parseEnvelope('/auth/v2/enroll_status', 200, '{"stat":"OK","response":"waiting"}'), 'waiting');
  });

  it("carries Duo's code, HTTP status, message and message_detail", () => {
    const error = duoError(() =>
      parseEnvelope(
        '/auth/v2/check',
        403,
        '{"code":40301,"message":"Access forbidden","message_detail":"Wrong integration type for this API.","stat":"FAIL"}',
      ),
    );
    assert.equal(error.reason, 'api');
    assert.equal(error.code, 40301);
    assert.equal(error.httpStatus, 403);
    assert.equal(error.duoMessage, 'Access forbidden');
    assert.equal(error.messageDetail, 'Wrong integration type for this API.');
    assert.equal(error.isWrongApplicationType, true);
  });

  it('reads a code sent as a string', () => {
    const error = duoError(() =>
      parseEnvelope(PATH, 401, '{"stat":"FAIL","code":"40103","message":"Invalid signature"}'),
    );
    assert.equal(error.code, 40103);
    assert.equal(error.isCredentialError, true);
  });

  it('treats stat FAIL with HTTP 200 as a failure', () => {
    const error = duoError(() =>
      parseEnvelope(PATH, 200, '{"stat":"FAIL","code":40002,"message":"Invalid request parameters"}'),
    );
    assert.equal(error.reason, 'api');
    assert.equal(error.code, 40002);
  });

  it('turns empty, HTML and garbage bodies into typed errors without echoing them', () => {
    const empty = duoError(() => parseEnvelope(PATH, 401, ''));
    assert.equal(empty.reason, 'api');
    assert.equal(empty.httpStatus, 401);
    assert.match(empty.message, /empty body/);

    const html = duoError(() => parseEnvelope(PATH, 502, '<html><body>Bad Gateway secret-ish</body></html>'));
    assert.equal(html.reason, 'unavailable');
    assert.doesNotMatch(html.message, /secret-ish/);

    const garbage = duoError(() => parseEnvelope(PATH, 200, '\u0000\u00ff{{{not json'));
    assert.equal(garbage.reason, 'protocol');

    const noStat = duoError(() => parseEnvelope(PATH, 200, '{"response":{"result":"allow"}}'));
    assert.equal(noStat.reason, 'protocol');
  });
});

describe('typed results fail closed', () => {
  it('refuses an unknown preauth result instead of letting it through', () => {
    const error = duoError(() => readPreauth({ result: 'maybe', status_msg: 'x' }, PATH));
    assert.equal(error.reason, 'unexpected-result');
  });

  it('refuses unknown auth and auth_status results', () => {
    assert.equal(duoError(() => readAuth({ result: 'ALLOW' }, '/auth/v2/auth')).reason, 'unexpected-result');
    assert.equal(
      duoError(() => readAuthStatus({ result: 'approved' }, '/auth/v2/auth_status')).reason,
      'unexpected-result',
    );
    assert.equal(duoError(() => readEnrollStatus('activated', '/auth/v2/enroll_status')).reason, 'unexpected-result');
  });

  it('maps the captured preauth reply, dropping unknown capabilities and keeping token devices', () => {
    const result = readPreauth(
      {
        result: 'auth',
        status_msg: 'Account is active',
        devices: [
          {
            capabilities: ['auto', 'push', 'sms', 'phone', 'mobile_otp', 'teleport'],
            device: 'DP80Z4GVU82OT8O1BNJF',
            display_name: 'Marx iPhone 13_new (XXX-XXX-4788)',
            name: 'Marx iPhone 13_new',
            number: 'XXX-XXX-4788',
            sms_nextcode: '1',
            type: 'phone',
          },
          { device: 'DHEKH0JJIYC1LX3AZWO4', type: 'token', name: '0' },
        ],
      },
      PATH,
    );
    assert.equal(result.result, 'auth');
    assert.ok(result.result === 'auth');
    assert.deepEqual(result.devices[0]?.capabilities, ['auto', 'push', 'sms', 'phone', 'mobile_otp']);
    assert.equal(result.devices[0]?.smsNextcode, '1');
    assert.deepEqual(result.devices[1]?.capabilities, []);
    assert.equal(result.devices[1]?.displayName, '0');
  });

  it('refuses an auth reply whose devices are not a list', () => {
    assert.equal(duoError(() => readPreauth({ result: 'auth', devices: 'all' }, PATH)).reason, 'protocol');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter(' 1.5 ', 0), 1500);
    const now = Date.parse('Sat, 28 Nov 2026 00:00:00 GMT');
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 00:00:04 GMT', now), 4000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
