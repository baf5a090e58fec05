import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';

import { DuoAuthClient } from '../../server/src/duo/client';
import { escapeDuoText } from '../../server/src/duo/duo-text';
import { DuoError } from '../../server/src/duo/errors';
import { parseEnvelope } from '../../server/src/duo/parse-envelope';
import { readAuth, readAuthStatus, readPreauth } from '../../server/src/duo/results';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { HOSTILE_DUO_TEXT, READABLE_PART, UNSAFE_CHARACTER } from '../helpers/hostile-duo-text';

/* Issue 14 item 2: what Duo says is data. It comes out of the client escaped; only `…Raw` keeps it as sent. */

function assertSafe(text: string | undefined, what: string): void {
  assert.ok(text !== undefined, `${what} is missing`);
  assert.doesNotMatch(text, UNSAFE_CHARACTER, `${what}: ${JSON.stringify(text)}`);
}

function duoError(fn: () => unknown): DuoError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DuoError, `expected a DuoError, got ${String(error)}`);
    return error;
  }
  assert.fail('no error was thrown');
}

describe('escapeDuoText', () => {
  it('writes every control, bidi and separator character and every lone surrogate as \\uXXXX', () => {
    for (let unit = 0; unit <= 0xffff; unit++) assertSafe(escapeDuoText(String.fromCharCode(unit)), `U+${unit}`);
    assert.equal(escapeDuoText('\u001b[31mred\u0007'), '\\u001B[31mred\\u0007');
    assert.equal(escapeDuoText('a\r\nb\u202ec\u009b'), 'a\\u000D\\u000Ab\\u202Ec\\u009B');
  });

  it('keeps readable text (accents, emoji, backslashes) as it is, and is idempotent', () => {
    assert.equal(escapeDuoText('café \u{1f510} C:\\x'), 'café \u{1f510} C:\\x');
    const once = escapeDuoText(HOSTILE_DUO_TEXT);
    assertSafe(once, 'escaped');
    assert.ok(once.includes(READABLE_PART));
    assert.equal(escapeDuoText(once), once);
  });
});

describe('Duo error answers', () => {
  const body = JSON.stringify({
    stat: 'FAIL',
    code: 40002,
    message: HOSTILE_DUO_TEXT,
    message_detail: HOSTILE_DUO_TEXT,
  });

  it('escape message and message_detail everywhere the error is printed, and keep the raw text apart', () => {
    const error = duoError(() => parseEnvelope('/auth/v2/auth', 400, body));
    assert.equal(error.code, 40002);
    for (const [what, text] of [
      ['message', error.message],
      ['duoMessage', error.duoMessage],
      ['messageDetail', error.messageDetail],
      ['String()', String(error)],
      // The stack and util.inspect (console.log) add line breaks of their own between frames.
      ['stack', error.stack?.replaceAll('\n    at ', ' at ')],
      ['toJSON', JSON.stringify(error)],
      ['inspect', inspect(error).replace(/\n\s*/g, ' ')],
    ] as const) {
      assertSafe(text, what);
    }
    assert.ok(error.message.includes(READABLE_PART));
    assert.equal(error.duoMessageRaw, HOSTILE_DUO_TEXT);
    assert.equal(error.messageDetailRaw, HOSTILE_DUO_TEXT);
    assert.ok(!JSON.stringify(error).includes('Raw'), 'toJSON leaves the raw text out');
  });
});

describe("Duo's status_msg and status", () => {
  it('come out of preauth, auth and auth_status escaped, device names too', () => {
    const preauth = readPreauth(
      {
        result: 'auth',
        status_msg: HOSTILE_DUO_TEXT,
        devices: [{ device: 'DP1', type: 'phone', name: HOSTILE_DUO_TEXT, display_name: HOSTILE_DUO_TEXT }],
      },
      '/auth/v2/preauth',
    );
    assertSafe(preauth.statusMsg, 'preauth status_msg');
    assert.ok(preauth.result === 'auth');
    assertSafe(preauth.devices[0]?.displayName, 'display_name');
    assertSafe(preauth.devices[0]?.name, 'name');
    const deny = readAuth({ result: 'deny', status: HOSTILE_DUO_TEXT, status_msg: HOSTILE_DUO_TEXT }, '/auth/v2/auth');
    assertSafe(deny.status, 'auth status');
    assertSafe(deny.statusMsg, 'auth status_msg');
    const waiting = readAuthStatus({ result: 'waiting', status: 'pushed', status_msg: HOSTILE_DUO_TEXT }, '/x');
    assertSafe(waiting.statusMsg, 'auth_status status_msg');
    assert.ok(waiting.statusMsg.includes(READABLE_PART));
  });
});

