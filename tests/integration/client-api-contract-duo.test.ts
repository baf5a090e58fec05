import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { dataOf, expectDuoRequired, expectToken, stepFrom } from '../helpers/client-answers';
import {
  createClient,
  eventually,
  startClientsHarness,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { Contract } from '../helpers/openapi';
import type { ApiRequest, ApiResponse } from '../helpers/strapi';

/**
 * docs/openapi/client-api.json against a real Strapi (the host STRAPI_HOST names): every answer of the Duo step
 * (/duo-security/step/*) and of Security Settings (/duo-security/me*) that the document lists is produced here and
 * validated against the document's schema for its path, method and status; the run fails if any listed answer
 * was never produced (the sign-in paths, GraphQL and Strapi 5's sessions: client-api-contract-signin.test.ts).
 */

const contract = new Contract();
let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ sandbox: { pushTimeoutMs: 1500, phoneRingMs: 100, longPollMs: 3000 } });
});
after(async () => {
  await h?.close();
});

/** A request to `/api<path>`, its answer checked against the document. */
async function call(method: 'get' | 'post', path: string, request: ApiRequest = {}): Promise<ApiResponse> {
  const response = await h.app.api(`/api${path}`, { method: method.toUpperCase(), ...request });
  contract.check(method, path, response);
  return response;
}
const step = (action: string, body: unknown) => call('post', `/duo-security/step/${action}`, { body });
const kindOf = (response: ApiResponse, path: string) => contract.check('post', path, response);
const errorName = (response: ApiResponse) => (response.body as { error?: { name?: string } }).error?.name;

const UNKNOWN_STEP = 'A'.repeat(43);

async function signIn(client: Client): Promise<ApiResponse> {
  return call('post', '/auth/local', { body: { identifier: client.email, password: client.password } });
}

/** A client whose login gives the Duo step: Duo turned on through Security Settings and a passcode. */
async function duoClient(): Promise<Client & { jwt: string }> {
  const client = await createClient(h);
  const plain = expectToken(await signIn(client));
  const started = stepFrom(dataOf(await call('post', '/duo-security/me/enable', { token: plain.jwt })), 'enable');
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const enabled = dataOf(await step('passcode', { step: started.stepId, passcode }), 'enable passcode');
  return { ...client, jwt: String(enabled.jwt) };
}

async function loginStep(client: Client): Promise<string> {
  return expectDuoRequired(await signIn(client)).stepId;
}

/** Sends a push on the step, approves it at the sandbox, and polls status until the final answer. */
async function approvedPush(client: Client, stepId: string): Promise<ApiResponse> {
  assert.equal(dataOf(await step('push', { step: stepId })).state, 'waiting');
  const push = await eventually(
    () => h.sandbox.pendingPushes().find((p) => p.username === client.duoUsername && p.factor === 'push'),
    3000,
    'the push',
  );
  h.sandbox.approve(push.txid);
  let status = await step('status', { step: stepId });
  for (let i = 0; i < 3 && (status.body as { data?: { state?: string } }).data?.state === 'waiting'; i += 1) {
    status = await step('status', { step: stepId });
  }
  return status;
}

/** Runs `call` while the sandbox answers `path` with HTTP 503 (Duo down; fail mode closed). */
async function whileDuoDown<T>(path: string | undefined, action: () => Promise<T>): Promise<T> {
  h.sandbox.setFault({ kind: 'status', status: 503, ...(path === undefined ? {} : { path }) });
  try {
    return await action();
  } finally {
    h.sandbox.clearFaults();
  }
}

/** Runs `call` while Duo answers `path` once with a `result` no Duo client knows. */
function withUnknownResult<T>(path: string, action: () => Promise<T>): Promise<T> {
  h.sandbox.setFault({ kind: 'reply', path, body: { stat: 'OK', response: { result: 'bogus' } }, times: 1 });
  return action().finally(() => h.sandbox.clearFaults());
}

