import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Locator } from 'playwright-core';

import { confirmDialog, openSettingsLink } from '../helpers/admin-pages';
import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  addDuoUser,
  apiSignIn,
  createAdmin,
  DEFAULT_ADMIN,
  expectSignedInAt,
  screenshot,
  signOutOfAdmin,
  startStaffEnv,
  turnOnDuoByApi,
  submitLoginForm,
  UI_TIMEOUT,
  waitUntil,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';
import { registerClient } from '../helpers/users';

interface Person {
  id: number;
  email: string;
  password: string;
}

describe('Staff: Settings → Duo users in Chromium', () => {
  let env: StaffBrowserEnv;
  let withDuo: Person;
  let viewer: Person;

  const rows = (): Locator => env.page.locator('[data-testid="duo-user-row"]');
  const row = (email: string): Locator => env.page.locator(`[data-testid="duo-user-row"][data-email="${email}"]`);

  /** An administrator whose only role holds exactly `actions`. */
  async function adminWithActions(name: string, actions: readonly string[]): Promise<Person> {
    const token = env.registrationToken;
    const role = await env.app.api('/admin/roles', { token, body: { name, description: `${name} (browser test)` } });
    assert.equal(role.status, 201, JSON.stringify(role.body));
    const roleId = (role.body as { data: { id: number } }).data.id;
    const permissions = await env.app.api(`/admin/roles/${roleId}/permissions`, {
      method: 'PUT',
      token,
      body: { permissions: actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })) },
    });
    assert.equal(permissions.status, 200, JSON.stringify(permissions.body));
    const person = await createAdmin(env, name.toLowerCase().replace(/[^a-z]+/g, ''));
    await env.app.strapi.db!.query('admin::user').update({ where: { id: person.id }, data: { roles: [roleId] } });
    return person;
  }

  async function openDuoUsers(): Promise<void> {
    const { page } = env;
    await openSettingsLink(page, 'Duo users');
    await page.getByRole('heading', { level: 1, name: 'Duo users' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(new URL(page.url()).pathname, '/admin/settings/duo-security-users');
  }

  before(async () => {
    env = await startStaffEnv();
    // Optional enforcement: the super admin signs in with the password; others opt in.
    await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
    withDuo = await createAdmin(env, 'grace');
    addDuoUser(env, withDuo.email);
    await turnOnDuoByApi(env, withDuo);
    // Enough administrators for two pages of ten.
    for (let i = 0; i < 10; i += 1) await createAdmin(env, 'filler');
    viewer = await adminWithActions('Duo viewer', ['plugin::duo-security.users.read']);
    await registerClient(env.app.api, { username: 'shopper', email: 'shopper@example.com', password: 'Shop-Passw0rd' });
  });

  after(async () => {
    await env?.close();
  });

  it('lists administrators with their Duo status and last use, with search and paging', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      await openDuoUsers();

      await page.getByRole('tab', { name: 'Administrators', selected: true }).waitFor();
      await row(withDuo.email).waitFor({ timeout: UI_TIMEOUT });
      await row(withDuo.email).getByText('On', { exact: true }).waitFor();
      assert.notEqual(((await row(withDuo.email).locator('td').nth(3).textContent()) ?? '').trim(), '—');
      await row(DEFAULT_ADMIN.email).getByText('Never set up').waitFor();
      assert.equal(await page.locator('[data-testid="duo-user-row"]').count(), 10, 'the first page holds ten');
      await screenshot(page, 'staff-users.png');

      // Page 2 holds the rest (13 administrators in all).
      await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /2/ }).click();
      await page.waitForURL((url) => url.searchParams.get('page') === '2');
      await page.locator('[data-testid="duo-user-row"]').first().waitFor();
      assert.equal(await page.locator('[data-testid="duo-user-row"]').count(), 3);

      // Search by name or e-mail, from page 1.
      // By its label: design system 1 draws a text box, design system 2 a search box (type="search").
      const search = page.getByLabel('Search users', { exact: true });
      await search.fill('grace');
      await search.press('Enter');
      await page.waitForURL(
        (url) => url.searchParams.get('search') === 'grace' && url.searchParams.get('page') === '1',
      );
      await waitUntil('one row', async () => (await rows().count()) === 1);
      await row(withDuo.email).waitFor();
      await page.getByRole('button', { name: 'Clear the search' }).click();
      await waitUntil('ten rows', async () => (await rows().count()) === 10);

      // Clients have their own tab.
      await page.getByRole('tab', { name: 'Clients' }).click();
      await row('shopper@example.com').waitFor({ timeout: UI_TIMEOUT });
      assert.equal(new URL(page.url()).searchParams.get('audience'), 'clients');
      await page.getByRole('tab', { name: 'Administrators' }).click();
      await row(withDuo.email).waitFor({ timeout: UI_TIMEOUT });
    });
  });

  it("resets another administrator's Duo after a confirmation, with a notification", async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      // Before: Duo guards this administrator's sign-in.
      const before = await env.app.api('/admin/login', { body: { email: withDuo.email, password: withDuo.password } });
      assert.equal((before.body as { error?: { name?: string } }).error?.name, 'DuoRequiredError');

      await row(withDuo.email)
        .getByRole('button', { name: `Reset Duo for ${withDuo.email}` })
        .click();
      const dialog = confirmDialog(page);
      await dialog.getByText(`Reset Duo for ${withDuo.email}?`).waitFor();
      await screenshot(page, 'staff-users-reset.png');
      await dialog.getByRole('button', { name: 'Reset Duo' }).click();
      await page.getByText(`Duo was reset for ${withDuo.email}`).waitFor({ timeout: UI_TIMEOUT });
      await dialog.waitFor({ state: 'hidden' });
      // The plugin forgot the enrolment: Duo is off for them now.
      await row(withDuo.email).getByText('Off', { exact: true }).waitFor({ timeout: UI_TIMEOUT });

      // After: optional enforcement, so they sign in with the password until they turn Duo on again.
      const after = await env.app.api('/admin/login', { body: { email: withDuo.email, password: withDuo.password } });
      assert.equal(after.status, 200, JSON.stringify(after.body));
      await signOutOfAdmin(env);
    });
  });

  it('without the reset permission the list shows no Reset Duo button', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, viewer);
      await expectSignedInAt(env);
      await openDuoUsers();
      // Grace's Duo is off, not "never set up": with the permission her row would offer Reset Duo.
      await row(withDuo.email).getByText('Off', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByRole('button', { name: /^Reset Duo/ }).count(), 0);
      // Nor does the server take it from them.
      const token = await apiSignIn(env, viewer.email, viewer.password);
      const refused = await env.app.api('/duo-security/users/reset', {
        token,
        body: { audience: 'staff', userId: withDuo.id },
      });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.deepEqual(env.pageErrors, []);
    });
  });
});
