import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  addDuoUser,
  DEFAULT_ADMIN,
  expectSignedInAt,
  expectStepPage,
  heldSession,
  screenshot,
  signOutOfAdmin,
  startStaffEnv,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

/*
 * Backup codes in Chromium (issue 16, item 1): turning Duo on shows the first set once on "Two-factor (Duo)";
 * with the phone lost, the step page's "Use a backup code" signs the administrator in, says how many are left, and
 * the same code does not work twice.
 */

describe('Staff: backup codes in Chromium', () => {
  let env: StaffBrowserEnv;
  let codes: string[] = [];

  before(async () => {
    env = await startStaffEnv();
    addDuoUser(env, DEFAULT_ADMIN.email);
    await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
  });

  after(async () => {
    await env?.close();
  });

  it('turning Duo on shows the first backup codes, once', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      await page.getByRole('navigation').getByRole('link', { name: 'Two-factor (Duo)' }).click();
      const card = page.getByRole('region', { name: 'Duo two-factor authentication' });
      await card.getByRole('button', { name: 'Enable' }).click({ timeout: UI_TIMEOUT });
      const step = card.getByTestId('duo-step');
      await step.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email), { timeout: UI_TIMEOUT });
      await step.getByRole('button', { name: 'Verify' }).click();
      const list = page.getByRole('list', { name: 'Your backup codes' });
      await list.waitFor({ timeout: UI_TIMEOUT });
      codes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
      assert.equal(codes.length, 10);
      for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      await page.getByRole('link', { name: 'Download as text' }).waitFor();
      await screenshot(page, 'staff-backup-codes.png');
      // Shown once: after a reload the page has them no more.
      await page.reload();
      await card.getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByRole('list', { name: 'Your backup codes' }).count(), 0);
      await signOutOfAdmin(env);
    });
  });

  it('a lost phone: a backup code signs in, says how many are left, and works once', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card.getByText('Lost your phone? Use a backup code').click();
      await card.getByLabel('Backup code', { exact: true }).fill(codes[0]!.toLowerCase());
      await card.getByRole('button', { name: 'Sign in' }).click();
      await card
        .getByRole('status')
        .filter({ hasText: 'Signed in with a backup code. You have 9 backup codes left.' })
        .waitFor({ timeout: UI_TIMEOUT });
      await expectSignedInAt(env);
      const held = await heldSession(page);
      assert.equal((await env.app.api('/admin/users/me', { token: held.token ?? '' })).status, 200);
      await signOutOfAdmin(env);

      await submitLoginForm(env, DEFAULT_ADMIN);
      const again = await expectStepPage(env);
      await again.getByText('Lost your phone? Use a backup code').click();
      await again.getByLabel('Backup code', { exact: true }).fill(codes[0]!);
      await again.getByRole('button', { name: 'Sign in' }).click();
      await again.getByText(/Incorrect passcode; 4 attempts left/).waitFor({ timeout: UI_TIMEOUT });
      assert.deepEqual(await heldSession(page), { where: null, token: null });
    });
  });

  it('Duo out of reach: the step page offers only the backup code, and it signs in', async (t) => {
    const { page, sandbox } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      // The previous test ended on the step page, signed out.
      sandbox.setFault({ kind: 'status', status: 503 });
      try {
        await submitLoginForm(env, DEFAULT_ADMIN);
        const card = await expectStepPage(env);
        await card.getByText('Duo cannot be reached right now. Sign in with one of your backup codes.').waitFor();
        assert.equal(await card.getByRole('button', { name: 'Send Duo Push' }).isVisible(), false);
        await card.getByLabel('Backup code', { exact: true }).fill(codes[1]!);
        await card.getByRole('button', { name: 'Sign in' }).click();
        await expectSignedInAt(env);
      } finally {
        sandbox.clearFaults();
      }
    });
  });

  it('"New backup codes" on Two-factor (Duo): a fresh Duo verification, the new set once, the old set ends', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      // Signed in by the previous test, two codes used.
      await page.getByRole('navigation').getByRole('link', { name: 'Two-factor (Duo)' }).click();
      const card = page.getByRole('region', { name: 'Duo two-factor authentication' });
      await card.getByText('8 backup codes left.').waitFor({ timeout: UI_TIMEOUT });
      await card.getByRole('button', { name: 'New backup codes' }).click();
      const step = card.getByTestId('duo-step');
      await step.getByText('To make new backup codes, verify with Duo once more.', { exact: false }).waitFor();
      // Nothing is made before Duo said yes.
      assert.equal(await page.getByRole('list', { name: 'Your backup codes' }).count(), 0);
      await step.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email), { timeout: UI_TIMEOUT });
      await step.getByRole('button', { name: 'Verify' }).click();
      const list = page.getByRole('list', { name: 'Your backup codes' });
      await list.waitFor({ timeout: UI_TIMEOUT });
      const fresh = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
      assert.equal(fresh.length, 10);
      assert.ok(
        fresh.every((code) => !codes.includes(code)),
        'a new set',
      );
      await card.getByText('10 backup codes left.').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'staff-backup-codes-new.png');
      await signOutOfAdmin(env);

      // An unused code of the old set no longer works; one of the new set does.
      await submitLoginForm(env, DEFAULT_ADMIN);
      const signIn = await expectStepPage(env);
      await signIn.getByText('Lost your phone? Use a backup code').click();
      await signIn.getByLabel('Backup code', { exact: true }).fill(codes[2]!);
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await signIn.getByText(/Incorrect passcode/).waitFor({ timeout: UI_TIMEOUT });
      await signIn.getByLabel('Backup code', { exact: true }).fill(fresh[0]!);
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await expectSignedInAt(env);
    });
  });
});
