import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DuoAuthClient, type DuoAuthClientOptions } from '../../server/src/duo/client';
import { DuoError } from '../../server/src/duo/errors';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';

let sandbox: DuoSandbox;
const clients: DuoAuthClient[] = [];

function client(overrides: Partial<DuoAuthClientOptions> = {}): DuoAuthClient {
  const made = new DuoAuthClient({
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: sandbox.url,
    production: false,
    random: () => 0,
    ...overrides,
  });
  clients.push(made);
  return made;
}

async function rejection(promise: Promise<unknown>): Promise<DuoError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DuoError, `expected a DuoError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

let userCounter = 0;
async function newUser(options: { verifiedPush?: boolean } = {}) {
  userCounter += 1;
  return sandbox.addUser({ username: `user${userCounter}@example.com`, ...options });
}

before(async () => {
  sandbox = await startDuoSandbox({ port: 0, longPollMs: 300 });
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sandbox.close();
});

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.setSkew(0);
});

describe('DuoAuthClient against the sandbox', () => {
  it('preauth lists the devices of an enrolled user and asks for enrolment of an unknown one', async () => {
    const user = await newUser();
    const known = await client().preauth({ username: user.username });
    assert.equal(known.result, 'auth');
    assert.ok(known.result === 'auth');
    assert.equal(known.devices.length, 1);
    assert.ok(known.devices[0]?.capabilities.includes('push'));

    const unknown = await client().preauth({ username: 'nobody-knows-me@example.com' });
    assert.equal(unknown.result, 'enroll');
  });

  it('async push approved: waiting, then allow', async () => {
    const user = await newUser();
    const duo = client();
    const { txid } = await duo.auth({ username: user.username, factor: 'push', device: 'auto' }, { async: true });
    const first = await duo.authStatus(txid);
    assert.equal(first.result, 'waiting');
    assert.equal(first.status, 'pushed');
    sandbox.approve(txid);
    const second = await duo.authStatus(txid);
    assert.equal(second.result, 'allow');
  });

  it('async push denied: deny', async () => {
    const user = await newUser();
    const duo = client();
    const { txid } = await duo.auth({ username: user.username, factor: 'push', device: 'auto' }, { async: true });
    assert.equal((await duo.authStatus(txid)).result, 'waiting');
    sandbox.deny(txid);
    const status = await duo.authStatus(txid);
    assert.equal(status.result, 'deny');
  });

  it('passcode: the right one allows, a wrong one denies', async () => {
    const user = await newUser();
    const duo = client();
    const wrong = await duo.auth({ username: user.username, factor: 'passcode', passcode: '000000' });
    assert.equal(wrong.result, 'deny');
    const right = await duo.auth({
      username: user.username,
      factor: 'passcode',
      passcode: sandbox.currentPasscode(user.username),
    });
    assert.equal(right.result, 'allow');
  });

  it('phone call: answered and approved allows', async () => {
    const user = await newUser();
    const duo = client();
    const { txid } = await duo.auth({ username: user.username, factor: 'phone', device: 'auto' }, { async: true });
    assert.equal((await duo.authStatus(txid)).result, 'waiting');
    sandbox.approve(txid);
    let status = await duo.authStatus(txid);
    while (status.result === 'waiting') status = await duo.authStatus(txid);
    assert.equal(status.result, 'allow');
  });

  it('sms: Duo answers deny/sent, and a sent passcode then allows', async () => {
    const user = await newUser();
    const duo = client();
    const sent = await duo.auth({ username: user.username, factor: 'sms', device: 'auto' });
    assert.equal(sent.result, 'deny');
    assert.equal(sent.status, 'sent');
    const codes = sandbox.smsPasscodes(user.username);
    assert.ok(codes.length > 0);
    const code = codes[0];
    assert.equal(typeof code, 'string');
    const allowed = await duo.auth({ username: user.username, factor: 'passcode', passcode: code as string });
    assert.equal(allowed.result, 'allow');
  });

  it('Verified Push: preauth returns the code, approval with it allows', async () => {
    const user = await newUser({ verifiedPush: true });
    const duo = client();
    const pre = await duo.preauth({ username: user.username, clientSupportsVerifiedPush: true });
    assert.ok(pre.result === 'auth');
    assert.ok(pre.verifiedPush, 'preauth returned a verification code');
    assert.match(pre.verifiedPush.verificationCode, /^\d{3,6}$/);
    const { txid } = await duo.auth(
      { username: user.username, factor: 'push', device: 'auto', txid: pre.verifiedPush.txid },
      { async: true },
    );
    assert.equal((await duo.authStatus(txid)).result, 'waiting');
    sandbox.approve(txid, { verificationCode: pre.verifiedPush.verificationCode });
    assert.equal((await duo.authStatus(txid)).result, 'allow');
  });

  it('enrol, activate, then enroll_status says success and the user can authenticate', async () => {
    const duo = client();
    const enrolment = await duo.enroll({ username: 'new-enrolee@example.com', validSecs: 600 });
    assert.match(enrolment.activationBarcode, /^http/);
    assert.equal(await duo.enrollStatus(enrolment), 'waiting');
    sandbox.completeActivation(enrolment.activationCode);
    assert.equal(await duo.enrollStatus(enrolment), 'success');
    const pre = await duo.preauth({ username: 'new-enrolee@example.com' });
    assert.equal(pre.result, 'auth');
  });

  it('signs with v2 as well as v5', async () => {
    const check = await client({ signatureVersion: 2 }).check();
    assert.ok(check.time > 0);
    const user = await newUser();
    const pre = await client({ signatureVersion: 2 }).preauth({ username: user.username });
    assert.equal(pre.result, 'auth');
  });

  it('a wrong secret key fails with 40103 and an unknown integration key with 40102', async () => {
    const wrongSecret = await rejection(client({ secretKey: 'x'.repeat(40) }).check());
    assert.equal(wrongSecret.code, 40103);
    assert.equal(wrongSecret.httpStatus, 401);
    assert.equal(wrongSecret.isCredentialError, true);
    assert.doesNotMatch(wrongSecret.message, /xxxxxxxx/);

    const wrongKey = await rejection(client({ integrationKey: 'DIWRONGWRONGWRONGWRO' }).check());
    assert.equal(wrongKey.code, 40102);
  });

  it('honours Retry-After on HTTP 429 and then succeeds', async () => {
    sandbox.setFault({ kind: 'rate-limit', retryAfter: 1, times: 1 });
    const started = Date.now();
    const result = await client().check();
    const elapsed = Date.now() - started;
    assert.ok(result.time > 0);
    assert.ok(elapsed >= 950, `waited ${elapsed} ms, expected the 1 s Retry-After`);
  });

  it('gives up on a 429 storm within the rate-limit budget with a clear error', async () => {
    sandbox.setFault({ kind: 'rate-limit', retryAfter: 2 });
    const requestsBefore = sandbox.stats().requests;
    const started = Date.now();
    const error = await rejection(client({ rateLimitBudgetMs: 3000 }).check());
    const elapsed = Date.now() - started;
    assert.equal(error.reason, 'rate-limited');
    assert.match(error.message, /temporarily unavailable/);
    // The reason it stopped, not only a stopwatch: one wait of 2 s fits the 3 s budget, a second would not, so Duo
    // was asked exactly twice. Waiting a second time would take it past 4 s; the bound leaves a loaded machine 1 s.
    assert.equal(sandbox.stats().requests - requestsBefore, 2, 'asked, waited 2 s once, asked again, gave up');
    assert.ok(elapsed < 4000, `took ${elapsed} ms: it waited past the 3000 ms budget`);
  });

  it("reads an HTTP-date Retry-After on Duo's clock, which may be minutes from this server's", async () => {
    sandbox.setSkew(10 * 60 * 1000);
    const duo = client();
    await duo.check();
    // Two seconds from now on Duo's clock: ten minutes and two seconds on this server's.
    const retryAt = new Date(Date.now() + duo.clockOffsetMs + 2000).toUTCString();
    sandbox.setFault({ kind: 'rate-limit', retryAfter: retryAt, times: 1 });
    const before = sandbox.stats().byPath['/auth/v2/check'] ?? 0;
    assert.ok((await duo.check()).time > 0, 'waited as Duo asked and tried again');
    assert.equal((sandbox.stats().byPath['/auth/v2/check'] ?? 0) - before, 2);
  });

  it('gives up at once, after one request, when Retry-After asks for longer than the budget', async () => {
    const later = new Date(Date.now() + 60_000).toUTCString();
    const answers = [
      { retryAfter: 60 },
      { retryAfter: later },
      { retryAfter: 60, header: 'X-Retry-After' as const },
      { retryAfter: later, header: 'X-Retry-After' as const },
    ];
    for (const answer of answers) {
      sandbox.clearFaults();
      sandbox.setFault({ kind: 'rate-limit', ...answer });
      const before = sandbox.stats().byPath['/auth/v2/check'] ?? 0;
      const error = await rejection(client({ rateLimitBudgetMs: 5000 }).check());
      assert.equal(error.reason, 'rate-limited', JSON.stringify(answer));
      assert.ok((error.retryAfterMs ?? 0) > 5000, `${JSON.stringify(answer)}: read ${error.retryAfterMs} ms`);
      // Without the header it would back off 1 s, 2 s… and try again within the budget.
      assert.equal((sandbox.stats().byPath['/auth/v2/check'] ?? 0) - before, 1, JSON.stringify(answer));
    }
  });

  it('a server that never answers fails by the deadline', async () => {
    sandbox.setFault({ kind: 'hang' });
    const started = Date.now();
    const error = await rejection(client({ timeouts: { shortMs: 400 } }).check());
    assert.equal(error.reason, 'timeout');
    const viaSignal = await rejection(
      client().preauth({ username: 'x@example.com' }, { signal: AbortSignal.timeout(300) }),
    );
    assert.equal(viaSignal.reason, 'timeout');
    // The reasons above say which deadline ended each call; this only says neither hung on (the fault never answers).
    assert.ok(Date.now() - started < 10_000);
  });

  it('a garbage body becomes a typed protocol error', async () => {
    sandbox.setFault({ kind: 'garbage', times: 1 });
    const error = await rejection(client().check());
    assert.equal(error.reason, 'protocol');
    sandbox.setFault({ kind: 'html', times: 1 });
    assert.ok((await rejection(client().check())) instanceof DuoError);
    sandbox.setFault({ kind: 'empty', times: 1 });
    assert.ok((await rejection(client().check())) instanceof DuoError);
  });

  it('5xx is reported as Duo being unavailable, 40301 as the wrong application type', async () => {
    sandbox.setFault({ kind: 'status', status: 503, times: 1 });
    assert.equal((await rejection(client().check())).reason, 'unavailable');
    sandbox.setFault({ kind: 'wrong-app-type', times: 1 });
    const wrongType = await rejection(client().check());
    assert.equal(wrongType.code, 40301);
    assert.equal(wrongType.isWrongApplicationType, true);
  });

  it('detects a +10 minute clock skew and corrects it', async () => {
    sandbox.setSkew(10 * 60 * 1000);
    const duo = client();
    const check = await duo.check();
    assert.ok(Math.abs(duo.clockOffsetMs - 600_000) < 2000, `measured offset ${duo.clockOffsetMs} ms`);
    assert.ok(Math.abs(check.offsetMs - 600_000) < 2000);
    const user = await newUser();
    assert.equal((await duo.preauth({ username: user.username })).result, 'auth');
  });

  it('reuses one connection for 20 sequential calls', async () => {
    const duo = client();
    await duo.ping();
    sandbox.resetStats();
    for (let i = 0; i < 20; i++) await duo.check();
    const stats = sandbox.stats();
    assert.equal(stats.requests, 20);
    assert.equal(stats.connections, 0, 'no new connection after the first call');
  });

  it('a refused connection is reported as unavailable', async () => {
    const error = await rejection(client({ apiHostname: 'http://127.0.0.1:9' }).check());
    assert.equal(error.reason, 'unavailable');
  });
});
