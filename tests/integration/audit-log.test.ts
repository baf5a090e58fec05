import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { errorOf, expectDuoRequired } from '../helpers/client-answers';
import {
  createClient,
  login,
  loginWithPasscode,
  startClientsHarness,
  step,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { adminLogin, createAdmin, expectAdminSession, roleId } from '../helpers/staff';
import type { ApiResponse } from '../helpers/strapi';

/**
 * Issue 13, the audit log people can read: GET /duo-security/audit (filtered by audience, event, user, dates;
 * paged, newest first) and /duo-security/audit/export (CSV), behind their own RBAC action `audit.read`.
 */

let h: ClientsHarness;
let alice: Client;
let bob: Client;
/** A client whose username a spreadsheet would run as a formula. */
let formula: Client;

interface Row {
  id: number;
  createdAt: string;
  audience: string;
  event: string;
  outcome: string | null;
  userId: number | null;
  user: { email: string | null; username: string | null } | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}
interface Page {
  data: Row[];
  meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number }; events: string[] };
}

const audit = (query = '', token = h.adminToken) => h.app.api(`/duo-security/audit${query}`, { token });
const exportCsv = (query = '', token = h.adminToken) => h.app.api(`/duo-security/audit/export${query}`, { token });

function pageOf(response: ApiResponse): Page {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const body = response.body as Page;
  assert.deepEqual(Object.keys(body).sort(), ['data', 'meta']);
  for (const row of body.data) {
    assert.deepEqual(Object.keys(row).sort(), [
      'audience',
      'createdAt',
      'detail',
      'event',
      'id',
      'ip',
      'outcome',
      'user',
      'userId',
    ]);
  }
  return body;
}

before(async () => {
  h = await startClientsHarness({ clients: { enabled: true, enforcement: 'required' } });
  alice = await createClient(h, { prefix: 'alice' });
  bob = await createClient(h, { prefix: 'bob' });
  formula = await createClient(h, {
    credentials: {
      username: '=HYPERLINK("http://evil.example")',
      email: 'formula@example.com',
      password: 'Pw-f-123456',
    },
  });
  // Alice signs in with Duo; Bob gets a wrong passcode and gives up; the formula client signs in with Duo.
  await loginWithPasscode(h, alice);
  const bobStep = expectDuoRequired(await login(h.app, bob.email, bob.password));
  const wrong = h.sandbox.currentPasscode(bob.duoUsername) === '111111' ? '222222' : '111111';
  errorOf(await step(h.app, 'passcode', { step: bobStep.stepId, passcode: wrong }), 400);
  await loginWithPasscode(h, formula);
});
after(async () => {
  await h?.close();
});

