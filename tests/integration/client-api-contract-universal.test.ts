import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';

import { hashStepId } from '../../server/src/engine/step-id';
import { isRecord } from '../helpers/client-answers';
import {
  clientDuoUsername,
  createClient,
  GQL,
  newCredentials,
  startClientsHarness,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { expireStep } from '../helpers/plugin-rows';
import { contractCalls, type Checked, type ContractCalls } from '../helpers/contract-calls';
import { Contract, HTTP_METHODS, isObject, responseAt, type JsonObject } from '../helpers/openapi';
import { startOfflineProvider, type OfflineProvider } from '../helpers/social-sign-in';
import {
  APP_RETURN_URL,
  followCallback,
  RETURN_URL,
  throughPrompt,
  useUniversalPrompt,
  type CallbackAnswer,
} from '../helpers/universal-flow';

/**
 * docs/openapi/client-api.json against a real Strapi (the host STRAPI_HOST names) switched to Duo's Universal
 * Prompt: every path that documents `X-Duo-Return-To` answers the Duo-required variant `DuoOptionsUniversal` and
 * sends the browser back where the header said; the callback's 303 (headers and fragment) and /step/complete's
 * answers are validated against the document, and the run fails if one the document lists was never produced.
 */

const contract = new Contract();
const CALLBACK = '/duo-security/universal/callback';
const COMPLETE = '/duo-security/step/complete';
let h: ClientsHarness;
let provider: OfflineProvider;
let c: ContractCalls;

before(async () => {
  h = await startClientsHarness();
  provider = await startOfflineProvider(h.strapi, 'offline');
  c = contractCalls(h, contract, provider);
  await useUniversalPrompt(h.strapi, h.sandbox);
});
after(async () => {
  await provider?.close();
  await h?.close();
});
afterEach(() => {
  h.sandbox.clearFaults();
  h.sandbox.setOAuthSwitches({ denyRedirect: false });
});

/** `METHOD path` of each operation whose Duo-required answer was universal and honoured `X-Duo-Return-To`. */
const honoured = new Set<string>();
/** The fragment kinds the callback produced: a `UniversalCallbackFragment` branch, and the `duo_error` codes. */
const fragments = new Set<string>();
const ASK_APP = { 'x-duo-return-to': APP_RETURN_URL };

interface Started {
  readonly stepId: string;
  readonly authorizeUrl: string;
}

/** The Duo step of a REST Duo-required answer, a Security Settings step, or a GraphQL refusal: universal. */
function universalStep(operation: string, checked: Checked): Started {
  const body = checked.response.body;
  const gql = isRecord(body) && Array.isArray(body.errors) ? (body.errors[0] as JsonObject) : undefined;
  const holder = gql ? (gql.extensions as JsonObject).error : isRecord(body) ? (body.error ?? body.data) : undefined;
  const details = isObject(holder) && 'details' in holder ? holder.details : holder;
  assert.ok(isObject(details) && isObject(details.step), `${operation}: ${JSON.stringify(body)}`);
  contract.checkSchema('DuoOptionsUniversal', details.duo, operation);
  return { stepId: String(details.step.id), authorizeUrl: String((details.duo as JsonObject).authorizeUrl) };
}

/** The browser's way back through the plugin's callback, its 303 checked against the document. */
async function callback(url: URL | string): Promise<CallbackAnswer> {
  const answer = await followCallback(url);
  const json = answer.headers.get('content-type')?.includes('application/json') === true;
  contract.check('get', CALLBACK, { status: answer.status, body: json ? JSON.parse(answer.body) : answer.body });
  if (answer.status !== 303) return answer;
  const { response } = responseAt(contract.document, CALLBACK, 'get', '303');
  for (const [name, header] of Object.entries(isObject(response?.headers) ? response.headers : {})) {
    const value = answer.headers.get(name);
    if (isObject(header) && header.required === true) assert.ok(value !== null, `the 303 has no ${name}`);
    const schema = isObject(header) ? header.schema : undefined;
    if (isObject(schema) && 'const' in schema) assert.equal(value, schema.const, name);
  }
  const fragment = Object.fromEntries(answer.fragment);
  for (const kind of contract.checkSchema('UniversalCallbackFragment', fragment, 'the fragment')) fragments.add(kind);
  if (typeof fragment.duo_error === 'string') fragments.add(`duo_error=${fragment.duo_error}`);
  return answer;
}

/**
 * Duo-required (universal) → Duo's prompt, approved → callback (to the app's return URL the request asked for) →
 * /step/complete: the final answer's kind.
 */
async function finish(operation: string, checked: Checked, duoUsername: string): Promise<Checked> {
  const started = universalStep(operation, checked);
  const answer = await callback(await throughPrompt(h.sandbox, started.authorizeUrl, duoUsername));
  assert.equal(answer.target, APP_RETURN_URL, `${operation}: X-Duo-Return-To`);
  honoured.add(operation);
  const completion = answer.fragment.get('duo_completion') ?? '';
  return c.call('post', COMPLETE, { body: { step: started.stepId, completion } });
}

/** A client with Duo turned on through Security Settings under the Universal Prompt; the new session. */
async function duoClient(): Promise<Client & { jwt: string }> {
  const client = await createClient(h);
  const plain = await c.local(client);
  assert.equal(plain.kind, 'SignInToken');
  const { jwt } = plain.response.body as { jwt: string };
  const enable = await c.call('post', '/duo-security/me/enable', { token: jwt, headers: ASK_APP });
  assert.equal(enable.kind, 'AccountStepAnswer');
  const enabled = await finish('POST /duo-security/me/enable', enable, client.duoUsername);
  assert.equal(enabled.kind, 'EnableAnswer');
  return { ...client, jwt: String((enabled.response.body as { data: { jwt: string } }).data.jwt) };
}

it('Security Settings, /auth/local and GraphQL login: Duo required, the prompt, the final answers', async () => {
  const client = await duoClient();
  const local = await c.local(client, ASK_APP);
  assert.equal(local.kind, 'DuoRequiredError');
  assert.equal((await finish('POST /auth/local', local, client.duoUsername)).kind, 'SignInToken');

  const input = { identifier: client.email, password: client.password };
  const request = { body: { query: GQL.login, variables: { input } }, headers: ASK_APP };
  const gql = await c.call('post', '/graphql', request, '/graphql');
  assert.equal(gql.kind, 'GraphqlDuoRefusal');
  assert.equal((await finish('POST /graphql', gql, client.duoUsername)).kind, 'SignInToken');

  const disable = await c.call('post', '/duo-security/me/disable', { token: client.jwt, headers: ASK_APP });
  assert.equal(disable.kind, 'AccountStepAnswer');
  assert.equal((await finish('POST /duo-security/me/disable', disable, client.duoUsername)).kind, 'DisableAnswer');
});

it('register, reset-password and the provider callback: Duo required, the prompt, the final answers', async () => {
  const client = await duoClient();
  await c.setUser(client.id, { resetPasswordToken: 'code-universal' });
  const password = 'Universal-Pw-1';
  const reset = await c.call('post', '/auth/reset-password', {
    body: { code: 'code-universal', password, passwordConfirmation: password },
    headers: ASK_APP,
  });
  assert.equal(reset.kind, 'DuoRequiredError');
  assert.equal((await finish('POST /auth/reset-password', reset, client.duoUsername)).kind, 'SignInToken');

  provider.profile('social-universal', newCredentials('usoc'));
  const first = await c.social('social-universal');
  assert.equal(first.kind, 'SignInToken');
  const { jwt, user } = first.response.body as { jwt: string; user: { id: number } };
  const social = { id: user.id, duoUsername: clientDuoUsername(user.id) };
  h.sandbox.addUser({ username: social.duoUsername });
  const enable = await c.call('post', '/duo-security/me/enable', { token: jwt, headers: ASK_APP });
  assert.equal((await finish('POST /duo-security/me/enable', enable, social.duoUsername)).kind, 'EnableAnswer');
  const again = await c.social('social-universal', ASK_APP);
  assert.equal(again.kind, 'DuoRequiredError');
  assert.equal((await finish('GET /auth/{provider}/callback', again, social.duoUsername)).kind, 'SignInToken');

  await updateClientSettings(h, { enforcement: 'required' });
  try {
    const duoUsername = clientDuoUsername(await c.nextUserId());
    h.sandbox.addUser({ username: duoUsername });
    const register = await c.call('post', '/auth/local/register', { body: newCredentials('ureg'), headers: ASK_APP });
    assert.equal(register.kind, 'DuoRequiredError');
    assert.equal((await finish('POST /auth/local/register', register, duoUsername)).kind, 'SignInToken');
  } finally {
    await updateClientSettings(h, { enforcement: 'optional' });
  }
});

it("the callback's refusals, each in the fragment; /step/complete's refusals", async () => {
  const client = await duoClient();
  const start = async () => universalStep('POST /auth/local', await c.local(client));
  const refusal = async (url: URL | string) => {
    const answer = await callback(url);
    assert.equal(answer.target, RETURN_URL);
    return answer.fragment.get('duo_error');
  };

  const denied = await start();
  h.sandbox.setOAuthSwitches({ denyRedirect: true });
  assert.equal(
    await refusal(await throughPrompt(h.sandbox, denied.authorizeUrl, client.duoUsername, 'deny')),
    'denied',
  );
  const tampered = await start();
  const tamperedBack = await throughPrompt(h.sandbox, tampered.authorizeUrl, client.duoUsername);
  h.sandbox.setFault({ kind: 'token', tamper: 'signature', times: 1 });
  assert.equal(await refusal(tamperedBack), 'invalid');
  const down = await start();
  const downBack = await throughPrompt(h.sandbox, down.authorizeUrl, client.duoUsername);
  h.sandbox.setFault({ kind: 'status', status: 503, path: '/oauth/v1/token' });
  assert.equal(await refusal(downBack), 'unavailable');
  h.sandbox.clearFaults();
  const late = await start();
  const lateBack = await throughPrompt(h.sandbox, late.authorizeUrl, client.duoUsername);
  await expireStep(h.strapi, hashStepId(late.stepId));
  assert.equal(await refusal(lateBack), 'expired');
  const cancelled = await start();
  const cancelledBack = await throughPrompt(h.sandbox, cancelled.authorizeUrl, client.duoUsername);
  await c.call('post', '/duo-security/step/cancel', { body: { step: cancelled.stepId } });
  assert.equal(await refusal(cancelledBack), 'cancelled');
  const forged = new URL(cancelledBack);
  forged.searchParams.set('state', 'x'.repeat(43));
  assert.equal(await refusal(forged), 'unknown');

  const errorName = (checked: Checked) => (checked.response.body as { error: { name: string } }).error.name;
  const complete = (body: unknown) => c.call('post', COMPLETE, { body });
  assert.equal(errorName(await complete({ step: denied.stepId })), 'ValidationError');
  assert.equal(errorName(await complete({ step: denied.stepId, completion: 'A'.repeat(43) })), 'DuoStepError');
  const open = await start();
  const back = await callback(await throughPrompt(h.sandbox, open.authorizeUrl, client.duoUsername));
  const body = { step: open.stepId, completion: back.fragment.get('duo_completion') };
  // Approved at Duo: /step/status does not finish it, only the completion code does, once.
  const status = await c.call('post', '/duo-security/step/status', { body: { step: open.stepId } });
  assert.equal(
    (status.response.body as { error: { details: { state: string } } }).error.details.state,
    'wrong-purpose',
  );
  assert.equal((await complete(body)).kind, 'SignInToken');
  assert.equal(errorName(await complete(body)), 'DuoStepError');

  // Nowhere to send a browser whose state names no step (Duo off for clients, no return URL): Strapi's error
  // envelope instead. The settings refuse an empty list while clients use the Universal Prompt.
  const settings = h.strapi.plugin('duo-security').service('settings') as { update(u: object): Promise<unknown> };
  await settings.update({ clients: { enabled: false }, clientReturnUrls: [] });
  try {
    assert.equal((await callback(forged)).status, 400);
  } finally {
    await settings.update({ clients: { enabled: true }, clientReturnUrls: [RETURN_URL, APP_RETURN_URL] });
  }
});

it("a required role's grace: `duo.grace` beside authorizeUrl, /step/postpone, and the step's callback consumed", async () => {
  const role = (await h.strapi.db!.query('plugin::users-permissions.role').create({
    data: { name: 'Universal grace', description: 'grace', type: `duo-universal-grace-${process.pid}` },
  })) as { id: number };
  await updateClientSettings(h, { roles: [{ role: role.id, enforcement: 'required', graceLogins: 1 }] });
  try {
    const client = await createClient(h);
    await h.strapi
      .db!.query('plugin::users-permissions.user')
      .update({ where: { id: client.id }, data: { role: role.id } });
    const local = await c.local(client);
    assert.equal(local.kind, 'DuoRequiredError');
    const started = universalStep('POST /auth/local', local);
    const details = (local.response.body as { error: { details: { duo: JsonObject } } }).error.details;
    assert.deepEqual(details.duo.grace, { loginsLeft: 1 });
    const postponed = await c.call('post', '/duo-security/step/postpone', { body: { step: started.stepId } });
    assert.equal(postponed.kind, 'SignInToken');
    const back = await callback(await throughPrompt(h.sandbox, started.authorizeUrl, client.duoUsername));
    assert.equal(back.fragment.get('duo_error'), 'consumed');
  } finally {
    await updateClientSettings(h, { roles: [] });
  }
});

it('every path that documents X-Duo-Return-To gave the universal Duo step and honoured the header', () => {
  const documented: string[] = [];
  for (const [path, item] of Object.entries(contract.document.paths as JsonObject)) {
    for (const method of HTTP_METHODS) {
      const operation = isObject(item) ? item[method] : undefined;
      const parameters = isObject(operation) && Array.isArray(operation.parameters) ? operation.parameters : [];
      if (parameters.some((p) => isObject(p) && p.$ref === '#/components/parameters/DuoReturnTo')) {
        documented.push(`${method.toUpperCase()} ${path}`);
      }
    }
  }
  assert.ok(documented.length >= 6, documented.join());
  assert.deepEqual([...honoured].sort(), documented.sort());
});

it('every answer the document lists for the callback and /step/complete was produced and matched', () => {
  const session = 'Strapi 5 refresh mode: client-api-contract-sessions.test.ts';
  contract.assertCovered(
    `the Universal Prompt on ${h.app.host}`,
    (answer) => answer.includes(` ${CALLBACK} `) || answer.includes(` ${COMPLETE} `),
    new Map([
      [`POST ${COMPLETE} 200 SignInSession`, session],
      [`POST ${COMPLETE} 200 BackupCodesAnswer`, 'client-api-contract-backup-codes.test.ts'],
    ]),
  );
});

it("every fragment the document lists for the callback's 303 was produced and matched", () => {
  const codes = contract.document.components as JsonObject;
  const errorFragment = (codes.schemas as JsonObject).UniversalErrorFragment as JsonObject;
  const listed = ((errorFragment.properties as JsonObject).duo_error as { enum: string[] }).enum;
  // `consumed` only comes of a race: two callbacks with one state, both past the lookup before either claims it.
  const expected = ['UniversalCompletionFragment', 'UniversalErrorFragment', ...listed.map((e) => `duo_error=${e}`)];
  const missing = expected.filter((kind) => !fragments.has(kind) && kind !== 'duo_error=consumed');
  assert.deepEqual(missing, [], 'documented fragments the callback never produced');
});
