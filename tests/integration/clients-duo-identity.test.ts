import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DUO_CLAIM } from '../../server/src/engine/claim';
import { errorOf, expectDuoRequired, expectToken } from '../helpers/client-answers';
import {
  clientDuoUsername,
  createClient,
  login,
  newCredentials,
  setEmailConfirmation,
  startClientsHarness,
  step,
  updateClientSettings,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { DEFAULT_ADMIN } from '../helpers/users';

/**
 * Threat (issue 12, item 6): Duo users are account-wide. A client who could name any Duo user (by typing an
 * administrator's e-mail address at registration) saw that person's phones in the Duo step and could push to them.
 * A client maps only to a Duo user that is provably theirs, never to a staff member's.
 */

let h: ClientsHarness;
const ADMIN_PHONE = { devices: [{ name: "The administrator's phone", number: '+15555550123' }] };

before(async () => {
  h = await startClientsHarness({ clients: { enforcement: 'required' } });
  // The administrator is a Duo user with a phone, as on any site that protects its staff.
  h.sandbox.addUser({ username: DEFAULT_ADMIN.email, ...ADMIN_PHONE });
});
after(async () => {
  await h?.close();
});

async function userId(email: string): Promise<number> {
  const row = (await h.strapi.db!.query('plugin::users-permissions.user').findOne({ where: { email } })) as {
    id: number;
  } | null;
  assert.ok(row !== null, `no user ${email}`);
  return row.id;
}

function pushesTo(username: string): number {
  return h.sandbox.pendingPushes().filter((p) => p.username === username).length;
}

describe('by default a client maps to Duo by id, under a prefix', () => {
  it("registering with an administrator's e-mail address reaches none of the administrator's phones", async () => {
    const credentials = { ...newCredentials('impostor'), email: DEFAULT_ADMIN.email.toUpperCase() };
    const required = expectDuoRequired(await h.app.api('/api/auth/local/register', { body: credentials }));
    // Duo does not know strapi-client-<id>: the step offers enrolment, not the administrator's devices.
    assert.equal(required.duo.result, 'enroll');
    const adminDevice = h.sandbox.user(DEFAULT_ADMIN.email)?.devices[0]?.device ?? '';
    assert.notEqual(adminDevice, '');
    const shown = JSON.stringify(required);
    for (const secret of [adminDevice, "administrator's phone", '0123']) assert.ok(!shown.includes(secret), secret);
    const push = await step(h.app, 'push', { step: required.stepId, device: adminDevice });
    assert.equal(errorOf(push, 400).name, 'DuoFactorError');
    assert.equal(pushesTo(DEFAULT_ADMIN.email), 0, "no push reached the administrator's phone");

    const id = await userId(DEFAULT_ADMIN.email.toLowerCase());
    const enrolling = await step(h.app, 'enroll', { step: required.stepId });
    assert.equal(enrolling.status, 200);
    assert.ok(h.sandbox.user(clientDuoUsername(id)) !== undefined, 'Duo enrolled strapi-client-<id>');
    assert.deepEqual(
      h.sandbox.user(DEFAULT_ADMIN.email)?.devices.map((d) => d.device),
      [adminDevice],
      "the administrator's Duo user is untouched",
    );
  });

  it('a client cannot be mapped by username, which a client chooses at registration (settings API)', async () => {
    const response = await h.app.api('/duo-security/settings', {
      token: h.adminToken,
      method: 'PUT',
      body: { clients: { usernameSource: 'username' } },
    });
    assert.equal(errorOf(response, 400).name, 'ValidationError');
  });
});

describe("clients mapped by e-mail: only a confirmed address, never a staff member's or another account's", () => {
  before(async () => {
    await updateClientSettings(h, { usernameSource: 'email' });
  });
  after(async () => {
    await setEmailConfirmation(h.strapi, false);
    await updateClientSettings(h, { usernameSource: 'id' });
  });

  async function refused(email: string, password: string, refusal: string): Promise<void> {
    const before = (await auditEntries(h.strapi, { event: 'step.denied' })).length;
    const response = await login(h.app, email, password);
    const error = errorOf(response, 400);
    assert.equal(error.name, 'DuoDeniedError', JSON.stringify(response.body));
    assert.deepEqual(error.details, { reason: 'identity' });
    // The message never says whose address it is.
    assert.doesNotMatch(error.message, /@|staff|administrator's e-mail/i);
    assert.doesNotMatch(JSON.stringify(response.body), new RegExp(DUO_CLAIM + '|jwt'));
    const entries = await auditEntries(h.strapi, { event: 'step.denied' });
    assert.equal(entries.length, before + 1);
    assert.deepEqual(entries.at(-1)?.detail, { refusal });
  }

  it('refuses while users-permissions does not confirm e-mail addresses (anyone can type any address)', async () => {
    await setEmailConfirmation(h.strapi, false);
    const client = await createClient(h, { prefix: 'byemail' });
    h.sandbox.addUser({ username: client.email, ...ADMIN_PHONE });
    await refused(client.email, client.password, 'email-confirmation-off');
    assert.equal(pushesTo(client.email), 0);
  });

  it("refuses a confirmed client whose address is an administrator's (case-insensitive)", async () => {
    await setEmailConfirmation(h.strapi, true);
    const credentials = newCredentials('staffmail');
    await h.strapi.db!.query('admin::user').create({
      data: { firstname: 'Staff', email: credentials.email.toUpperCase(), isActive: true },
    });
    const client = await createClient(h, { credentials, duo: false });
    await refused(client.email, client.password, 'staff-email');
  });

  it('refuses an address that another account is enrolled under (case-insensitive)', async () => {
    await setEmailConfirmation(h.strapi, true);
    const client = await createClient(h, { prefix: 'taken', duo: false });
    const other = await createClient(h, { prefix: 'owner', duo: false });
    await h.strapi.db!.query('plugin::duo-security.enrollment').create({
      data: { audience: 'clients', userId: other.id, status: 'active', duoUsername: client.email.toUpperCase() },
    });
    await refused(client.email, client.password, 'enrolled-elsewhere');
  });

  it('a confirmed client whose address is theirs alone is that Duo user', async () => {
    await setEmailConfirmation(h.strapi, true);
    const client = await createClient(h, { prefix: 'confirmed', duo: false });
    h.sandbox.addUser({ username: client.email });
    const required = expectDuoRequired(await login(h.app, client.email, client.password));
    assert.equal(required.duo.result, 'auth');
    const passcode = h.sandbox.currentPasscode(client.email);
    const answer = expectToken(await step(h.app, 'passcode', { step: required.stepId, passcode }));
    assert.equal(answer.user.email, client.email);
  });
});
