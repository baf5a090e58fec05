import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  addDuoUser,
  DEFAULT_ADMIN,
  expectSignedInAt,
  screenshot,
  startStaffEnv,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

/*
 * Enforcement per role on Settings → Duo Security in Chromium (issue 16, item 3): the page lists the admin roles
 * under Staff, and setting one to Required with a grace period of 3 days is saved as that role's override.
 */

interface RolesView {
  staff: { roles: Array<Record<string, unknown>>; rememberDevices: boolean };
  clients: { roles: unknown[]; rememberDevices: boolean };
}

describe('Settings → Duo Security: enforcement per role and remembered devices in Chromium', () => {
  let env: StaffBrowserEnv;

  before(async () => {
    env = await startStaffEnv();
    addDuoUser(env, DEFAULT_ADMIN.email);
    await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
  });

  after(async () => {
    await env?.close();
  });

  it('sets the Editor role to Required with 3 days of grace', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      await page.goto(`${env.app.baseUrl}/admin/settings/duo-security`);
      const staffRoles = page.getByRole('group', { name: 'Enforcement per role' }).first();
      await staffRoles.getByRole('combobox', { name: 'Editor', exact: true }).click({ timeout: UI_TIMEOUT });
      await page.getByRole('option', { name: 'Required', exact: true }).click();
      await staffRoles.getByRole('combobox', { name: 'Editor: Grace period' }).click({ timeout: UI_TIMEOUT });
      await page.getByRole('option', { name: 'Days', exact: true }).click();
      const length = staffRoles.getByRole('textbox', { name: 'Editor: Length' });
      await length.fill('3');
      // The same save turns remembered devices off for clients (on for both by default).
      const clients = page.getByRole('group', { name: 'Clients', exact: true });
      await clients.getByRole('checkbox', { name: 'Remember devices' }).click({ timeout: UI_TIMEOUT });
      await page.getByRole('button', { name: 'Save Changes' }).click();
      await page.getByText('Settings saved').first().waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'settings-roles.png');

      const editor = (await env.app.strapi.db!.query('admin::role').findOne({ where: { code: 'strapi-editor' } })) as {
        id: number;
      };
      const settings = env.app.strapi.plugin('duo-security').service('settings') as { get(): Promise<RolesView> };
      const saved = await settings.get();
      assert.deepEqual(saved.staff.roles, [{ role: editor.id, enforcement: 'required', graceDays: 3 }]);
      assert.deepEqual(saved.clients.roles, []);
      assert.deepEqual([saved.staff.rememberDevices, saved.clients.rememberDevices], [true, false]);
    });
  });
});
