import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { openSettingsLink } from '../helpers/admin-pages';
import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  addDuoUser,
  createAdmin,
  DEFAULT_ADMIN,
  expectSignedInAt,
  screenshot,
  startStaffEnv,
  submitLoginForm,
  turnOnDuoByApi,
  UI_TIMEOUT,
  waitUntil,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

describe('Staff: Settings → Duo audit log in Chromium', () => {
  let env: StaffBrowserEnv;
  let auditee: { email: string; password: string };

  const rows = () => env.page.locator('[data-testid="duo-audit-row"]');

  before(async () => {
    env = await startStaffEnv();
    await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
    auditee = await createAdmin(env, 'auditee');
    addDuoUser(env, auditee.email);
    await turnOnDuoByApi(env, auditee);
    // A sign-in with one wrong passcode, then the right one.
    const login = await env.app.api('/admin/login', { body: { email: auditee.email, password: auditee.password } });
    const stepId = (login.body as { error: { details: { step: { id: string } } } }).error.details.step.id;
    const right = env.sandbox.currentPasscode(auditee.email);
    const wrong = await env.app.api('/duo-security/step/passcode', {
      body: { step: stepId, passcode: right === '111111' ? '222222' : '111111' },
    });
    assert.equal(wrong.status, 400);
    const done = await env.app.api('/duo-security/step/passcode', { body: { step: stepId, passcode: right } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  });

  after(async () => {
    await env?.close();
  });

  it('lists the entries with who and what, filters them, and exports them as CSV', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      await openSettingsLink(page, 'Duo audit log');
      await page.getByRole('heading', { level: 1, name: 'Duo audit log' }).waitFor({ timeout: UI_TIMEOUT });
      await rows().first().waitFor({ timeout: UI_TIMEOUT });
      const failed = page.locator('[data-testid="duo-audit-row"][data-event="passcode.failed"]');
      await failed.first().waitFor();
      assert.ok(((await failed.first().textContent()) ?? '').includes(auditee.email));
      await screenshot(page, 'staff-audit-log.png');

      // One event.
      await page.getByRole('combobox', { name: 'Event' }).click();
      await page.getByRole('option', { name: 'passcode.failed' }).click();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL((url) => url.searchParams.get('event') === 'passcode.failed');
      await waitUntil('only passcode.failed rows', async () => {
        const events = await rows().evaluateAll((all) => all.map((row) => row.getAttribute('data-event')));
        return events.length >= 1 && events.every((event) => event === 'passcode.failed');
      });

      // One person, every event again.
      await page.getByRole('combobox', { name: 'Event' }).click();
      await page.getByRole('option', { name: 'Every event' }).click();
      await page.getByRole('textbox', { name: 'User' }).fill('nobody-here');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No audit entry matches.').waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('textbox', { name: 'User' }).fill('auditee');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await waitUntil('only the auditee', async () => {
        const texts = await rows().allTextContents();
        return texts.length >= 3 && texts.every((text) => text.includes(auditee.email));
      });

      // The export holds what the filter shows, as a file.
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: UI_TIMEOUT }),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^duo-audit-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.trimEnd().split('\r\n');
      assert.equal(lines[0], 'id,createdAt,audience,event,outcome,userId,email,username,ip,detail');
      assert.equal(lines.length - 1, await rows().count());
      assert.ok(lines.slice(1).every((line) => line.includes(auditee.email)));
      assert.ok(lines.some((line) => line.includes(',passcode.failed,')));
    });
  });

  it('logged no script errors', () => {
    assert.deepEqual(env.pageErrors, []);
  });
});