it('Security Settings: status, enable and disable (passcode and push), and their refusals', async () => {
  for (const path of ['/duo-security/me', '/duo-security/me/enable', '/duo-security/me/disable']) {
    const method = path === '/duo-security/me' ? 'get' : 'post';
    assert.equal(errorName(await call(method, path)), 'UnauthorizedError', path);
  }
  const client = await createClient(h);
  const plain = expectToken(await signIn(client));
  assert.equal(dataOf(await call('get', '/duo-security/me', { token: plain.jwt })).enabled, false);
  for (const path of ['/duo-security/me/enable', '/duo-security/me/disable']) {
    const extra = await call('post', path, { token: plain.jwt, body: { extra: 1 } });
    assert.equal(errorName(extra), 'ValidationError', path);
  }
  assert.equal(errorName(await call('post', '/duo-security/me/disable', { token: plain.jwt })), 'ApplicationError');

  const enabling = stepFrom(dataOf(await call('post', '/duo-security/me/enable', { token: plain.jwt })), 'enable');
  const enabled = await approvedPush(client, enabling.stepId);
  assert.equal(kindOf(enabled, '/duo-security/step/status'), 'EnableAnswer');
  const jwt = String(dataOf(enabled).jwt);
  assert.equal(errorName(await call('post', '/duo-security/me/enable', { token: jwt })), 'ApplicationError');

  const disabling = stepFrom(dataOf(await call('post', '/duo-security/me/disable', { token: jwt })), 'disable');
  assert.equal(kindOf(await approvedPush(client, disabling.stepId), '/duo-security/step/status'), 'DisableAnswer');

  const again = stepFrom(dataOf(await call('post', '/duo-security/me/enable', { token: jwt })), 'enable again');
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const enabledAgain = await step('passcode', { step: again.stepId, passcode });
  const disabling2 = stepFrom(
    dataOf(await call('post', '/duo-security/me/disable', { token: String(dataOf(enabledAgain).jwt) })),
    'disable',
  );
  const disabled = await step('passcode', {
    step: disabling2.stepId,
    passcode: h.sandbox.currentPasscode(client.duoUsername),
  });
  assert.equal(kindOf(disabled, '/duo-security/step/passcode'), 'DisableAnswer');
});

it('Security Settings: a Duo bypass user at once, a user Duo refuses, Duo unreachable', async () => {
  const bypass = await createClient(h);
  h.sandbox.updateUser(bypass.duoUsername, { status: 'bypass' });
  const plain = expectToken(await signIn(bypass));
  const on = await call('post', '/duo-security/me/enable', { token: plain.jwt });
  assert.equal(kindOf(on, '/duo-security/me/enable'), 'EnableAnswer');
  const off = await call('post', '/duo-security/me/disable', { token: String(dataOf(on).jwt) });
  assert.equal(kindOf(off, '/duo-security/me/disable'), 'DisableAnswer');

  const refused = await duoClient();
  const free = await createClient(h);
  const freeJwt = expectToken(await signIn(free)).jwt;
  h.sandbox.updateUser(refused.duoUsername, { status: 'disabled' });
  h.sandbox.updateUser(free.duoUsername, { status: 'disabled' });
  assert.equal(errorName(await call('post', '/duo-security/me/disable', { token: refused.jwt })), 'DuoDeniedError');
  assert.equal(errorName(await call('post', '/duo-security/me/enable', { token: freeJwt })), 'DuoDeniedError');
  h.sandbox.updateUser(refused.duoUsername, { status: 'active' });
  h.sandbox.updateUser(free.duoUsername, { status: 'active' });

  await whileDuoDown(undefined, async () => {
    const disable = await call('post', '/duo-security/me/disable', { token: refused.jwt });
    assert.equal(errorName(disable), 'DuoUnavailableError');
    assert.equal(errorName(await call('post', '/duo-security/me/enable', { token: freeJwt })), 'DuoUnavailableError');
  });
});

it('enrolment inside a step: /step/enroll, status while enrolling, then a passcode', async () => {
  const client = await createClient(h, { duo: false });
  const jwt = expectToken(await signIn(client)).jwt;
  const started = stepFrom(dataOf(await call('post', '/duo-security/me/enable', { token: jwt })), 'enable');
  assert.equal(started.duo.result, 'enroll');
  assert.equal(errorName(await step('enroll', {})), 'ValidationError');
  assert.equal(errorName(await step('enroll', { step: UNKNOWN_STEP })), 'DuoStepError');
  const enrolling = dataOf(await step('enroll', { step: started.stepId }));
  assert.equal(enrolling.state, 'enrolling');
  assert.equal(dataOf(await step('status', { step: started.stepId, wait: false })).state, 'enrolling');
  h.sandbox.completeActivation((enrolling.duo as { activation: { activationCode: string } }).activation.activationCode);
  assert.equal(dataOf(await step('status', { step: started.stepId })).state, 'pending');
  const done = await step('passcode', {
    step: started.stepId,
    passcode: h.sandbox.currentPasscode(client.duoUsername),
  });
  assert.equal(kindOf(done, '/duo-security/step/passcode'), 'EnableAnswer');

  const other = await createClient(h, { duo: false });
  const otherJwt = expectToken(await signIn(other)).jwt;
  const second = stepFrom(dataOf(await call('post', '/duo-security/me/enable', { token: otherJwt })), 'enable');
  await whileDuoDown('/auth/v2/enroll', async () => {
    assert.equal(errorName(await step('enroll', { step: second.stepId })), 'DuoUnavailableError');
  });
  const duo = await duoClient();
  assert.equal(errorName(await step('enroll', { step: await loginStep(duo) })), 'DuoFactorError');
});

