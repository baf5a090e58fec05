import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { dataOf, errorOf, expectToken } from '../helpers/client-answers';
import {
  createClient,
  login,
  startClientsHarness,
  turnOnDuo,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import type { ApiResponse } from '../helpers/strapi';
import { adminLogin, createAdmin, expectAdminSession, turnOnStaffDuo } from '../helpers/staff';

/*
 * One's own devices (issue 16, item 4), on the running host: GET …/me/devices lists what Duo's preauth says of the
 * signed-in account and of nobody else, says plainly what only Duo can do (add, rename, remove a device), refuses
 * strangers and the other audience's sessions, and answers an outage with DuoUnavailableError, never a 500.
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
});
after(async () => {
  await h?.close();
});

const PHONE = '+15558675309';
const TWO_DEVICES = {
  devices: [
    { name: 'Work phone', number: PHONE, capabilities: ['push', 'sms', 'mobile_otp'] as const },
    { type: 'token' as const, passcode: '424242' },
  ],
};

interface Device {
  id: string;
  name: string;
  type: string;
  number: string;
  capabilities: string[];
}

const clientDevices = (token?: string) => h.app.api('/api/duo-security/me/devices', token ? { token } : {});
const staffDevices = (token?: string) => h.app.api('/duo-security/me/devices', token ? { token } : {});
const devicesOf = (response: ApiResponse): Device[] => dataOf(response, 'devices').devices as Device[];
const idsIn = (username: string): string[] => h.sandbox.user(username)!.devices.map((d) => d.device);

/** A client with Duo on (self-service, one passcode), and the Duo-verified session that made it so. */
async function clientWithDuo(duo: object = TWO_DEVICES): Promise<{ client: Client; jwt: string }> {
  const client = await createClient(h, { duo });
  const plain = expectToken(await login(h.app, client.email, client.password)).jwt;
  return { client, jwt: await turnOnDuo(h, client.duoUsername, plain) };
}

describe('Own devices, clients', () => {
  it("lists the devices Duo's preauth gives for me: ids, names, masked numbers, capabilities, and nothing secret", async () => {
    const { client, jwt } = await clientWithDuo();
    const answer = await clientDevices(jwt);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const data = dataOf(answer, 'devices');
    assert.equal(data.duo, 'auth');
    assert.equal(data.message, null);
    const [phone, token] = devicesOf(answer);
    assert.deepEqual(
      devicesOf(answer).map((d) => d.id),
      idsIn(client.duoUsername),
    );
    assert.deepEqual(
      { name: phone!.name, type: phone!.type, number: phone!.number, capabilities: phone!.capabilities },
      { name: 'Work phone', type: 'phone', number: 'XXX-XXX-5309', capabilities: ['push', 'sms', 'mobile_otp'] },
    );
    assert.deepEqual(
      { type: token!.type, number: token!.number, capabilities: token!.capabilities },
      {
        type: 'token',
        number: '',
        capabilities: [],
      },
    );
    const manage = data.manage as Record<string, Record<string, unknown>>;
    assert.equal(manage.addDevice!.through, 'duo');
    assert.match(String(manage.addDevice!.message), /cannot add a device to an existing Duo account/);
    assert.match(String(manage.addDevice!.message), /device management portal/);
    assert.match(String(manage.removeDevice!.message), /cannot rename or remove a device/);
    assert.deepEqual(manage.turnOff, { allowed: true });
    const text = JSON.stringify(answer.body);
    const secrets = [PHONE, '5558675309', h.sandbox.skey, h.sandbox.currentPasscode(client.duoUsername), '424242'];
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret in the answer');
  });

  it("never shows another account's devices: each client sees only its own", async () => {
    const one = await clientWithDuo();
    const two = await clientWithDuo({ devices: [{ name: 'Other phone' }] });
    const mine = devicesOf(await clientDevices(one.jwt)).map((d) => d.id);
    const theirs = devicesOf(await clientDevices(two.jwt)).map((d) => d.id);
    assert.deepEqual(mine, idsIn(one.client.duoUsername));
    assert.deepEqual(theirs, idsIn(two.client.duoUsername));
    assert.ok(!mine.some((id) => theirs.includes(id)));
    // Query strings and bodies name nobody: the route reads only the session's own account.
    const asked = await h.app.api(`/api/duo-security/me/devices?userId=${two.client.id}`, { token: one.jwt });
    assert.ok(!devicesOf(asked).some((d) => theirs.includes(d.id)));
  });

  it('refuses strangers, and accounts without Duo on', async () => {
    assert.equal(errorOf(await clientDevices(), 401).name, 'UnauthorizedError');
    assert.equal((await clientDevices('not.a.token')).status, 401);
    const off = await createClient(h, { duo: TWO_DEVICES });
    const plain = expectToken(await login(h.app, off.email, off.password)).jwt;
    const refused = errorOf(await clientDevices(plain), 400);
    assert.equal(refused.name, 'ApplicationError');
    assert.match(refused.message, /not on for this account/);
  });

  it('a Duo bypass user has no devices to list, said plainly', async () => {
    const { client, jwt } = await clientWithDuo();
    h.sandbox.updateUser(client.duoUsername, { status: 'bypass' });
    try {
      const data = dataOf(await clientDevices(jwt), 'bypass');
      assert.equal(data.duo, 'allow');
      assert.deepEqual(data.devices, []);
      assert.match(String(data.message), /without a second factor/);
    } finally {
      h.sandbox.updateUser(client.duoUsername, { status: 'active' });
    }
  });

  it('Duo out of reach: the DuoUnavailableError envelope, never a 500', async () => {
    const { jwt } = await clientWithDuo();
    h.sandbox.setFault({ kind: 'status', status: 503 });
    try {
      const answer = await clientDevices(jwt);
      assert.equal(errorOf(answer, 400).name, 'DuoUnavailableError');
    } finally {
      h.sandbox.clearFaults();
    }
  });
});

describe('Own devices, staff', () => {
  it("lists an administrator's own devices, and not another administrator's", async () => {
    const admin = await createAdmin(h, { duo: TWO_DEVICES });
    const other = await createAdmin(h, { duo: { devices: [{ name: 'Other admin phone' }] } });
    const plain = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'plain').token;
    const token = await turnOnStaffDuo(h, admin, plain);
    const answer = await staffDevices(token);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const ids = devicesOf(answer).map((d) => d.id);
    assert.deepEqual(ids, idsIn(admin.email));
    assert.ok(!ids.some((id) => idsIn(other.email).includes(id)));
    assert.equal(devicesOf(answer)[0]!.number, 'XXX-XXX-5309');
    assert.ok(!JSON.stringify(answer.body).includes(PHONE));
  });

  it('refuses strangers, and the other audience: a client session is no admin session, and the reverse', async () => {
    assert.equal((await staffDevices()).status, 401);
    const { jwt } = await clientWithDuo();
    assert.equal((await staffDevices(jwt)).status, 401);
    const admin = await createAdmin(h, { duo: TWO_DEVICES });
    const plain = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'plain').token;
    const token = await turnOnStaffDuo(h, admin, plain);
    const asClient = await clientDevices(token);
    assert.equal(asClient.status, 401, JSON.stringify(asClient.body));
  });
});
