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
  signOutOfAdmin,
  startStaffEnv,
  STEP_PAGE_PATH,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';
import { useUniversalPrompt } from '../helpers/universal-flow';

/*
 * A required role's grace period under Duo's Universal Prompt in Chromium: the step page of an administrator
 * without Duo does not send the tab to Duo at once but offers "Set up Duo later" and "Continue to Duo"; the first
 * signs in without Duo, the second goes to Duo's prompt. Once enrolled there, the step page goes to Duo at once.
 */

describe('Staff: postponing enrolment under the Universal Prompt in Chromium', () => {
  let env: StaffBrowserEnv;

  before(async () => {
    env = await startStaffEnv();
    // The sandbox's prompt approves the administrator (it stands for Duo's own enrolment); the plugin has none.
    addDuoUser(env, DEFAULT_ADMIN.email);
    const role = (await env.app.strapi.db!.query('admin::role').findOne({
      where: { code: 'strapi-super-admin' },
    })) as { id: number };
    await activateStaff(env, env.registrationToken, {
      enforcement: 'optional',
      roles: [{ role: role.id, enforcement: 'required', graceLogins: 2 }],
    });
    await useUniversalPrompt(env.app.strapi, env.sandbox);
  });

  after(async () => {
    await env?.close();
  });

  it('"Set up Duo later" or "Continue to Duo" within the grace; enrolled, straight to Duo', async (t) => {
    const { page, sandbox } = env;
    const onPrompt = () =>
      page.waitForURL((url) => url.href.startsWith(`${sandbox.url}/oauth/v1/authorize`), { timeout: UI_TIMEOUT });
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card
        .getByText('Your role requires Duo. You may set it up later for 2 more sign-ins.')
        .waitFor({ timeout: UI_TIMEOUT });
      await card.getByRole('button', { name: 'Continue to Duo' }).waitFor({ timeout: UI_TIMEOUT });
      assert.equal(new URL(page.url()).pathname, STEP_PAGE_PATH, 'the tab waits for the choice');
      await card.getByRole('button', { name: 'Set up Duo later' }).click();
      await card.getByRole('status').filter({ hasText: 'Signed in without Duo.' }).waitFor({ timeout: UI_TIMEOUT });
      await expectSignedInAt(env);
      const held = await heldSession(page);
      assert.equal((await env.app.api('/admin/users/me', { token: held.token ?? '' })).status, 200);
      await signOutOfAdmin(env);

      await submitLoginForm(env, DEFAULT_ADMIN);
      const again = await expectStepPage(env);
      await again
        .getByText('Your role requires Duo. You may set it up later for 1 more sign-in.')
        .waitFor({ timeout: UI_TIMEOUT });
      await again.getByRole('button', { name: 'Continue to Duo' }).click();
      await onPrompt();
      await page.getByTestId('prompt-approve').click();
      await expectSignedInAt(env);
      await signOutOfAdmin(env);

      // Enrolled through Duo's prompt: no grace, the step page sends the tab to Duo at once.
      await submitLoginForm(env, DEFAULT_ADMIN);
      await onPrompt();
    });
  });
});