describe("replies Duo's own clients refuse", () => {
  it('an allow without status_msg is refused (unexpected-result), from preauth, auth and auth_status', () => {
    for (const read of [readPreauth, readAuth, readAuthStatus]) {
      const error = duoError(() => read({ result: 'allow', status: 'allow' }, '/auth/v2/x'));
      assert.equal(error.reason, 'unexpected-result');
      assert.equal(read({ result: 'allow', status_msg: '' }, '/auth/v2/x').result, 'allow');
    }
    // A refusal without a message is still a refusal.
    assert.equal(readAuth({ result: 'deny' }, '/auth/v2/auth').result, 'deny');
  });

  it('a result the client does not know is refused without echoing it', () => {
    const cases: Array<[(raw: unknown, path: string) => unknown, string]> = [
      [readPreauth, 'bypass'],
      [readPreauth, 'ALLOW'],
      [readPreauth, `allow${HOSTILE_DUO_TEXT}`],
      [readAuth, 'waiting'],
      [readAuthStatus, 'enroll'],
      [readAuthStatus, HOSTILE_DUO_TEXT],
    ];
    for (const [read, result] of cases) {
      const error = duoError(() => read({ result, status_msg: 'x', devices: [] }, '/auth/v2/x'));
      assert.equal(error.reason, 'unexpected-result', result);
      assert.ok(!error.message.includes(result), error.message);
    }
  });
});

describe('the client against a sandbox that answers hostile text', () => {
  let sandbox: DuoSandbox;
  let client: DuoAuthClient;
  before(async () => {
    sandbox = await startDuoSandbox({ port: 0 });
    client = new DuoAuthClient({
      integrationKey: sandbox.ikey,
      secretKey: sandbox.skey,
      apiHostname: sandbox.url,
      production: false,
      random: () => 0,
    });
  });
  after(async () => {
    await client.close();
    await sandbox.close();
  });
  beforeEach(() => sandbox.clearFaults());

  it('escapes an error answer and a deny, and refuses an allow without status_msg', async () => {
    const failure = { stat: 'FAIL', code: 40002, message: HOSTILE_DUO_TEXT, message_detail: HOSTILE_DUO_TEXT };
    sandbox.setFault({ kind: 'reply', status: 400, body: failure, times: 1 });
    const error = await client.preauth({ username: 'alice' }).then(
      () => assert.fail('preauth succeeded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DuoError);
    assertSafe(error.message, 'message');
    assert.equal(error.duoMessageRaw, HOSTILE_DUO_TEXT);

    sandbox.setFault({
      kind: 'reply',
      body: { stat: 'OK', response: { result: 'deny', status_msg: HOSTILE_DUO_TEXT } },
    });
    assertSafe((await client.preauth({ username: 'alice' })).statusMsg, 'deny status_msg');

    sandbox.clearFaults();
    sandbox.setFault({ kind: 'reply', body: { stat: 'OK', response: { result: 'allow' } } });
    const refused = await client.preauth({ username: 'alice' }).then(
      () => assert.fail('an allow without status_msg got through'),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof DuoError && refused.reason === 'unexpected-result');
  });

  it("checks a reply fault's status and body", () => {
    assert.throws(() => sandbox.setFault({ kind: 'reply', status: 199, body: {} }), /status/);
    assert.throws(() => sandbox.setFault({ kind: 'reply', body: undefined }), /body/);
    sandbox.setFault({ kind: 'reply', status: 503, body: 'x', path: '/auth/v2/check' });
    assert.deepEqual(sandbox.faults(), [{ kind: 'reply', status: 503, body: 'x', path: '/auth/v2/check' }]);
  });
});
