import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { expectDuoRequired, expectToken } from '../helpers/client-answers';
import {
  createClient,
  startClientsHarness,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { Contract } from '../helpers/openapi';
import type { ApiRequest, ApiResponse } from '../helpers/strapi';

/**
 * docs/openapi/client-api.json against a real Strapi for per-role enforcement's grace period: the step's
 * `duo.grace` (days and sign-ins) and /step/postpone with each of its answers, matched against the document.
 */

const contract = new Contract();
let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness();
});
after(async () => {
  await h?.close();
});

async function call(method: 'get' | 'post', path: string, request: ApiRequest = {}): Promise<ApiResponse> {
  const response = await h.app.api(`/api${path}`, { method: method.toUpperCase(), ...request });
  contract.check(method, path, response);
  return response;
}
const errorName = (response: ApiResponse) => (response.body as { error?: { name?: string } }).error?.name;
const signIn = (client: Client) =>
  call('post', '/auth/local', { body: { identifier: client.email, password: client.password } });
const postpone = (body: unknown) => call('post', '/duo-security/step/postpone', { body });

let roles = 0;
async function clientInRole(grace: { graceDays: number } | { graceLogins: number }, knownToDuo: boolean) {
  roles += 1;
  const role = (await h.strapi.db!.query('plugin::users-permissions.role').create({
    data: { name: `Grace ${roles}`, description: 'grace', type: `duo-grace-${roles}-${process.pid}` },
  })) as { id: number };
  await updateClientSettings(h, { roles: [{ role: role.id, enforcement: 'required', ...grace }] });
  const client = await createClient(h, knownToDuo ? {} : { duo: false });
  await h.strapi
    .db!.query('plugin::users-permissions.user')
    .update({ where: { id: client.id }, data: { role: role.id } });
  return client;
}

it('/step/postpone: a sign-in within the grace period (days, enrol), and each refusal', async () => {
  const client = await clientInRole({ graceDays: 3 }, false);
  const held = expectDuoRequired(await signIn(client));
  assert.equal((held.duo as unknown as { grace: { daysLeft: number } }).grace.daysLeft, 3);
  assert.equal(errorName(await postpone({})), 'ValidationError');
  assert.equal(errorName(await postpone({ step: 'A'.repeat(43) })), 'DuoStepError');
  expectToken(await postpone({ step: held.stepId }));
  assert.equal(errorName(await postpone({ step: held.stepId })), 'DuoStepError');
});

it('/step/postpone: sign-ins (Duo knows the user), then the grace is over', async () => {
  const client = await clientInRole({ graceLogins: 1 }, true);
  const held = expectDuoRequired(await signIn(client));
  assert.deepEqual((held.duo as unknown as { grace: unknown }).grace, { loginsLeft: 1 });
  const done = await postpone({ step: held.stepId });
  expectToken(done);
  assert.equal(done.headers.get('x-duo-grace-logins-left'), '0');
  const over = expectDuoRequired(await signIn(client));
  assert.equal(errorName(await postpone({ step: over.stepId })), 'DuoFactorError');
});

it('every postpone answer the document lists was produced and matched', () => {
  contract.assertCovered(
    `grace periods on ${h.app.host}`,
    (answer) => / \/duo-security\/step\/postpone /.test(answer),
    new Map([
      [
        'POST /duo-security/step/postpone 200 SignInSession',
        'Strapi 5 refresh mode: client-api-contract-sessions.test.ts',
      ],
    ]),
  );
});
