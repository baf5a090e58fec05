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
 * One's own devices in Chromium (issue 16, item 4): with Duo on, "Two-factor (Duo)" lists the devices Duo knows
 * for the administrator (numbers masked), says plainly that adding, renaming or removing a device is Duo's, says why
 * a bypass user has none, shows Duo's outage as an answer, and turns Duo off from there.
 */

const PHONE = '+15558675309';

describe('Staff: own devices in Chromium', () => {
  let env: StaffBrowserEnv;

  before(async () => {
    env = await startStaffEnv();
    addDuoUser(env, DEFAULT_ADMIN.email, {
      devices: [{ name: 'Work phone', number: PHONE }, { type: 'token' }],
    });
    await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
  });

  after(async () => {
    await env?.close();
  });

  it('lists my devices, says what only Duo can do, and turns Duo off from there', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      await page.getByRole('navigation').getByRole('link', { name: 'Two-factor (Duo)' }).click();
      const card = page.getByRole('region', { name: 'Duo two-factor authentication' });
      await card.waitFor({ timeout: UI_TIMEOUT });
      // Duo off: no devices panel.
      assert.equal(await page.getByRole('region', { name: 'Your devices' }).count(), 0);
      await card.getByRole('button', { name: 'Enable' }).click({ timeout: UI_TIMEOUT });
      const step = card.getByTestId('duo-step');
      await step.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email), { timeout: UI_TIMEOUT });
      await step.getByRole('button', { name: 'Verify' }).click();
      await card.getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });

      const devices = page.getByRole('region', { name: 'Your devices' });
      const list = devices.getByRole('list', { name: 'Your devices' });
      await list.waitFor({ timeout: UI_TIMEOUT });
      const items = (await list.getByRole('listitem').allTextContents()).map((text) => text.trim());
      assert.equal(items.length, 2);
      assert.match(items[0]!, /^Work phone \(phone, XXX-XXX-5309, /);
      assert.match(items[1]!, /\(token, no number\)$/);
      await devices.getByRole('heading', { name: 'Add another device' }).waitFor();
      await devices.getByText(/^Duo's Auth API cannot add a device to an existing Duo account/).waitFor();
      await devices.getByText(/^Renaming or removing a device is not possible here either/).waitFor();
      assert.ok(!(await page.content()).includes('5558675309'), 'the full number is on the page');
      await screenshot(page, 'staff-own-devices.png');

      // A Duo bypass user: no devices, and why.
      env.sandbox.updateUser(DEFAULT_ADMIN.email, { status: 'bypass' });
      await page.reload();
      await devices.getByText(/^Duo lets your account in without a second factor/).waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await devices.getByRole('list').count(), 0);
      env.sandbox.updateUser(DEFAULT_ADMIN.email, { status: 'active' });

      // Duo out of reach: the plugin's answer, shown; the rest of the page still works.
      env.sandbox.setFault({ kind: 'status', status: 503 });
      try {
        await page.reload();
        await devices
          .getByRole('alert')
          .filter({ hasText: 'The two-factor authentication service is unavailable' })
          .waitFor({ timeout: UI_TIMEOUT });
      } finally {
        env.sandbox.clearFaults();
      }

      // Turn off, from the devices panel: the same fresh verification as Disable.
      await page.reload();
      await list.waitFor({ timeout: UI_TIMEOUT });
      await devices.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
      await step.getByText('To turn off two-factor authentication', { exact: false }).waitFor({ timeout: UI_TIMEOUT });
      await step.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email), { timeout: UI_TIMEOUT });
      await step.getByRole('button', { name: 'Verify' }).click();
      await card.getByText('Off', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      await devices.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    });
  });
});
