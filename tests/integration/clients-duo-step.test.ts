import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectToken,
  takeBackupCodes,
  jwtPayload,
  type DuoRequired,
  type TokenAnswer,
} from '../helpers/client-answers';
import {
  clientDuoUsername,
  createClient,
  enableDuoForClient,
  eventually,
  login,
  newCredentials,
  startClientsHarness,
  step,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { assertNoSecretsKept, auditEntries } from '../helpers/plugin-rows';

/**
 * Issue 4 against the Duo sandbox, only through the HTTP API: each factor of the JSON Duo step, Duo's allow/deny
 * verdicts, enrolment at login; then the audit trail, and no secret in any audit row, stored row or log line.
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ sandbox: { pushTimeoutMs: 1500, phoneRingMs: 100, longPollMs: 3000 } });
});
after(async () => {
  await h?.close();
});

/** A client with Duo on, and what a plain login gave them before. */
async function duoClient(): Promise<{ client: Client; plain: TokenAnswer }> {
  const client = await createClient(h);
  const plain = expectToken(await login(h.app, client.email, client.password));
  await enableDuoForClient(h, client, plain.jwt);
  return { client, plain };
}

async function startLogin(client: Client): Promise<DuoRequired> {
  return expectDuoRequired(await login(h.app, client.email, client.password));
}

const answered = (response: Awaited<ReturnType<typeof step>>, what: string): TokenAnswer => expectToken(response, what);

/** The one push or call the sandbox holds for this client. */
function pendingFor(client: Client, factor: 'push' | 'phone') {
  return eventually(
    () => h.sandbox.pendingPushes().find((p) => p.username === client.duoUsername && p.factor === factor),
    3000,
    `a ${factor} for ${client.duoUsername}`,
  );
}

describe('Duo Push', () => {
  it('approved: the status long-poll returns the same { jwt, user } as a plain login (apart from the token)', async () => {
    const { client, plain } = await duoClient();
    const { stepId, duo } = await startLogin(client);
    assert.equal(duo.result, 'auth');

    const pushed = dataOf(await step(h.app, 'push', { step: stepId }), 'push');
    assert.deepEqual(pushed, { state: 'waiting', duoStatus: 'pushed' });
    const push = await pendingFor(client, 'push');
    assert.equal(push.pushinfo.from, 'Strapi');
    assert.deepEqual(dataOf(await step(h.app, 'status', { step: stepId, wait: false })).state, 'waiting');

    // Duo answers the first poll at once (the push was sent); the next one is held until something changes.
    const first = dataOf(await step(h.app, 'status', { step: stepId }), 'first poll');
    assert.deepEqual([first.state, first.duoStatus], ['waiting', 'pushed']);
    const started = Date.now();
    const polling = step(h.app, 'status', { step: stepId });
    setTimeout(() => h.sandbox.approve(push.txid), 300);
    const answer = answered(await polling, 'status after approve');
    const held = Date.now() - started;
    // Held (≥ 250 ms: not answered before the approval) and woken by it: unwoken, the sandbox would hold the poll for
    // its whole longPollMs (3 s), so anything under that is the approval; the 2.7 s between is the load margin.
    assert.ok(held >= 250 && held < 3000, `the long-poll returned on the approval, after ${held} ms`);

    assert.deepEqual(answer.user, plain.user);
    assert.deepEqual(Object.keys(jwtPayload(answer.jwt)).sort(), ['duo', 'exp', 'iat', 'id']);
    assert.equal(jwtPayload(answer.jwt).duo, 'allow');
    assert.equal(jwtPayload(answer.jwt).id, client.id);
    const me = await h.app.api('/api/users/me', { token: answer.jwt });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, (await h.app.api('/api/users/me', { token: answer.jwt })).body);
    assert.equal((me.body as { id: number }).id, client.id);
  });

  it('denied: no token; the step stays open for another push, a call or a passcode', async () => {
    const { client } = await duoClient();
    const { stepId } = await startLogin(client);
    dataOf(await step(h.app, 'push', { step: stepId }));
    h.sandbox.deny((await pendingFor(client, 'push')).txid);
    const status = await step(h.app, 'status', { step: stepId });
    assertNoToken(status);
    const open = dataOf(status);
    assert.deepEqual([open.state, open.duoStatus, open.promptsLeft], ['pending', 'deny', 2]);
    // And stays open: another push goes out.
    assert.equal(dataOf(await step(h.app, 'status', { step: stepId })).state, 'pending');
    const retry = await step(h.app, 'push', { step: stepId });
    assertNoToken(retry);
    assert.deepEqual(dataOf(retry), { state: 'waiting', duoStatus: 'pushed' });
    dataOf(await step(h.app, 'cancel', { step: stepId }));
  });

  it('cancelled while its status long-poll waits, then approved at Duo: refused as "cancelled", no token', async () => {
    const { client } = await duoClient();
    const { stepId } = await startLogin(client);
    dataOf(await step(h.app, 'push', { step: stepId }));
    const push = await pendingFor(client, 'push');
    dataOf(await step(h.app, 'status', { step: stepId }), 'first poll');
    const polling = step(h.app, 'status', { step: stepId });
    await new Promise((resolve) => setTimeout(resolve, 300));
    dataOf(await step(h.app, 'cancel', { step: stepId }), 'cancel');
    h.sandbox.approve(push.txid);
    const late = await polling;
    assertNoToken(late);
    assert.deepEqual(errorOf(late, 400).details, { state: 'cancelled' });
  });

  it('unanswered until Duo times out: no token; the step stays open for another way', async () => {
    const { client } = await duoClient();
    const { stepId } = await startLogin(client);
    dataOf(await step(h.app, 'push', { step: stepId }));
    let status = await step(h.app, 'status', { step: stepId });
    // The sandbox holds the long-poll 3 s and times the push out after 1.5 s.
    for (let i = 0; i < 3 && dataOf(status).state === 'waiting'; i += 1) {
      status = await step(h.app, 'status', { step: stepId });
    }
    assertNoToken(status);
    assert.equal(dataOf(status).state, 'pending');
    assert.equal(dataOf(status).duoStatus, 'timeout');
  });

  it('Verified Push: the push answer carries the code the user types in Duo Mobile', async () => {
    const { client } = await duoClient();
    h.sandbox.updateUser(client.duoUsername, { verifiedPush: true });
    const { stepId, duo } = await startLogin(client);
    assert.equal(duo.result === 'auth' && duo.verifiedPush, true);
    const pushed = dataOf(await step(h.app, 'push', { step: stepId }));
    assert.equal(pushed.state, 'waiting');
    assert.match(String(pushed.verificationCode), /^[0-9]{3,}$/);
    const push = await pendingFor(client, 'push');
    assert.equal(push.requiresVerificationCode, true);
    assert.throws(() => h.sandbox.approve(push.txid), /verification code/);
    h.sandbox.approve(push.txid, { verificationCode: String(pushed.verificationCode) });
    const answer = answered(await step(h.app, 'status', { step: stepId }), 'verified push');
    assert.equal(answer.user.id, client.id);
  });
});

