import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectToken,
  jwtPayload,
  type DuoRequired,
} from '../helpers/client-answers';
import {
  createClient,
  login,
  startClientsHarness,
  step,
  turnOnDuo,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import type { AudienceConfig } from '../helpers/duo-setup';
import {
  adminLogin,
  adminTokenDuo,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  roleId,
  staffStep,
} from '../helpers/staff';

/*
 * Per-role enforcement and a grace period (issue 16, item 3), on the running host, through the HTTP API: a role's
 * override sets the audience default aside (the strictest of an administrator's roles wins); a required role's
 * grace period lets a user without Duo postpone enrolment (days from the first postponement, or a number of
 * sign-ins) and not after; a role change that should require Duo takes effect at the next sign-in.
 */

const DAY_MS = 86_400_000;
const GRACE_UID = 'plugin::duo-security.enrolment-grace';

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
});
after(async () => {
  await h?.close();
});

async function putSettings(body: { staff?: AudienceConfig; clients?: AudienceConfig }): Promise<void> {
  const response = await h.app.api('/duo-security/settings', { token: h.adminToken, method: 'PUT', body });
  assert.equal(response.status, 200, `settings: ${JSON.stringify(response.body)}`);
}

let roleCounter = 0;
/** A new users-permissions role, and a client in it whom Duo does not know (enrolment at login). */
async function clientRole(): Promise<number> {
  roleCounter += 1;
  const name = `Duo role ${roleCounter} ${process.pid}`;
  const role = (await h.strapi.db!.query('plugin::users-permissions.role').create({
    data: { name, description: name, type: `duo-role-${roleCounter}-${process.pid}` },
  })) as { id: number };
  return role.id;
}

async function clientIn(role: number, knownToDuo = false): Promise<Client> {
  const client = await createClient(h, knownToDuo ? {} : { duo: false });
  await moveClient(client, role);
  return client;
}

async function moveClient(client: Client, role: number): Promise<void> {
  await h.strapi.db!.query('plugin::users-permissions.user').update({ where: { id: client.id }, data: { role } });
}

const graceOf = (required: DuoRequired): Record<string, unknown> | undefined =>
  (required.duo as unknown as { grace?: Record<string, unknown> }).grace;

/** Moves the account's first postponement back by `ms`: the days of a grace period pass without waiting for them. */
async function agePostponement(audience: 'staff' | 'clients', userId: number, ms: number): Promise<void> {
  const row = (await h.strapi.db!.query(GRACE_UID).findOne({ where: { audience, userId } })) as {
    id: number;
    firstPostponedAt: string;
  } | null;
  assert.ok(row !== null, 'a postponement was recorded');
  await h.strapi.db!.query(GRACE_UID).update({
    where: { id: row.id },
    data: { firstPostponedAt: new Date(Date.parse(row.firstPostponedAt) - ms).toISOString() },
  });
}

