import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { errorOf, expectDuoRequired, expectToken, isRecord } from '../helpers/client-answers';
import {
  createClient,
  enableDuoForClient,
  login,
  startClientsHarness,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import {
  adminLogin,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  roleId,
  setStaffSettings,
  staffStep,
  turnOnStaffDuo,
  type Admin,
  adminTokenDuo,
  adminTokenUserId,
  mintAdminSession,
} from '../helpers/staff';
import type { ApiResponse } from '../helpers/strapi';

/**
 * Issue 5, user management: administrators and clients with their Duo status and last use, search and paging, and
 * "Reset Duo" for one user (audited; Duo is asked for again at the next login when enforcement requires it).
 * Permissions `plugin::duo-security.users.read` / `users.reset`, enforced on the server.
 */

let h: ClientsHarness;
let superId: number;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
  superId = adminTokenUserId(h.app, h.adminToken);
});
after(async () => {
  await h?.close();
});

interface Row {
  id: number;
  audience: string;
  email: string | null;
  username: string | null;
  name: string | null;
  duo: { status: string; enabledAt: string | null; lastUsedAt: string | null };
}
interface Page {
  data: Row[];
  meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
}

const list = (query: string, token = h.adminToken) => h.app.api(`/duo-security/users${query}`, { token });
const reset = (body: unknown, token = h.adminToken) => h.app.api('/duo-security/users/reset', { token, body });

function pageOf(response: ApiResponse): Page {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const body = response.body as Page;
  assert.deepEqual(Object.keys(body).sort(), ['data', 'meta']);
  assert.ok(Array.isArray(body.data));
  for (const row of body.data) {
    assert.deepEqual(Object.keys(row).sort(), ['audience', 'duo', 'email', 'id', 'name', 'username']);
    assert.deepEqual(Object.keys(row.duo).sort(), ['enabledAt', 'lastUsedAt', 'status']);
  }
  return body;
}

function rowOf(response: ApiResponse): Row {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.ok(isRecord(response.body));
  return response.body.data as Row;
}

describe('list', () => {
  it('administrators (the default audience) with name, e-mail and Duo status; no secrets', async () => {
    const admin = await createAdmin(h, { prefix: 'listed' });
    const token = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password)).token;
    await turnOnStaffDuo(h, admin, token);
    const page = pageOf(await list(''));
    assert.deepEqual(page.meta.pagination.page, 1);
    assert.deepEqual(page.meta.pagination.pageSize, 20);
    const first = page.data.find((row) => row.id === superId);
    assert.deepEqual(first, {
      id: superId,
      audience: 'staff',
      email: 'admin@example.com',
      username: null,
      name: 'Ada Admin',
      duo: { status: 'none', enabledAt: null, lastUsedAt: null },
    });
    const listed = page.data.find((row) => row.id === admin.id);
    assert.equal(listed?.duo.status, 'active');
    assert.equal(typeof listed?.duo.enabledAt, 'string');
    assert.equal(typeof listed?.duo.lastUsedAt, 'string');
    assert.doesNotMatch(JSON.stringify(page), /password|Token|activation/i);
  });

  it('clients, with the same row shape', async () => {
    const client = await createClient(h, { prefix: 'listedclient' });
    const page = pageOf(await list('?audience=clients&search=listedclient'));
    assert.deepEqual(page.data, [
      {
        id: client.id,
        audience: 'clients',
        email: client.email,
        username: client.username,
        name: null,
        duo: { status: 'none', enabledAt: null, lastUsedAt: null },
      },
    ]);
    assert.equal(page.meta.pagination.total, 1);
  });

  it('search (any case, e-mail, username or name) and paging', async () => {
    const made: Admin[] = [];
    for (let i = 0; i < 3; i += 1) made.push(await createAdmin(h, { prefix: 'PagedOne', duo: false }));
    const first = pageOf(await list('?search=pagedone&page=1&pageSize=2'));
    assert.deepEqual(first.meta.pagination, { page: 1, pageSize: 2, pageCount: 2, total: 3 });
    assert.deepEqual(
      first.data.map((row) => row.id),
      made.slice(0, 2).map((a) => a.id),
    );
    const second = pageOf(await list('?search=PAGEDONE&page=2&pageSize=2'));
    assert.deepEqual(
      second.data.map((row) => row.id),
      [made[2]?.id],
    );
    const beyond = pageOf(await list('?search=pagedone&page=3&pageSize=2'));
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.meta.pagination.total, 3);
    // By name: first names are the prefix; by a part of the e-mail.
    assert.equal(pageOf(await list(`?search=${encodeURIComponent(made[1]?.email ?? '')}`)).data.length, 1);
    assert.equal(pageOf(await list('?search=nobody-has-this')).meta.pagination.total, 0);
    assert.equal(pageOf(await list('?search=nobody-has-this')).meta.pagination.pageCount, 0);
  });
});