describe('other factors', () => {
  it('passcode from Duo Mobile', async () => {
    const { client, plain } = await duoClient();
    const { stepId } = await startLogin(client);
    const answer = answered(
      await step(h.app, 'passcode', { step: stepId, passcode: h.sandbox.currentPasscode(client.duoUsername) }),
      'passcode',
    );
    assert.deepEqual(answer.user, plain.user);
  });

  it('phone call, answered and approved', async () => {
    const { client, plain } = await duoClient();
    const { stepId, duo } = await startLogin(client);
    assert.ok(duo.result === 'auth' && duo.factors.includes('phone'));
    const calling = dataOf(await step(h.app, 'phone', { step: stepId }), 'phone');
    assert.deepEqual(calling, { state: 'waiting', duoStatus: 'calling' });
    const call = await pendingFor(client, 'phone');
    // The phone rings, the user answers (status `answered`), then presses a key.
    await eventually(
      () => (h.sandbox.pendingPushes().find((p) => p.txid === call.txid && p.status === 'answered') ? true : undefined),
      2000,
      'the call to be answered',
    );
    h.sandbox.approve(call.txid);
    let status = await step(h.app, 'status', { step: stepId });
    for (let i = 0; i < 3 && (status.body as { data?: { state?: string } }).data?.state === 'waiting'; i += 1) {
      status = await step(h.app, 'status', { step: stepId });
    }
    assert.deepEqual(answered(status, 'phone').user, plain.user);
  });

  it('SMS passcodes: sent on request, then one of them signs in', async () => {
    const { client, plain } = await duoClient();
    const { stepId, duo } = await startLogin(client);
    assert.ok(duo.result === 'auth' && duo.factors.includes('sms'));
    const sent = dataOf(await step(h.app, 'sms', { step: stepId }), 'sms');
    assert.equal(sent.state, 'pending');
    assert.equal(typeof sent.message, 'string');
    const codes = h.sandbox.smsPasscodes(client.duoUsername);
    assert.ok(codes.length > 0);
    const answer = answered(await step(h.app, 'passcode', { step: stepId, passcode: codes[0] }), 'sms passcode');
    assert.deepEqual(answer.user, plain.user);
  });

  it('a wrong passcode first, then the right one', async () => {
    const { client } = await duoClient();
    const { stepId } = await startLogin(client);
    const wrong = await step(h.app, 'passcode', { step: stepId, passcode: '13572468' });
    assertNoToken(wrong);
    const error = errorOf(wrong, 400);
    assert.equal(error.name, 'DuoPasscodeError');
    assert.deepEqual(error.details, { attemptsLeft: 4 });
    answered(
      await step(h.app, 'passcode', { step: stepId, passcode: h.sandbox.currentPasscode(client.duoUsername) }),
      'after a wrong passcode',
    );
  });
});

