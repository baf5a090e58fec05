import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  errorOf,
  expectBackupCodes,
  expectDuoRequired,
  expectToken,
  jwtPayload,
  stepFrom,
} from '../helpers/client-answers';
import {
  createClient,
  login,
  startClientsHarness,
  step,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import {
  adminLogin,
  adminTokenDuo,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  staffStep,
  type Admin,
} from '../helpers/staff';

/*
 * Backup codes (issue 16, item 1), on the running host, through the HTTP API: the guided setup hands out a set
 * once; a backup code finishes a sign-in in place of Duo once and not twice; guesses count as passcode tries; a new
 * set needs a fresh Duo verification and ends the old one; a reset forgets them; only slow hashes are stored.
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
});
after(async () => {
  await h?.close();
});

const backupStep = (body: unknown) => step(h.app, 'backup-code', body);

/** A client who turned Duo on through the account API (one passcode), with the codes the setup showed. */
async function clientWithCodes(): Promise<{ client: Client; codes: string[] }> {
  const client = await createClient(h);
  const plain = expectToken(await login(h.app, client.email, client.password));
  const started = stepFrom(
    dataOf(await h.app.api('/api/duo-security/me/enable', { method: 'POST', token: plain.jwt }), 'enable'),
    'enable',
  );
  const passcode = h.sandbox.currentPasscode(client.duoUsername);
  const done = dataOf(await step(h.app, 'passcode', { step: started.stepId, passcode }), 'enable step');
  assert.equal(done.enabled, true);
  return { client, codes: expectBackupCodes(done.backupCodes, 'the guided setup') };
}

describe('Backup codes, clients', () => {
  it('the guided setup shows a set of 10 once; only scrypt hashes are stored; /me counts them', async () => {
    const { client, codes } = await clientWithCodes();
    const rows = (await h.strapi.db!.query('plugin::duo-security.backup-code').findMany({
      where: { userId: client.id, audience: 'clients' },
    })) as Array<{ hash: string }>;
    assert.equal(rows.length, 10);
    for (const row of rows) {
      assert.match(row.hash, /^scrypt\$/);
      for (const code of codes) assert.ok(!row.hash.includes(code) && !row.hash.includes(code.replace('-', '')));
    }
    const token = expectToken(await loginWithCode(client, codes[0]!)).jwt;
    const me = dataOf(await h.app.api('/api/duo-security/me', { token }), 'me');
    assert.equal(me.backupCodesRemaining, 9);
  });

  it('a lost phone: a backup code signs in once (claim backup-code, audited, 9 left) and not twice', async () => {
    const { client, codes } = await clientWithCodes();
    const first = await loginWithCode(client, codes[3]!.toLowerCase().replace('-', ' '));
    const token = expectToken(first, 'with a backup code');
    assert.equal(jwtPayload(token.jwt).duo, 'backup-code');
    assert.equal(first.headers.get('x-duo-backup-codes-remaining'), '9');
    const used = await auditEntries(h.strapi, { userId: client.id, event: 'login.backup-code' });
    assert.deepEqual(
      used.map((e) => e.detail),
      [{ remaining: 9 }],
    );
    const again = await loginWithCode(client, codes[3]!);
    assertNoToken(again);
    assert.equal(errorOf(again, 400).name, 'DuoPasscodeError');
  });

  it("guessed codes, another client's and an administrator's codes yield nothing and use up the step's tries", async () => {
    const { client } = await clientWithCodes();
    const other = await clientWithCodes();
    const admin = await staffWithCodes();
    const required = expectDuoRequired(await login(h.app, client.email, client.password));
    const tries = [other.codes[0]!, admin.codes[0]!, 'ABCDE-FGHJK', '00000-00000', 'not a code'];
    for (const [i, code] of tries.entries()) {
      const answer = await backupStep({ step: required.stepId, code });
      assertNoToken(answer);
      assert.deepEqual(errorOf(answer, 400).details, { attemptsLeft: 4 - i }, `try ${i + 1}`);
    }
    // The other client's and the administrator's codes still work for them.
    expectToken(await loginWithCode(other.client, other.codes[0]!));
    const staffRequired = expectAdminDuoRequired(await adminLogin(h.app, admin.admin.email, admin.admin.password));
    expectAdminSession(
      h.app,
      await staffStep(h.app, 'backup-code', { step: staffRequired.stepId, code: admin.codes[0]! }),
    );
  });

  it('Duo out of reach (fail mode closed): an account with codes gets a step that takes one; without codes, a refusal', async () => {
    const { client, codes } = await clientWithCodes();
    const without = await createClient(h);
    // Required for everyone, so the client without codes must use Duo too (set while Duo answers: a save checks it).
    await h.app.api('/duo-security/settings', {
      token: h.adminToken,
      method: 'PUT',
      body: { clients: { enforcement: 'required' } },
    });
    h.sandbox.setFault({ kind: 'status', status: 503 });
    try {
      // Still a refusal for front ends that know nothing of backup codes; its details carry a step for one.
      const refusal = await login(h.app, client.email, client.password);
      assertNoToken(refusal);
      const unavailable = errorOf(refusal, 400);
      assert.equal(unavailable.name, 'DuoUnavailableError');
      const stepId = String((unavailable.details as { step: { id: string } }).step.id);
      const viaDuo = await step(h.app, 'passcode', { step: stepId, passcode: '123456' });
      assert.deepEqual(errorOf(viaDuo, 400).details, { state: 'wrong-purpose' });
      const token = expectToken(await backupStep({ step: stepId, code: codes[2]! }));
      assert.equal(jwtPayload(token.jwt).duo, 'backup-code');
      const audited = await auditEntries(h.strapi, { userId: client.id, event: 'login.fail-closed' });
      assert.deepEqual(
        audited.map((e) => [e.outcome, e.detail?.offered]),
        [['refused', 'backup-code']],
      );
      // No codes: refused as before, with no step.
      const refused = await login(h.app, without.email, without.password);
      assertNoToken(refused);
      assert.equal(errorOf(refused, 400).name, 'DuoUnavailableError');
      assert.equal((errorOf(refused, 400).details as { step?: unknown }).step, undefined);
    } finally {
      h.sandbox.clearFaults();
      await h.app.api('/duo-security/settings', {
        token: h.adminToken,
        method: 'PUT',
        body: { clients: { enforcement: 'optional' } },
      });
    }
  });

  it('a new set needs a fresh Duo verification and ends the old one', async () => {
    const { client, codes } = await clientWithCodes();
    const token = expectToken(await loginWithCode(client, codes[0]!)).jwt;
    const started = stepFrom(
      dataOf(await h.app.api('/api/duo-security/me/backup-codes', { method: 'POST', token }), 'new codes'),
      'new codes',
    );
    // A backup code cannot stand in for the verification that makes new ones.
    const refused = await backupStep({ step: started.stepId, code: codes[1]! });
    assert.deepEqual(errorOf(refused, 400).details, { state: 'wrong-purpose' });
    const passcode = h.sandbox.currentPasscode(client.duoUsername);
    const fresh = dataOf(await step(h.app, 'passcode', { step: started.stepId, passcode }), 'new codes step');
    const next = expectBackupCodes(fresh.backupCodes, 'the new set');
    assertNoToken(await loginWithCode(client, codes[1]!));
    expectToken(await loginWithCode(client, next[0]!));
  });

  it("an administrator's reset forgets the codes", async () => {
    const { client } = await clientWithCodes();
    const reset = await h.app.api('/duo-security/users/reset', {
      token: h.adminToken,
      body: { audience: 'clients', userId: client.id },
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const rows = await h.strapi.db!.query('plugin::duo-security.backup-code').count({ where: { userId: client.id } });
    assert.equal(rows, 0);
  });
});

describe('Backup codes, staff', () => {
  it('the setup shows them; a backup code opens an admin session marked backup-code, once', async () => {
    const { admin, codes } = await staffWithCodes();
    const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    const session = expectAdminSession(
      h.app,
      await staffStep(h.app, 'backup-code', { step: required.stepId, code: codes[5]! }),
    );
    assert.equal(await adminTokenDuo(h.app, session.token), 'backup-code');
    const again = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assertNoToken(await staffStep(h.app, 'backup-code', { step: again.stepId, code: codes[5]! }));
  });
});

async function loginWithCode(client: Client, code: string) {
  const required = expectDuoRequired(await login(h.app, client.email, client.password));
  return backupStep({ step: required.stepId, code });
}

async function staffWithCodes(): Promise<{ admin: Admin; codes: string[] }> {
  const admin = await createAdmin(h);
  const session = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'plain');
  const started = stepFrom(
    dataOf(await h.app.api('/duo-security/me/enable', { method: 'POST', token: session.token }), 'staff enable'),
    'staff enable',
  );
  const passcode = h.sandbox.currentPasscode(admin.email);
  const done = dataOf(await staffStep(h.app, 'passcode', { step: started.stepId, passcode }), 'staff enable step');
  return { admin, codes: expectBackupCodes(done.backupCodes, 'the staff setup') };
}