describe('reset', () => {
  it('an administrator: Duo off for the account, open steps ended, audited with the acting administrator', async () => {
    const admin = await createAdmin(h, { prefix: 'resetme' });
    const token = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password)).token;
    await turnOnStaffDuo(h, admin, token);
    const open = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));

    const row = rowOf(await reset({ audience: 'staff', userId: admin.id }));
    assert.equal(row.id, admin.id);
    assert.equal(row.duo.status, 'disabled');
    const entries = await auditEntries(h.strapi, { userId: admin.id, audience: 'staff', event: 'enroll.reset' });
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]?.detail, { via: 'admin', adminId: superId, cancelled: 1 });
    assert.equal(entries[0]?.outcome, 'reset');
    // The step opened before the reset is over.
    const ended = errorOf(
      await staffStep(h.app, 'passcode', {
        step: open.stepId,
        passcode: h.sandbox.currentPasscode(admin.email),
      }),
      400,
    );
    assert.equal(ended.name, 'DuoStepError');

    // Enforcement optional: the password alone signs in again.
    const plain = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password));
    assert.equal(await adminTokenDuo(h.app, plain.token), undefined);
    // Enforcement required: Duo again at the next login; Duo does not know them any more (device removed at Duo),
    // so they enrol inside the step.
    h.sandbox.removeUser(admin.email);
    await setStaffSettings(h.strapi, { enforcement: 'required' });
    try {
      const again = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
      assert.equal(again.duo.result, 'enroll');
    } finally {
      await setStaffSettings(h.strapi, { enforcement: 'optional' });
    }
  });

  it('a client: Duo off for the account, audited', async () => {
    const client = await createClient(h);
    await enableDuoForClient(h, client, expectToken(await login(h.app, client.email, client.password)).jwt);
    expectDuoRequired(await login(h.app, client.email, client.password));
    const row = rowOf(await reset({ audience: 'clients', userId: client.id }));
    assert.equal(row.audience, 'clients');
    assert.equal(row.duo.status, 'disabled');
    expectToken(await login(h.app, client.email, client.password));
    const entries = await auditEntries(h.strapi, { userId: client.id, audience: 'clients', event: 'enroll.reset' });
    assert.equal(entries.length, 1);
  });

  it('an unknown user: 404', async () => {
    const error = errorOf(await reset({ audience: 'staff', userId: 987654 }), 404);
    assert.equal(error.name, 'NotFoundError');
    errorOf(await reset({ audience: 'clients', userId: 987654 }), 404);
  });
});

describe('permissions (enforced on the server)', () => {
  it('an administrator without the actions gets 403; read alone lists but cannot reset; no token gets 401', async () => {
    const editor = await createAdmin(h, { role: 'strapi-editor', duo: false });
    const editorToken = expectAdminSession(h.app, await adminLogin(h.app, editor.email, editor.password)).token;
    // Refused as Strapi refuses its own admin routes to that administrator (ForbiddenError on 4, PolicyError on 5).
    const strapiOwn = errorOf(await h.app.api('/admin/users', { token: editorToken }), 403).name;
    assert.ok(strapiOwn === 'ForbiddenError' || strapiOwn === 'PolicyError', strapiOwn);
    assert.equal(errorOf(await list('', editorToken), 403).name, strapiOwn);
    assert.equal((await reset({ audience: 'staff', userId: superId }, editorToken)).status, 403);

    const author = await createAdmin(h, { role: 'strapi-author', duo: false });
    const permissions = h.strapi.service('admin::permission') as unknown as {
      createMany(p: Array<Record<string, unknown>>): Promise<unknown>;
    };
    await permissions.createMany([
      {
        action: 'plugin::duo-security.users.read',
        subject: null,
        properties: {},
        conditions: [],
        role: await roleId(h.strapi, 'strapi-author'),
      },
    ]);
    const authorToken = expectAdminSession(h.app, await adminLogin(h.app, author.email, author.password)).token;
    pageOf(await list('', authorToken));
    assert.equal((await reset({ audience: 'staff', userId: superId }, authorToken)).status, 403);
    assert.equal((await auditEntries(h.strapi, { userId: superId, event: 'enroll.reset' })).length, 0);

    assert.equal((await h.app.api('/duo-security/users')).status, 401);
    assert.equal(
      (await h.app.api('/duo-security/users/reset', { body: { audience: 'staff', userId: 1 } })).status,
      401,
    );
    // A super admin session without the Duo claim, once Duo is required for them, is no session either.
    await setStaffSettings(h.strapi, { enforcement: 'required' });
    try {
      assert.equal((await list('')).status, 401);
      pageOf(await list('', await mintAdminSession(h.app, superId, 'allow')));
    } finally {
      await setStaffSettings(h.strapi, { enforcement: 'optional' });
    }
  });
});

describe('bad input: 400 with the field, never 500', () => {
  it('GET /duo-security/users', async () => {
    for (const query of [
      '?audience=admins',
      '?audience=',
      '?page=0',
      '?page=abc',
      '?page=1.5',
      '?page=-1',
      '?page=9999999',
      '?pageSize=0',
      '?pageSize=101',
      '?pageSize=x',
      '?search[$ne]=x',
      `?search=${'x'.repeat(101)}`,
      '?audience=staff&audience=clients',
      '?page=1&page=2',
      '?sort=email',
      '?filters[id]=1',
    ]) {
      const error = errorOf(await list(query), 400);
      assert.equal(error.name, 'ValidationError', query);
    }
  });

  it('POST /duo-security/users/reset', async () => {
    for (const body of [
      {},
      [],
      { audience: 'staff' },
      { userId: 1 },
      { audience: 'admins', userId: 1 },
      { audience: 'staff', userId: '1' },
      { audience: 'staff', userId: 1.5 },
      { audience: 'staff', userId: -1 },
      { audience: 'staff', userId: 0 },
      { audience: 'staff', userId: null },
      { audience: 'staff', userId: 1e300 },
      { audience: 'staff', userId: 1, extra: true },
    ]) {
      const error = errorOf(await reset(body), 400);
      assert.equal(error.name, 'ValidationError', JSON.stringify(body));
    }
    // Not JSON objects: Strapi's body parser refuses them first (400).
    for (const body of ['x', 1, true]) errorOf(await reset(body), 400);
    assert.equal((await auditEntries(h.strapi, { userId: superId, event: 'enroll.reset' })).length, 0);
  });
});
