import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
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
 * A required role's grace period in Chromium (issue 16, item 3): an administrator without Duo whose role requires it
 * with a grace of one sign-in sees how much is left on the step page, signs in with "Set up Duo later" once, and
 * the next time is offered only the enrolment.
 */

describe('Staff: postponing enrolment in Chromium', () => {
  let env: StaffBrowserEnv;

  before(async () => {
    env = await startStaffEnv();
    const role = (await env.app.strapi.db!.query('admin::role').findOne({
      where: { code: 'strapi-super-admin' },
    })) as { id: number };
    // Duo (the sandbox) does not know the administrator: the step is the enrolment.
    await activateStaff(env, env.registrationToken, {
      enforcement: 'optional',
      roles: [{ role: role.id, enforcement: 'required', graceLogins: 1 }],
    });
  });

  after(async () => {
    await env?.close();
  });

  it('"Set up Duo later" signs in within the grace, and is not offered once it is used up', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card
        .getByText('Your role requires Duo. You may set it up later for 1 more sign-in.')
        .waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'staff-login-grace.png');
      await card.getByRole('button', { name: 'Set up Duo later' }).click();
      await card.getByRole('status').filter({ hasText: 'Signed in without Duo.' }).waitFor({ timeout: UI_TIMEOUT });
      await expectSignedInAt(env);
      const held = await heldSession(page);
      assert.equal((await env.app.api('/admin/users/me', { token: held.token ?? '' })).status, 200);
      await signOutOfAdmin(env);

      await submitLoginForm(env, DEFAULT_ADMIN);
      const again = await expectStepPage(env);
      await again
        .getByText('Your account must use Duo. Set up Duo Mobile, then approve one sign-in.')
        .waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await again.getByRole('button', { name: 'Set up Duo later' }).isVisible(), false);
    });
  });
});
