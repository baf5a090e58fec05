import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  DEFAULT_ADMIN,
  expectSignedInAt,
  expectStepPage,
  imageLoaded,
  phoneUser,
  signOutOfAdmin,
  startStaffEnv,
  submitLoginForm,
  UI_TIMEOUT,
  waitUntil,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

/*
 * "Lost your phone? Use a backup code" on the admin step page, only where a code can finish the step: not for an
 * administrator enrolling Duo Mobile inside the sign-in (their first codes come at its end, so any code typed would
 * be wrong and use up the step's tries), still on an ordinary step of an account with codes, and still when Duo asks
 * that account to enrol again (its Duo user deleted at Duo), where a code is its one way in.
 */

const OFFER = 'Lost your phone? Use a backup code';

describe('Staff: the backup-code offer in Chromium', () => {
  let env: StaffBrowserEnv;
  let codes: string[] = [];

  before(async () => {
    env = await startStaffEnv();
    // Duo (the sandbox) does not know the administrator, and Duo is required: the first step is the enrolment.
    await activateStaff(env, env.registrationToken, { enforcement: 'required' });
  });

  after(async () => {
    await env?.close();
  });

  it('enrolling inside the sign-in, without codes: no backup-code form, before or after the activation', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card.getByRole('heading', { name: 'Set up Duo Mobile' }).waitFor({ timeout: UI_TIMEOUT });
      const qr = card.getByRole('img', { name: 'QR code to activate Duo Mobile' });
      await qr.waitFor({ timeout: UI_TIMEOUT });
      await waitUntil('the QR code image loaded', imageLoaded(qr));
      await card.getByRole('status').filter({ hasText: 'Waiting for Duo Mobile to be activated' }).waitFor();
      assert.equal(await card.getByText(OFFER).isVisible(), false, 'offered while enrolling');
      assert.equal(await card.getByLabel('Backup code', { exact: true }).isVisible(), false);

      const code = ((await page.locator('#duo-activation-code').textContent()) ?? '').trim();
      const activation = phoneUser(env, DEFAULT_ADMIN.email).getByTestId('activation').filter({ hasText: code });
      await activation.getByRole('button', { name: 'Complete activation' }).click({ timeout: UI_TIMEOUT });
      await card.getByRole('status').filter({ hasText: 'Duo Mobile is activated' }).waitFor({ timeout: UI_TIMEOUT });
      // An ordinary check now, but the codes only come with its answer.
      await card.getByRole('button', { name: 'Send Duo Push' }).waitFor();
      assert.equal(await card.getByText(OFFER).isVisible(), false, 'offered after the activation');

      await card.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email));
      await card.getByRole('button', { name: 'Verify' }).click();
      const list = card.getByRole('list', { name: 'Your backup codes' }).getByRole('listitem');
      await list.first().waitFor({ timeout: UI_TIMEOUT });
      codes = (await list.allTextContents()).map((one) => one.trim());
      assert.equal(codes.length, 10);
      await card.getByRole('button', { name: 'I saved them, continue' }).click();
      await expectSignedInAt(env);
      await signOutOfAdmin(env);
    });
  });

  it('an account with codes: offered on an ordinary step, and when Duo asks it to enrol again', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card.getByRole('button', { name: 'Send Duo Push' }).waitFor({ timeout: UI_TIMEOUT });
      await card.getByText(OFFER).waitFor({ timeout: UI_TIMEOUT });

      // Its Duo user deleted at Duo, the plugin's enrolment still on: Duo says enrol, and a code is the way in.
      env.sandbox.removeUser(DEFAULT_ADMIN.email);
      await submitLoginForm(env, DEFAULT_ADMIN);
      const again = await expectStepPage(env);
      await again.getByRole('heading', { name: 'Set up Duo Mobile' }).waitFor({ timeout: UI_TIMEOUT });
      await again.getByText(OFFER).click({ timeout: UI_TIMEOUT });
      await again.getByLabel('Backup code', { exact: true }).fill(codes[0]!);
      await again.getByRole('button', { name: 'Sign in' }).click();
      await expectSignedInAt(env);
    });
  });
});