it('push, phone and SMS: each answer and each refusal', async () => {
  const client = await duoClient();
  for (const factor of ['push', 'phone', 'sms'] as const) {
    const open = await loginStep(client);
    assert.equal(errorName(await step(factor, { step: 'short' })), 'ValidationError', factor);
    assert.equal(errorName(await step(factor, { step: UNKNOWN_STEP })), 'DuoStepError', factor);
    assert.equal(errorName(await step(factor, { step: open, device: 'NOPE123' })), 'DuoFactorError', factor);
    assert.equal(dataOf(await step(factor, { step: open })).state, factor === 'sms' ? 'pending' : 'waiting');
    const down = await loginStep(client);
    await whileDuoDown('/auth/v2/auth', async () => {
      assert.equal(errorName(await step(factor, { step: down })), 'DuoUnavailableError', factor);
    });
    await step('cancel', { step: open });
  }
  const sms = await loginStep(client);
  await withUnknownResult('/auth/v2/auth', async () => {
    assert.equal(errorName(await step('sms', { step: sms })), 'DuoDeniedError');
  });
  // A Verified Push asks Duo's preauth for a fresh code first: an answer nobody knows there refuses the step.
  h.sandbox.updateUser(client.duoUsername, { verifiedPush: true });
  const verified = await loginStep(client);
  assert.ok(typeof dataOf(await step('push', { step: verified })).verificationCode === 'string');
  const push = await loginStep(client);
  await withUnknownResult('/auth/v2/preauth', async () => {
    assert.equal(errorName(await step('push', { step: push })), 'DuoDeniedError');
  });
  h.sandbox.updateUser(client.duoUsername, { verifiedPush: false });
});

it('passcode, status and cancel: each answer and each refusal', async () => {
  const client = await duoClient();
  const first = await loginStep(client);
  assert.equal(errorName(await step('passcode', { step: first, passcode: 'abc' })), 'ValidationError');
  assert.equal(errorName(await step('passcode', { step: first, passcode: '13572468' })), 'DuoPasscodeError');
  const signedIn = await step('passcode', { step: first, passcode: h.sandbox.currentPasscode(client.duoUsername) });
  assert.equal(kindOf(signedIn, '/duo-security/step/passcode'), 'SignInToken');
  assert.equal(errorName(await step('passcode', { step: first, passcode: '123456' })), 'DuoStepError');
  const down = await loginStep(client);
  await whileDuoDown('/auth/v2/auth', async () => {
    assert.equal(errorName(await step('passcode', { step: down, passcode: '123456' })), 'DuoUnavailableError');
  });
  await withUnknownResult('/auth/v2/auth', async () => {
    assert.equal(errorName(await step('passcode', { step: down, passcode: '123456' })), 'DuoDeniedError');
  });

  const polled = await loginStep(client);
  assert.equal(errorName(await step('status', { step: polled, wait: 'yes' })), 'ValidationError');
  assert.equal(errorName(await step('status', { step: UNKNOWN_STEP })), 'DuoStepError');
  assert.equal(dataOf(await step('status', { step: polled, wait: false })).state, 'pending');
  assert.equal(kindOf(await approvedPush(client, polled), '/duo-security/step/status'), 'SignInToken');
  for (const [fault, name] of [
    ['down', 'DuoUnavailableError'],
    ['unknown', 'DuoDeniedError'],
  ] as const) {
    const pushed = await loginStep(client);
    assert.equal(dataOf(await step('push', { step: pushed })).state, 'waiting');
    const status = () => step('status', { step: pushed });
    const answer =
      fault === 'down'
        ? await whileDuoDown('/auth/v2/auth_status', status)
        : await withUnknownResult('/auth/v2/auth_status', status);
    assert.equal(errorName(answer), name);
  }

  const cancelled = await loginStep(client);
  assert.equal(errorName(await step('cancel', { step: cancelled, extra: true })), 'ValidationError');
  assert.equal(errorName(await step('cancel', { step: UNKNOWN_STEP })), 'DuoStepError');
  assert.equal(dataOf(await step('cancel', { step: cancelled })).state, 'cancelled');
});

it('every answer the document lists for /duo-security/* was produced and matched', () => {
  const session = 'Strapi 5 refresh mode: client-api-contract-signin.test.ts';
  contract.assertCovered(
    `/duo-security/* on ${h.app.host}`,
    // The Universal Prompt's callback and /step/complete: client-api-contract-universal.test.ts.
    // Backup codes: client-api-contract-backup-codes.test.ts. Postponing enrolment: client-api-contract-grace.test.ts.
    // One's own devices: client-api-contract-devices.test.ts.
    (answer) =>
      answer.includes(' /duo-security/') &&
      !/ \/duo-security\/(universal\/|step\/complete |step\/backup-code |step\/postpone |me\/backup-codes |me\/devices )/.test(
        answer,
      ) &&
      !answer.endsWith(' BackupCodesAnswer'),
    new Map([
      ['POST /duo-security/step/passcode 200 SignInSession', session],
      ['POST /duo-security/step/status 200 SignInSession', session],
    ]),
  );
});