describe("Duo's preauth verdicts", () => {
  it('allow (a bypass user): the normal { jwt, user } straight from /api/auth/local', async () => {
    const { client, plain } = await duoClient();
    h.sandbox.updateUser(client.duoUsername, { status: 'bypass' });
    const answer = expectToken(await login(h.app, client.email, client.password), 'bypass login');
    assert.deepEqual(answer.user, plain.user);
    assert.equal(jwtPayload(answer.jwt).duo, 'bypass');
    assert.equal((await h.app.api('/api/users/me', { token: answer.jwt })).status, 200);
    const audit = await auditEntries(h.strapi, { userId: client.id, event: 'login.bypass' });
    assert.equal(audit.length, 1);
  });

  it('deny (a disabled user): DuoDeniedError, no token', async () => {
    const { client } = await duoClient();
    h.sandbox.updateUser(client.duoUsername, { status: 'disabled' });
    const response = await login(h.app, client.email, client.password);
    assertNoToken(response);
    const error = errorOf(response, 400);
    assert.equal(error.name, 'DuoDeniedError');
    assert.deepEqual(error.details, { reason: 'duo-deny' });
    const audit = await auditEntries(h.strapi, { userId: client.id, event: 'step.denied' });
    assert.equal(audit.length, 1);
  });
});

