import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Request } from 'playwright-core';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  addDuoUser,
  DEFAULT_ADMIN,
  heldSession,
  HOST,
  refreshCookie,
  screenshot,
  signOutOfAdmin,
  startStaffEnv,
  STEP_PAGE_PATH,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';
import { useUniversalPrompt } from '../helpers/universal-flow';

/*
 * The admin sign-in through Duo's Universal Prompt in Chromium: Strapi's own login form, the plugin's step page
 * sending the tab top level to Duo's prompt (the sandbox's page), Duo's redirect to the plugin's callback, back to
 * the step page, signed in at the page asked for, with Remember me kept. And a denial ends without a session.
 */

describe('Staff: the admin login through the Universal Prompt in Chromium', () => {
  let env: StaffBrowserEnv;
  const requested: string[] = [];

  before(async () => {
    env = await startStaffEnv();
    addDuoUser(env, DEFAULT_ADMIN.email);
    await activateStaff(env, env.registrationToken, { enforcement: 'required' });
    await useUniversalPrompt(env.app.strapi, env.sandbox);
    env.page.on('request', (request: Request) => requested.push(request.url()));
  });

  after(async () => {
    await env?.close();
  });

  /** The tab is on the sandbox's prompt page for this administrator. */
  async function expectPrompt(): Promise<void> {
    const { page, sandbox } = env;
    await page.waitForURL((url) => url.href.startsWith(`${sandbox.url}/oauth/v1/authorize`), { timeout: UI_TIMEOUT });
    await page.getByTestId('prompt-user').filter({ hasText: DEFAULT_ADMIN.email }).waitFor({ timeout: UI_TIMEOUT });
  }

  it('login form → Duo prompt → approved → the page asked for, remembered', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, { ...DEFAULT_ADMIN, rememberMe: true, startAt: '/settings/users' });
      await expectPrompt();
      assert.deepEqual(await heldSession(page), { where: null, token: null }, 'a session before Duo');
      await screenshot(page, 'staff-universal-prompt.png');
      await page.getByTestId('prompt-approve').click();
      await page.waitForURL((url) => url.pathname === '/admin/settings/users', { timeout: UI_TIMEOUT });
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor({ timeout: UI_TIMEOUT });

      const held = await heldSession(page);
      assert.equal(held.where, 'localStorage', 'Remember me: the token is not in localStorage');
      assert.equal((await env.app.api('/admin/users/me', { token: held.token ?? '' })).status, 200);
      if (HOST === 'v5') {
        const refresh = await refreshCookie(page);
        assert.ok(refresh !== undefined && refresh.httpOnly && refresh.expires > Date.now() / 1000);
      }
      // The step page was reached from Duo's callback, and its completion code left no trace in a URL it requested.
      assert.ok(requested.some((url) => new URL(url).pathname === '/duo-security/universal/callback'));
      assert.ok(requested.some((url) => new URL(url).pathname === STEP_PAGE_PATH));
      assert.ok(!requested.some((url) => url.includes('duo_completion')), 'a completion code in a requested URL');
      await signOutOfAdmin(env);
    });
  });

  it('Duo denies: the step page says so and offers the way back; no session', async (t) => {
    const { page, sandbox } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      sandbox.setOAuthSwitches({ denyRedirect: true });
      try {
        await submitLoginForm(env, DEFAULT_ADMIN);
        await expectPrompt();
        await page.getByTestId('prompt-deny').click();
        await page.waitForURL((url) => url.pathname === STEP_PAGE_PATH, { timeout: UI_TIMEOUT });
        const card = page.getByRole('main', { name: 'Two-factor authentication' });
        await card.getByText('Duo refused this sign-in.').waitFor({ timeout: UI_TIMEOUT });
        await page.getByRole('link', { name: 'Back to sign-in' }).waitFor();
        assert.equal(new URL(page.url()).hash, '', 'the outcome stays in neither the address bar nor the history');
        assert.deepEqual(await heldSession(page), { where: null, token: null }, 'a session after a denial');
      } finally {
        sandbox.setOAuthSwitches({ denyRedirect: false });
      }
    });
  });

  it('turning Duo off and on from "Two-factor (Duo)" goes through the prompt and back to the page', async (t) => {
    const { page } = env;
    const card = () => page.getByRole('region', { name: 'Duo two-factor authentication' });
    await withScreenshotOnFailure(page, t.name, async () => {
      const settings = env.app.strapi.plugin('duo-security').service('settings') as {
        update(update: object): Promise<unknown>;
      };
      await settings.update({ staff: { enforcement: 'optional' } });
      // Duo is on for this administrator since the first sign-in: the sign-in still goes through Duo.
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectPrompt();
      await page.getByTestId('prompt-approve').click();
      await page.waitForURL((url) => url.pathname.replace(/\/$/, '') === '/admin', { timeout: UI_TIMEOUT });
      await page.getByRole('navigation').getByRole('link', { name: 'Two-factor (Duo)' }).click();
      await card().getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });

      await card().getByRole('button', { name: 'Disable' }).click();
      await expectPrompt();
      await page.getByTestId('prompt-approve').click();
      await page.waitForURL((url) => url.pathname === '/admin/plugins/duo-security', { timeout: UI_TIMEOUT });
      await card().getByText('Off', { exact: true }).waitFor({ timeout: UI_TIMEOUT });

      const before = (await heldSession(page)).token;
      await card().getByRole('button', { name: 'Enable' }).click();
      await expectPrompt();
      await page.getByTestId('prompt-approve').click();
      // On again: a new first set of backup codes (Disable forgot the old ones), shown once on the step page.
      const codes = page.getByRole('list', { name: 'Your backup codes' });
      await codes.waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await codes.getByRole('listitem').count(), 10);
      await page.getByRole('button', { name: 'I saved them, continue' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/plugins/duo-security', { timeout: UI_TIMEOUT });
      await card().getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      // Still signed in after a reload, with a session that works. Strapi 4: the page holds the new token the
      // answer carried; Strapi 5 keeps the current access token until it renews it with the new refresh cookie.
      await page.reload();
      await card().getByText('On', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      const after = (await heldSession(page)).token;
      assert.equal((await env.app.api('/admin/users/me', { token: after ?? '' })).status, 200);
      if (HOST === 'v4') assert.notEqual(after, before, 'the token was not replaced');
    });
  });
});
