import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Locator } from 'playwright-core';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  adminToken,
  answerPushOnPhone,
  DEFAULT_ADMIN,
  expectSignedInAt,
  expectStepPage,
  imageLoaded,
  phoneUser,
  screenshot,
  signOutOfAdmin,
  startStaffEnv,
  STEP_KEY,
  STEP_PAGE_PATH,
  storageItem,
  submitLoginForm,
  UI_TIMEOUT,
  waitUntil,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

describe('Staff: "Two-factor (Duo)" for the signed-in administrator in Chromium', () => {
  let env: StaffBrowserEnv;
  const requested: string[] = [];

  /** The page's card: status, Enable / Disable and, while one is open, the Duo step. */
  const card = (): Locator => env.page.getByRole('region', { name: 'Duo two-factor authentication' });

  async function openAccountPage(): Promise<void> {
    const { page } = env;
    await page.getByRole('navigation').getByRole('link', { name: 'Two-factor (Duo)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Two-factor (Duo)' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(new URL(page.url()).pathname, '/admin/plugins/duo-security');
    await card().waitFor({ timeout: UI_TIMEOUT });
  }

  before(async () => {
    env = await startStaffEnv();
    env.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  });

  after(async () => {
    await env?.close();
  });

  it('plugin installed but not activated: the admin login is unchanged', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      assert.ok(!requested.includes(STEP_PAGE_PATH), 'the login went through the Duo step page');
      assert.equal(await storageItem(page, 'sessionStorage', STEP_KEY), null);
      const token = await adminToken(page);
      assert.ok(token !== null, 'no admin token after the login');
      assert.equal((await env.app.api('/admin/users/me', { token })).status, 200);

      // Every administrator sees the page; it says Duo is not offered, and offers nothing to click.
      await openAccountPage();
      await card()
        .getByText(/^Duo is not offered to administrators on this site\./)
        .waitFor();
      assert.equal(await card().getByRole('button', { name: 'Enable' }).count(), 0);
    });
  });

  it('enables Duo: QR code, activation on the virtual phone, one approved push; the session goes on', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      // Optional enforcement: administrators opt in. Duo does not know this one yet, so enabling enrols.
      await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
      await page.reload();
      await card().waitFor({ timeout: UI_TIMEOUT });
      await card().getByText('Off', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      await card()
        .getByText(/^Your sign-ins use your password only\./)
        .waitFor();
      await screenshot(page, 'staff-account-off.png');
      const before = await adminToken(page);
      assert.ok(before !== null);

      await card().getByRole('button', { name: 'Enable' }).click();
      const step = card().getByTestId('duo-step');
      await step.getByText('Turn on two-factor authentication', { exact: false }).waitFor({ timeout: UI_TIMEOUT });
      await step.getByRole('heading', { name: 'Set up Duo Mobile' }).waitFor();
      const qr = step.getByRole('img', { name: 'QR code to activate Duo Mobile' });
      await qr.waitFor({ timeout: UI_TIMEOUT });
      // The admin's Content-Security-Policy allows the image's host (the playground adds the sandbox's URL).
      await waitUntil('the QR code image loaded', imageLoaded(qr));
      const link = step.getByRole('link', { name: /Activate Duo Mobile on this phone/ });
      assert.ok((await link.getAttribute('href'))?.startsWith(`${env.sandbox.url}/activate/`));
      await step.getByRole('status').filter({ hasText: 'Waiting for Duo Mobile to be activated' }).waitFor();
      const code = ((await step.locator('code').textContent()) ?? '').trim();
      assert.ok(code !== '', 'no activation code');
      await screenshot(page, 'staff-account-enroll.png');

      const activation = phoneUser(env, DEFAULT_ADMIN.email).getByTestId('activation').filter({ hasText: code });
      await activation.getByRole('button', { name: 'Complete activation' }).click({ timeout: UI_TIMEOUT });
      await step.getByRole('status').filter({ hasText: 'Duo Mobile is activated' }).waitFor({ timeout: UI_TIMEOUT });
      await step.getByRole('button', { name: 'Send Duo Push' }).click();
      await step.getByRole('status').filter({ hasText: 'Duo Push sent. Approve it on your phone.' }).waitFor();
      await answerPushOnPhone(env, DEFAULT_ADMIN.email, 'Approve');

      await page.getByText('Two-factor authentication is on').first().waitFor({ timeout: UI_TIMEOUT });
      await card().getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      await card().getByText('Duo protects your sign-ins.').waitFor();
      await card().getByRole('button', { name: 'Disable' }).waitFor();
      await screenshot(page, 'staff-account-on.png');

      // Turning Duo on ended the old session; the page keeps the Duo-claimed one it was given.
      const after = await adminToken(page);
      assert.ok(after !== null && after !== before, 'the token was not replaced');
      assert.equal((await env.app.api('/admin/users/me', { token: before })).status, 401);
      assert.equal((await env.app.api('/admin/users/me', { token: after })).status, 200);
      // Still signed in after a reload (the admin renews the stored token on start).
      await page.reload();
      await card().getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    });
  });

  it('after signing out, the next sign-in asks for Duo', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await signOutOfAdmin(env);
      await submitLoginForm(env, DEFAULT_ADMIN);
      const step = await expectStepPage(env);
      // Duo Mobile activated by QR code has no phone number: push and passcodes only.
      assert.equal(await step.getByRole('button', { name: 'Call me' }).isVisible(), false);
      await step.getByRole('button', { name: 'Send Duo Push' }).click();
      await answerPushOnPhone(env, DEFAULT_ADMIN.email, 'Approve');
      await expectSignedInAt(env);
    });
  });

  it('disables Duo with a fresh verification; the next sign-in needs no Duo', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await openAccountPage();
      await card().getByRole('button', { name: 'Disable' }).click();
      const step = card().getByTestId('duo-step');
      await step.getByText('To turn off two-factor authentication, verify with Duo once more.').waitFor();
      await step.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email));
      await step.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('Two-factor authentication is off').first().waitFor({ timeout: UI_TIMEOUT });
      await card().getByText('Off', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      await card().getByRole('button', { name: 'Enable' }).waitFor();

      await signOutOfAdmin(env);
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);
      assert.deepEqual(env.pageErrors, []);
    });
  });
});