describe('enrolment at login (enforcement required, a client Duo does not know)', () => {
  before(async () => {
    await updateClientSettings(h, { enforcement: 'required' });
  });
  after(async () => {
    await updateClientSettings(h, { enforcement: 'optional' });
  });

  it('register → QR and activation → Duo Mobile activated → push approved → the token; the account is enrolled', async () => {
    const credentials = newCredentials('enrol');
    const required = expectDuoRequired(await h.app.api('/api/auth/local/register', { body: credentials }), 'register');
    const { stepId } = required;
    assert.equal(required.duo.result, 'enroll');
    // Nothing to approve with yet.
    assert.equal(dataOf(await step(h.app, 'status', { step: stepId, wait: false })).state, 'enrolling');
    assert.equal(errorOf(await step(h.app, 'push', { step: stepId }), 400).name, 'DuoFactorError');

    const enrolling = dataOf(await step(h.app, 'enroll', { step: stepId }), 'enroll');
    assert.equal(enrolling.state, 'enrolling');
    const view = enrolling.duo as { result: string; activation: Record<string, string> };
    assert.equal(view.result, 'enroll');
    assert.match(view.activation.qrCodeUrl ?? '', /^https?:\/\//);
    assert.match(view.activation.activationUrl ?? '', /^https?:\/\//);
    assert.equal(typeof view.activation.activationCode, 'string');
    assert.ok(Date.parse(view.activation.expiresAt ?? '') > Date.now());
    assert.equal(dataOf(await step(h.app, 'status', { step: stepId, wait: false })).state, 'enrolling');

    // The status long-poll also waits for the activation: it returns once the phone is activated.
    const started = Date.now();
    const polling = step(h.app, 'status', { step: stepId });
    setTimeout(() => h.sandbox.completeActivation(view.activation.activationCode as string), 300);
    const activated = dataOf(await polling, 'status after activation');
    const held = Date.now() - started;
    assert.ok(held >= 250 && held < 5000, `the long-poll returned on the activation, after ${held} ms`);
    assert.equal(activated.state, 'pending');
    const duo = activated.duo as { result: string; devices: unknown[] };
    assert.equal(duo.result, 'auth');
    assert.ok(duo.devices.length > 0);

    dataOf(await step(h.app, 'push', { step: stepId }));
    const { id } = (await h.strapi.db!.query('plugin::users-permissions.user').findOne({
      where: { email: credentials.email },
    })) as { id: number };
    // Duo knows the new client by id, not by the e-mail address it typed at registration.
    assert.ok(h.sandbox.user(clientDuoUsername(id)) !== undefined, 'the activation created strapi-client-<id>');
    assert.equal(h.sandbox.user(credentials.email), undefined);
    h.sandbox.approve((await pendingFor({ ...credentials, id, duoUsername: clientDuoUsername(id) }, 'push')).txid);
    // Duo turned on inside the sign-in: the answer carries the first backup codes too.
    const finished = takeBackupCodes(await step(h.app, 'status', { step: stepId }), 'enrolment at login');
    const answer = answered(finished.response, 'enrolment at login');
    assert.equal(answer.user.username, credentials.username);
    assert.equal(answer.user.email, credentials.email);
    assert.equal(answer.user.provider, 'local');

    const me = dataOf(await h.app.api('/api/duo-security/me', { token: answer.jwt }), 'me');
    assert.deepEqual({ enabled: me.enabled, required: me.required }, { enabled: true, required: true });
    // From now on the client signs in with Duo, without enrolling again.
    const next = expectDuoRequired(await login(h.app, credentials.email, credentials.password));
    assert.equal(next.duo.result, 'auth');
    const userId = answer.user.id as number;
    const events = (await auditEntries(h.strapi, { userId })).map((e) => e.event);
    for (const event of ['step.started', 'enroll.started', 'enroll.enabled', 'step.allowed']) {
      assert.ok(events.includes(event), `${event} in ${events.join(', ')}`);
    }
  });
});

describe('the audit trail and secrets', () => {
  it('records started, allowed, denied, retried, passcode failures and enrolment, with who, when and from where', async () => {
    const entries = await auditEntries(h.strapi);
    const events = new Set(entries.map((e) => e.event));
    for (const event of [
      'step.started',
      'step.allowed',
      'step.denied',
      'step.retry',
      'passcode.failed',
      'login.bypass',
      'enroll.started',
      'enroll.enabled',
    ]) {
      assert.ok(events.has(event), `no ${event} entry; have ${[...events].join(', ')}`);
    }
    for (const entry of entries) {
      assert.equal(entry.audience, 'clients');
      assert.equal(typeof entry.userId, 'number');
      assert.ok(Date.parse(entry.createdAt) > 0);
      assert.equal(typeof entry.outcome, 'string', JSON.stringify(entry));
    }
    assert.ok(
      entries.some((e) => typeof e.ip === 'string' && e.ip !== ''),
      'the address is recorded',
    );
  });

  it('no audit row, stored row or log line holds a step id, a passcode or a token; no response a passcode', async () => {
    const checked = await assertNoSecretsKept(h);
    assert.ok(checked.stepIds >= 10 && checked.passcodes >= 3 && checked.jwts >= 10, JSON.stringify(checked));
  });
});