describe('Per-role enforcement, clients', () => {
  it('a role required with 3 days of grace: its members postpone until the third day and not after', async () => {
    const role = await clientRole();
    await putSettings({ clients: { roles: [{ role, enforcement: 'required', graceDays: 3 }] } });
    const client = await clientIn(role);

    const first = expectDuoRequired(await login(h.app, client.email, client.password), 'first sign-in');
    assert.equal(first.duo.result, 'enroll');
    assert.equal(graceOf(first)?.daysLeft, 3);
    const postponed = await step(h.app, 'postpone', { step: first.stepId });
    const token = expectToken(postponed, 'postponed');
    assert.equal(jwtPayload(token.jwt).duo, 'postponed');
    const until = postponed.headers.get('x-duo-grace-until');
    assert.ok(until !== null && Date.parse(until) > Date.now() + 2 * DAY_MS, `grace until ${until}`);
    // The postponed session is a session: the token works on the API.
    assert.equal((await h.app.api('/api/duo-security/me', { token: token.jwt })).status, 200);
    // The same step cannot be used twice.
    assert.equal(errorOf(await step(h.app, 'postpone', { step: first.stepId }), 400).name, 'DuoStepError');

    // The third day (2 days and 23 hours after the first postponement): one day left, still allowed.
    await agePostponement('clients', client.id, 2 * DAY_MS + 23 * 3_600_000);
    const third = expectDuoRequired(await login(h.app, client.email, client.password), 'third day');
    assert.deepEqual(graceOf(third), {
      daysLeft: 1,
      until: new Date(Date.parse(until) - (2 * DAY_MS + 23 * 3_600_000)).toISOString(),
    });
    expectToken(await step(h.app, 'postpone', { step: third.stepId }), 'postponed on the third day');

    // Past the third day: no grace offered, postponing refused, enrolment at login as without a grace period.
    await agePostponement('clients', client.id, 2 * 3_600_000);
    const over = expectDuoRequired(await login(h.app, client.email, client.password), 'after the grace');
    assert.equal(over.duo.result, 'enroll');
    assert.equal(graceOf(over), undefined);
    const refused = await step(h.app, 'postpone', { step: over.stepId });
    assertNoToken(refused);
    assert.equal(errorOf(refused, 400).name, 'DuoFactorError');

    const audited = await auditEntries(h.strapi, { userId: client.id, event: 'login.postponed' });
    assert.deepEqual(
      audited.map((e) => [e.audience, e.outcome, e.detail?.daysLeft]),
      [
        ['clients', 'postponed', 3],
        ['clients', 'postponed', 1],
      ],
    );
  });

  it('a role change that should require Duo takes effect at the next sign-in, without a grace period', async () => {
    const role = await clientRole();
    const client = await clientIn(role);
    // No override: the audience default (optional) lets the client in without Duo.
    const before = expectToken(await login(h.app, client.email, client.password), 'before the change');
    assert.equal((await h.app.api('/api/duo-security/me', { token: before.jwt })).status, 200);

    await putSettings({ clients: { roles: [{ role, enforcement: 'required' }] } });
    const required = expectDuoRequired(await login(h.app, client.email, client.password), 'after the change');
    assert.equal(required.duo.result, 'enroll');
    assert.equal(graceOf(required), undefined);
    assert.equal(errorOf(await step(h.app, 'postpone', { step: required.stepId }), 400).name, 'DuoFactorError');
    // The session opened before the change has no Duo claim: it stops working too.
    assert.equal((await h.app.api('/api/duo-security/me', { token: before.jwt })).status, 401);

    // Moving a client into a required role takes effect the same way.
    const other = await createClient(h, { duo: false });
    expectToken(await login(h.app, other.email, other.password), 'in the default role');
    await moveClient(other, role);
    expectDuoRequired(await login(h.app, other.email, other.password), 'moved into the required role');
  });

  it('a role off: Duo is neither asked nor offered, but an account that turned it on keeps being asked', async () => {
    const role = await clientRole();
    await putSettings({ clients: { enforcement: 'required', roles: [{ role, enforcement: 'off' }] } });
    try {
      const client = await clientIn(role);
      const token = expectToken(await login(h.app, client.email, client.password), 'role off, default required');
      const me = dataOf(await h.app.api('/api/duo-security/me', { token: token.jwt }), 'me');
      assert.deepEqual([me.available, me.required], [false, false]);
      const enable = await h.app.api('/api/duo-security/me/enable', { method: 'POST', token: token.jwt });
      assert.equal(errorOf(enable, 400).name, 'ApplicationError');

      // Enrolled while the role was optional, then set off: still asked.
      const enrolled = await clientIn(role, true);
      await putSettings({ clients: { enforcement: 'required', roles: [{ role, enforcement: 'optional' }] } });
      const plain = expectToken(await login(h.app, enrolled.email, enrolled.password), 'optional role');
      await turnOnDuo(h, enrolled.duoUsername, plain.jwt);
      await putSettings({ clients: { enforcement: 'required', roles: [{ role, enforcement: 'off' }] } });
      const asked = expectDuoRequired(await login(h.app, enrolled.email, enrolled.password), 'enrolled, role off');
      assert.equal(asked.duo.result, 'auth');
      assert.equal(graceOf(asked), undefined);
    } finally {
      await putSettings({ clients: { enforcement: 'optional', roles: [] } });
    }
  });

  it('enrolling ends the grace; a reset starts a new one', async () => {
    const role = await clientRole();
    await putSettings({ clients: { roles: [{ role, enforcement: 'required', graceDays: 3 }] } });
    const client = await clientIn(role, true);
    const first = expectDuoRequired(await login(h.app, client.email, client.password));
    assert.equal(first.duo.result, 'auth');
    const token = expectToken(await step(h.app, 'postpone', { step: first.stepId }));
    await agePostponement('clients', client.id, 2 * DAY_MS);
    await turnOnDuo(h, client.duoUsername, token.jwt);
    assert.equal(await h.strapi.db!.query(GRACE_UID).count({ where: { audience: 'clients', userId: client.id } }), 0);
    // Enrolled: Duo is asked and nothing may be postponed.
    const enrolled = expectDuoRequired(await login(h.app, client.email, client.password), 'enrolled');
    assert.equal(graceOf(enrolled), undefined);
    assert.equal(errorOf(await step(h.app, 'postpone', { step: enrolled.stepId }), 400).name, 'DuoStepError');

    const reset = await h.app.api('/duo-security/users/reset', {
      token: h.adminToken,
      method: 'POST',
      body: { audience: 'clients', userId: client.id },
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const again = expectDuoRequired(await login(h.app, client.email, client.password), 'after a reset');
    assert.equal(graceOf(again)?.daysLeft, 3);
  });
});

describe('Per-role enforcement, staff', () => {
  it('a role required with a grace of 2 sign-ins: two postponed, the third must enrol', async () => {
    const editor = await roleId(h.strapi, 'strapi-editor');
    await putSettings({ staff: { roles: [{ role: editor, enforcement: 'required', graceLogins: 2 }] } });
    try {
      const admin = await createAdmin(h, { role: 'strapi-editor', duo: false });
      for (const left of [2, 1]) {
        const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password), `${left} left`);
        assert.deepEqual(graceOf(required), { loginsLeft: left });
        const answer = await staffStep(h.app, 'postpone', { step: required.stepId });
        const session = expectAdminSession(h.app, answer, 'postponed');
        assert.equal(await adminTokenDuo(h.app, session.token), 'postponed');
        assert.equal(answer.headers.get('x-duo-grace-logins-left'), String(left - 1));
      }
      const over = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password), 'grace used up');
      assert.equal(graceOf(over), undefined);
      assert.equal(errorOf(await staffStep(h.app, 'postpone', { step: over.stepId }), 400).name, 'DuoFactorError');
      // An administrator in another role keeps the audience default (optional): no Duo.
      const author = await createAdmin(h, { role: 'strapi-author', duo: false });
      expectAdminSession(h.app, await adminLogin(h.app, author.email, author.password), 'author');
    } finally {
      await putSettings({ staff: { roles: [] } });
    }
  });

  it('several roles: the strictest wins (required over off), and its grace applies', async () => {
    const editor = await roleId(h.strapi, 'strapi-editor');
    const author = await roleId(h.strapi, 'strapi-author');
    // The test's own administrator (Super Admin) stays optional: its session keeps working when the default changes.
    const superAdmin = await roleId(h.strapi, 'strapi-super-admin');
    await putSettings({
      staff: {
        roles: [
          { role: editor, enforcement: 'off' },
          { role: author, enforcement: 'required', graceDays: 1 },
          { role: superAdmin, enforcement: 'optional' },
        ],
      },
    });
    try {
      const both = await createAdmin(h, { role: 'strapi-editor', duo: false });
      await h.strapi.db!.query('admin::user').update({ where: { id: both.id }, data: { roles: [editor, author] } });
      const required = expectAdminDuoRequired(await adminLogin(h.app, both.email, both.password), 'editor and author');
      assert.equal(graceOf(required)?.daysLeft, 1);
      const offOnly = await createAdmin(h, { role: 'strapi-editor', duo: false });
      await putSettings({ staff: { enforcement: 'required' } });
      expectAdminSession(h.app, await adminLogin(h.app, offOnly.email, offOnly.password), 'editor only, off');
    } finally {
      await putSettings({ staff: { enforcement: 'optional', roles: [] } });
    }
  });

  it('the settings API lists the roles and refuses malformed overrides', async () => {
    const roles = dataOf(await h.app.api('/duo-security/settings/roles', { token: h.adminToken }), 'roles');
    const staffNames = (roles.staff as Array<{ name: string }>).map((r) => r.name);
    assert.ok(staffNames.includes('Editor') && staffNames.includes('Super Admin'), staffNames.join(', '));
    const clientTypes = (roles.clients as Array<{ name: string }>).map((r) => r.name);
    assert.ok(clientTypes.includes('Authenticated'), clientTypes.join(', '));
    for (const roles of [
      [{ role: 1, enforcement: 'optional', graceDays: 3 }],
      [{ role: 1, enforcement: 'required', graceDays: 3, graceLogins: 2 }],
      [{ role: 1, enforcement: 'sometimes' }],
      [
        { role: 1, enforcement: 'off' },
        { role: 1, enforcement: 'required' },
      ],
      [{ role: 1, enforcement: 'required', graceDays: 0 }],
    ]) {
      const response = await h.app.api('/duo-security/settings', {
        token: h.adminToken,
        method: 'PUT',
        body: { staff: { roles } },
      });
      assert.equal(errorOf(response, 400).name, 'ValidationError', JSON.stringify(roles));
    }
  });
});