describe('the audit log API', () => {
  it('lists every entry newest first, with who it is about, and nothing secret', async () => {
    const stored = await auditEntries(h.strapi);
    const page = pageOf(await audit('?pageSize=100'));
    assert.equal(page.meta.pagination.total, stored.length);
    const ids = page.data.map((row) => row.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
      'newest first',
    );
    const allowed = page.data.find((row) => row.event === 'step.allowed' && row.userId === alice.id);
    assert.ok(allowed !== undefined, 'no step.allowed for Alice');
    assert.equal(allowed.audience, 'clients');
    assert.deepEqual(allowed.user, { email: alice.email, username: alice.username });
    assert.ok(!Number.isNaN(Date.parse(allowed.createdAt)));
    const text = JSON.stringify(page);
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]+\./, 'a token in the audit log');
    assert.doesNotMatch(text, /"[A-Za-z0-9_-]{43}"/, 'a step id in the audit log');
  });

  it('filters by event, audience, user (text or id) and dates, and pages', async () => {
    // Every event the filter may name, listed by the server (the admin pages' event filter shows this list).
    const events = pageOf(await audit()).meta.events;
    assert.ok(events.includes('passcode.failed') && events.includes('step.retry') && events.includes('enroll.reset'));
    for (const event of events) assert.equal((await audit(`?event=${event}`)).status, 200, event);
    const failed = pageOf(await audit('?event=passcode.failed'));
    assert.ok(failed.data.length >= 1);
    assert.ok(failed.data.every((row) => row.event === 'passcode.failed'));
    assert.ok(failed.data.some((row) => row.userId === bob.id));

    const byText = pageOf(await audit(`?user=${encodeURIComponent(alice.email.toUpperCase())}`));
    assert.ok(byText.data.length >= 2);
    assert.ok(byText.data.every((row) => row.userId === alice.id && row.audience === 'clients'));
    const byId = pageOf(await audit(`?audience=clients&userId=${bob.id}`));
    assert.ok(byId.data.length >= 2 && byId.data.every((row) => row.userId === bob.id));
    assert.equal(pageOf(await audit('?user=nobody-has-this-name')).meta.pagination.total, 0);
    assert.equal(pageOf(await audit(`?audience=staff&userId=${alice.id}`)).meta.pagination.total, 0);

    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(pageOf(await audit(`?from=${tomorrow}`)).meta.pagination.total, 0);
    const all = pageOf(await audit('?pageSize=100')).meta.pagination.total;
    assert.equal(pageOf(await audit(`?from=${today}&to=${today}`)).meta.pagination.total, all, 'to is the whole day');

    const first = pageOf(await audit('?pageSize=2&page=1'));
    const second = pageOf(await audit('?pageSize=2&page=2'));
    assert.equal(first.data.length, 2);
    assert.equal(first.meta.pagination.pageCount, Math.ceil(all / 2));
    assert.ok(second.data.every((row) => !first.data.some((seen) => seen.id === row.id)));
  });

  it("refuses bad filters with a clear 400 in Strapi's envelope", async () => {
    for (const query of [
      '?event=step.exploded',
      '?audience=robots',
      '?pageSize=1000',
      '?page=0',
      '?userId=abc',
      '?userId[]=1',
      '?from=yesterday',
      '?from=2026-02-30',
      '?from=2026-12-06&to=2026-12-01',
      '?sort=id',
    ]) {
      const error = errorOf(await audit(query), 400);
      assert.equal(error.name, 'ValidationError', query);
    }
  });
});

describe('the CSV export', () => {
  it('holds the same entries as the list, one line each, formulas defused', async () => {
    const response = await exportCsv('?audience=clients');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /^attachment; filename="duo-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    assert.equal(response.headers.get('x-duo-audit-truncated'), 'false');
    const lines = String(response.body).trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,createdAt,audience,event,outcome,userId,email,username,ip,detail');
    const total = pageOf(await audit('?audience=clients')).meta.pagination.total;
    assert.equal(lines.length - 1, total);
    const formulaLine = lines.find((line) => line.includes('formula@example.com'));
    assert.ok(formulaLine !== undefined);
    assert.ok(formulaLine.includes(`"'=HYPERLINK(""http://evil.example"")"`), formulaLine);
    assert.ok(!lines.some((line) => line.split(',').some((cell) => cell.startsWith('='))), 'a live formula');
  });

  it('refuses paging parameters and bad filters', async () => {
    errorOf(await exportCsv('?page=2'), 400);
    errorOf(await exportCsv('?event=nope'), 400);
  });
});

describe('permissions (enforced on the server)', () => {
  it('403 without audit.read, 200 with it alone, 401 without a session', async () => {
    const editor = await createAdmin(h, { role: 'strapi-editor', duo: false });
    const editorToken = expectAdminSession(h.app, await adminLogin(h.app, editor.email, editor.password)).token;
    assert.equal((await audit('', editorToken)).status, 403);
    assert.equal((await exportCsv('', editorToken)).status, 403);

    const author = await createAdmin(h, { role: 'strapi-author', duo: false });
    const permissions = h.strapi.service('admin::permission') as unknown as {
      createMany(p: Array<Record<string, unknown>>): Promise<unknown>;
    };
    await permissions.createMany([
      {
        action: 'plugin::duo-security.audit.read',
        subject: null,
        properties: {},
        conditions: [],
        role: await roleId(h.strapi, 'strapi-author'),
      },
    ]);
    const authorToken = expectAdminSession(h.app, await adminLogin(h.app, author.email, author.password)).token;
    pageOf(await audit('', authorToken));
    assert.equal((await exportCsv('', authorToken)).status, 200);
    // The audit permission opens the log only: not the settings or the user list.
    assert.equal((await h.app.api('/duo-security/users', { token: authorToken })).status, 403);
    assert.equal((await h.app.api('/duo-security/settings', { token: authorToken })).status, 403);

    assert.equal((await h.app.api('/duo-security/audit')).status, 401);
    assert.equal((await h.app.api('/duo-security/audit/export')).status, 401);
  });
});
