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
import {
  completionFrom,
  followCallback,
  RETURN_URL,
  throughPrompt,
  useUniversalPrompt,
} from '../helpers/universal-flow';

/**
 * docs/openapi/client-api.json against a real Strapi for backup codes: /step/backup-code, /me/backup-codes and the
 * new set a Duo step ends in (through /step/passcode, /step/status and, under the Universal Prompt,
 * /step/complete). Every such answer the document lists is produced here and matched.
 */

const contract = new Contract();
let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ sandbox: { pushTimeoutMs: 1500, longPollMs: 3000 } });
});
after(async () => {
  await h?.close();
});

async function call(method: 'get' | 'post', path: string, request: ApiRequest = {}): Promise<ApiResponse> {
  const response = await h.app.api(`/api${path}`, { method: method.toUpperCase(), ...request });
  contract.check(method, path, response);
  return response;
}
const kind = (response: ApiResponse, path: string) => contract.check('post', path, response);
const errorName = (response: ApiResponse) => (response.body as { error?: { name?: string } }).error?.name;
const signIn = (client: Client) =>
  call('post', '/auth/local', { body: { identifier: client.email, password: client.password } });

/** A client with Duo on through Security Settings, its session and the codes the guided setup showed. */
async function withCodes(): Promise<{ client: Client; jwt: string; codes: string[] }> {
  const client = await createClient(h);
  const plain = expectToken(await signIn(client));
  const started = stepFrom(dataOf(await call('post', '/duo-security/me/enable', { token: plain.jwt })), 'enable');
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const enabled = await call('post', '/duo-security/step/passcode', { body: { step: started.stepId, passcode } });
  assert.equal(kind(enabled, '/duo-security/step/passcode'), 'EnableAnswer');
  return { client, jwt: String(dataOf(enabled).jwt), codes: dataOf(enabled).backupCodes as string[] };
}

it('/step/backup-code: a sign-in, and each refusal', async () => {
  const { client, codes } = await withCodes();
  const open = expectDuoRequired(await signIn(client)).stepId;
  const step = (body: unknown) => call('post', '/duo-security/step/backup-code', { body });
  assert.equal(errorName(await step({ step: open })), 'ValidationError');
  assert.equal(errorName(await step({ step: 'A'.repeat(43), code: codes[0] })), 'DuoStepError');
  assert.equal(errorName(await step({ step: open, code: 'ABCDE-FGHJK' })), 'DuoPasscodeError');
  const done = await step({ step: open, code: codes[0] });
  assert.equal(kind(done, '/duo-security/step/backup-code'), 'SignInToken');
  assert.match(done.headers.get('x-duo-backup-codes-remaining') ?? '', /^9$/);
});

it('Duo out of reach at the password (fail mode closed): the refusal carries a step that takes a backup code', async () => {
  const { client, codes } = await withCodes();
  h.sandbox.setFault({ kind: 'status', status: 503 });
  try {
    const held = await signIn(client);
    assert.equal(errorName(held), 'DuoUnavailableError');
    const stepId = (held.body as { error: { details: { step: { id: string } } } }).error.details.step.id;
    const passcode = await call('post', '/duo-security/step/passcode', { body: { step: stepId, passcode: '123456' } });
    assert.equal(errorName(passcode), 'DuoStepError');
    const done = await call('post', '/duo-security/step/backup-code', { body: { step: stepId, code: codes[1] } });
    assert.equal(kind(done, '/duo-security/step/backup-code'), 'SignInToken');
  } finally {
    h.sandbox.clearFaults();
  }
});

it('/me/backup-codes: refusals, a step ending in a new set by passcode and by push, a bypass user at once', async () => {
  assert.equal(errorName(await call('post', '/duo-security/me/backup-codes')), 'UnauthorizedError');
  const off = await createClient(h);
  const offJwt = expectToken(await signIn(off)).jwt;
  assert.equal(errorName(await call('post', '/duo-security/me/backup-codes', { token: offJwt })), 'ApplicationError');

  const { client, jwt } = await withCodes();
  const extra = await call('post', '/duo-security/me/backup-codes', { token: jwt, body: { extra: 1 } });
  assert.equal(errorName(extra), 'ValidationError');
  const byPasscode = stepFrom(dataOf(await call('post', '/duo-security/me/backup-codes', { token: jwt })), 'new set');
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const fresh = await call('post', '/duo-security/step/passcode', { body: { step: byPasscode.stepId, passcode } });
  assert.equal(kind(fresh, '/duo-security/step/passcode'), 'BackupCodesAnswer');

  const byPush = stepFrom(dataOf(await call('post', '/duo-security/me/backup-codes', { token: jwt })), 'new set');
  await call('post', '/duo-security/step/push', { body: { step: byPush.stepId } });
  const push = await eventually(
    () => h.sandbox.pendingPushes().find((p) => p.username === client.duoUsername),
    3000,
    'the push',
  );
  h.sandbox.approve(push.txid);
  let status = await call('post', '/duo-security/step/status', { body: { step: byPush.stepId } });
  for (let i = 0; i < 3 && (status.body as { data?: { state?: string } }).data?.state === 'waiting'; i += 1) {
    status = await call('post', '/duo-security/step/status', { body: { step: byPush.stepId } });
  }
  assert.equal(kind(status, '/duo-security/step/status'), 'BackupCodesAnswer');

  h.sandbox.updateUser(client.duoUsername, { status: 'disabled' });
  assert.equal(errorName(await call('post', '/duo-security/me/backup-codes', { token: jwt })), 'DuoDeniedError');
  h.sandbox.updateUser(client.duoUsername, { status: 'bypass' });
  const atOnce = await call('post', '/duo-security/me/backup-codes', { token: jwt });
  assert.equal(kind(atOnce, '/duo-security/me/backup-codes'), 'BackupCodesAnswer');
  h.sandbox.updateUser(client.duoUsername, { status: 'active' });
  h.sandbox.setFault({ kind: 'status', status: 503 });
  try {
    assert.equal(errorName(await call('post', '/duo-security/me/backup-codes', { token: jwt })), 'DuoUnavailableError');
  } finally {
    h.sandbox.clearFaults();
  }
});

it("under Duo's Universal Prompt a new set comes through /step/complete", async () => {
  const { client, jwt } = await withCodes();
  await useUniversalPrompt(h.strapi, h.sandbox);
  const started = stepFrom(dataOf(await call('post', '/duo-security/me/backup-codes', { token: jwt })), 'new set');
  const authorizeUrl = String((started.duo as unknown as { authorizeUrl: string }).authorizeUrl);
  const back = await followCallback(await throughPrompt(h.sandbox, authorizeUrl, client.duoUsername));
  const completion = completionFrom(back, RETURN_URL);
  const done = await call('post', '/duo-security/step/complete', { body: { step: started.stepId, completion } });
  assert.equal(kind(done, '/duo-security/step/complete'), 'BackupCodesAnswer');
});

it('every backup-code answer the document lists was produced and matched', () => {
  contract.assertCovered(
    `backup codes on ${h.app.host}`,
    (answer) =>
      / \/duo-security\/(step\/backup-code|me\/backup-codes) /.test(answer) || answer.endsWith(' BackupCodesAnswer'),
    new Map([
      [
        'POST /duo-security/step/backup-code 200 SignInSession',
        'Strapi 5 refresh mode: client-api-contract-sessions.test.ts',
      ],
    ]),
  );
});
