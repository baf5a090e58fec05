import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { expectToken } from '../helpers/client-answers';
import { createClient, startClientsHarness, turnOnDuo, type ClientsHarness } from '../helpers/clients-harness';
import { Contract } from '../helpers/openapi';
import type { ApiRequest, ApiResponse } from '../helpers/strapi';

/**
 * docs/openapi/client-api.json against a real Strapi for GET /me/devices: the list, a bypass user's empty one, and
 * each refusal are produced and matched against the document.
 */

const contract = new Contract();
let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness();
});
after(async () => {
  await h?.close();
});

async function devices(request: ApiRequest = {}): Promise<ApiResponse> {
  const response = await h.app.api('/api/duo-security/me/devices', request);
  contract.check('get', '/duo-security/me/devices', response);
  return response;
}
const errorName = (response: ApiResponse) => (response.body as { error?: { name?: string } }).error?.name;

it('/me/devices: the list, none for a bypass user, and each refusal', async () => {
  assert.equal(errorName(await devices()), 'UnauthorizedError');
  const client = await createClient(h, { duo: { devices: [{ name: 'Work phone' }, { type: 'token' }] } });
  const plain = expectToken(
    await h.app.api('/api/auth/local', { body: { identifier: client.email, password: client.password } }),
  ).jwt;
  assert.equal(errorName(await devices({ token: plain })), 'ApplicationError');
  const jwt = await turnOnDuo(h, client.duoUsername, plain);
  const listed = await devices({ token: jwt });
  assert.equal(contract.check('get', '/duo-security/me/devices', listed), 'OwnDevicesAnswer');
  assert.equal((listed.body as { data: { devices: unknown[] } }).data.devices.length, 2);
  h.sandbox.updateUser(client.duoUsername, { status: 'bypass' });
  assert.equal(contract.check('get', '/duo-security/me/devices', await devices({ token: jwt })), 'OwnDevicesAnswer');
  h.sandbox.updateUser(client.duoUsername, { status: 'active' });
  h.sandbox.setFault({ kind: 'status', status: 503 });
  try {
    assert.equal(errorName(await devices({ token: jwt })), 'DuoUnavailableError');
  } finally {
    h.sandbox.clearFaults();
  }
});

it('every /me/devices answer the document lists was produced and matched', () => {
  contract.assertCovered(
    `own devices on ${h.app.host}`,
    (answer) => / \/duo-security\/me\/devices /.test(answer),
    new Map([
      [
        'GET /duo-security/me/devices 400 DuoDeniedError',
        'an account the identity rules give no Duo username (the same refusal at sign-in: clients-duo-identity.test.ts)',
      ],
    ]),
  );
});
