import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Request } from 'playwright-core';

import { withScreenshotOnFailure } from '../helpers/browser';
import { BACKUP_CODE } from '../helpers/client-answers';
import { expectNoRepeatedSentence } from '../helpers/page-text';
import {
  activateStaff,
  addDuoUser,
  adminToken,
  answerPushOnPhone,
  createAdmin,
  DEFAULT_ADMIN,
  expectSignedInAt,
  heldSession,
  HOST,
  expectStepPage,
  imageLoaded,
  phoneUser,
  refreshCookie,
  screenshot,
  SESSION_TOKEN_PLACE,
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

/** A wrong passcode that cannot be the right one. */
function wrongPasscode(right: string): string {
  return right === '123456' ? '654321' : '123456';
}

describe('Staff: the admin login with Duo (enforcement required) in Chromium', () => {
  let env: StaffBrowserEnv;
  /** Every URL the admin tab requested: the Duo step id must never be in one. */
  const requested: string[] = [];

  before(async () => {
    env = await startStaffEnv();
    addDuoUser(env, DEFAULT_ADMIN.email, { verifiedPush: true });
    await activateStaff(env, env.registrationToken, { enforcement: 'required' });
    env.page.on('request', (request: Request) => requested.push(request.url()));
  });

  after(async () => {
    await env?.close();
  });

  it('login form → Duo step → Verified Push approved on the virtual phone → dashboard', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card.getByText('Your password is correct. Finish signing in with Duo.').waitFor();
      const step = JSON.parse((await storageItem(page, 'sessionStorage', STEP_KEY)) ?? 'null') as {
        step: { id: string };
      } | null;
      assert.ok(step !== null, 'the glue left no step for the page');
      const stepId = step.step.id;

      // One phone that can do everything: push, call, SMS, passcodes.
      for (const name of ['Send Duo Push', 'Call me', 'Text me passcodes', 'Verify']) {
        await card.getByRole('button', { name }).waitFor();
      }
      await card.getByRole('button', { name: 'Send Duo Push' }).click();
      await card.getByRole('status').filter({ hasText: 'Duo Push sent. Approve it on your phone.' }).waitFor();
      const code = ((await card.getByLabel('Verified Push code').textContent()) ?? '').trim();
      assert.match(code, /^\d{6}$/, 'no Verified Push code on the step page');
      await card.getByText('Type this code in Duo Mobile').waitFor();
      await expectNoRepeatedSentence(card);
      await screenshot(page, 'staff-login-step.png');
      await phoneUser(env, DEFAULT_ADMIN.email).getByTestId('push').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(env.phone, 'staff-login-phone.png');
      await answerPushOnPhone(env, DEFAULT_ADMIN.email, 'Approve', code);

      await expectSignedInAt(env);
      // Strapi 4 greets with "Welcome …", Strapi 5 with "Hello <first name>".
      await page.getByRole('heading', { name: /^(Welcome(?! to Strapi)|Hello )/ }).waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await storageItem(page, 'sessionStorage', STEP_KEY), null, 'the step outlived the sign-in');
      const token = await adminToken(page);
      assert.ok(token !== null);
      assert.equal((await env.app.api('/admin/users/me', { token })).status, 200);
      assert.deepEqual(
        requested.filter((url) => url.includes(stepId)),
        [],
        'the step id went into a URL',
      );
      await screenshot(page, 'staff-login-dashboard.png');
      await signOutOfAdmin(env);
    });
  });

  it('a wrong passcode is refused with the attempts left; the right one signs in', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      const right = env.sandbox.currentPasscode(DEFAULT_ADMIN.email);
      await card.getByLabel('Passcode').fill(wrongPasscode(right));
      await card.getByRole('button', { name: 'Verify' }).click();
      await card.getByRole('alert').filter({ hasText: 'Incorrect passcode; 4 attempts left' }).waitFor();
      assert.equal(await card.getByLabel('Passcode').inputValue(), '', 'the wrong passcode stays in the field');
      await screenshot(page, 'staff-login-wrong-passcode.png');
      assert.equal(await adminToken(page), null);

      await card.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email));
      await card.getByRole('button', { name: 'Verify' }).click();
      await expectSignedInAt(env);
      await signOutOfAdmin(env);
    });
  });

  it('deny then retry in the same step: the buttons stay, a second push signs in without the password', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card.getByRole('button', { name: 'Send Duo Push' }).click();
      await answerPushOnPhone(env, DEFAULT_ADMIN.email, 'Deny');
      await card
        .getByRole('alert')
        .filter({
          hasText: 'Login request denied. Try again (2 more pushes or calls on this sign-in) or enter a passcode.',
        })
        .waitFor();
      // The step goes on: every way to verify is still offered, and the step is still in the tab.
      for (const name of ['Send Duo Push', 'Call me', 'Verify']) await card.getByRole('button', { name }).waitFor();
      assert.equal(await card.getByLabel('Passcode').isVisible(), true);
      assert.equal(await card.getByLabel('Verified Push code').isVisible(), false, 'the denied push code is gone');
      assert.notEqual(await storageItem(page, 'sessionStorage', STEP_KEY), null);
      assert.equal(await adminToken(page), null);
      await screenshot(page, 'staff-login-denied.png');

      await card.getByRole('button', { name: 'Send Duo Push' }).click();
      await card.getByRole('status').filter({ hasText: 'Duo Push sent. Approve it on your phone.' }).waitFor();
      assert.equal(await card.locator('#duo-problem').textContent(), '', 'the denial is cleared');
      const code = ((await card.getByLabel('Verified Push code').textContent()) ?? '').trim();
      await answerPushOnPhone(env, DEFAULT_ADMIN.email, 'Approve', code);
      await expectSignedInAt(env);
      await signOutOfAdmin(env);
    });
  });

  it('a push reported as fraud ends the step at once; Back to sign-in leads to the login form', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await expectStepPage(env);
      await card.getByRole('button', { name: 'Send Duo Push' }).click();
      await answerPushOnPhone(env, DEFAULT_ADMIN.email, 'Report fraud');
      await card
        .getByRole('alert')
        .filter({
          hasText: 'You reported the request as fraudulent, so the sign-in was refused. Sign in again to retry.',
        })
        .waitFor();
      // No way to go on with this step: only back.
      assert.equal(await card.getByRole('button', { name: 'Send Duo Push' }).isVisible(), false);
      assert.equal(await card.getByLabel('Passcode').isVisible(), false);
      assert.equal(await storageItem(page, 'sessionStorage', STEP_KEY), null);
      await screenshot(page, 'staff-login-fraud.png');

      await page.getByRole('link', { name: 'Back to sign-in' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });
      await page.getByRole('button', { name: 'Login' }).waitFor();
      assert.equal(await adminToken(page), null);
    });
  });

  it('Back to sign-in during a step closes it on the server', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectStepPage(env);
      const step = JSON.parse((await storageItem(page, 'sessionStorage', STEP_KEY)) ?? 'null') as {
        step: { id: string };
      };
      await page.getByRole('link', { name: 'Back to sign-in' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });
      const after = await env.app.api('/duo-security/step/status', { body: { step: step.step.id } });
      assert.equal(after.status, 400, JSON.stringify(after.body));
      assert.equal((after.body as { error: { name: string } }).error.name, 'DuoStepError');
    });
  });

  it('"Remember me" keeps the session in localStorage, else where Strapi keeps it; redirectTo is honoured', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      // Signed out, an admin page sends the browser to the login form with ?redirectTo=; Duo keeps it.
      await submitLoginForm(env, { ...DEFAULT_ADMIN, rememberMe: true, startAt: '/settings/users' });
      const card = await expectStepPage(env);
      await card.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email));
      await card.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/settings/users', { timeout: UI_TIMEOUT });
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor({ timeout: UI_TIMEOUT });
      const remembered = await heldSession(page);
      assert.equal(remembered.where, 'localStorage', 'Remember me: the token is not in localStorage');
      if (HOST === 'v4') {
        assert.ok((await storageItem(page, 'localStorage', 'userInfo')) !== null, 'no userInfo in localStorage');
      } else {
        // Strapi 5: the session outlives the browser (an expiring httpOnly refresh cookie), as without Duo.
        const refresh = await refreshCookie(page);
        assert.ok(refresh !== undefined && refresh.httpOnly, 'no httpOnly refresh cookie');
        assert.ok(refresh.expires > Date.now() / 1000, `a browser-session refresh cookie with Remember me`);
      }
      await signOutOfAdmin(env);

      // Without Remember me: where Strapi keeps it. A redirectTo that leaves the admin is not followed.
      await page.goto(`${env.app.baseUrl}/admin/auth/login?redirectTo=${encodeURIComponent('//evil.example/x')}`);
      await page.getByLabel('Email').fill(DEFAULT_ADMIN.email);
      await page.locator('input[name="password"]').fill(DEFAULT_ADMIN.password);
      await page.getByRole('button', { name: 'Login' }).click();
      const again = await expectStepPage(env);
      await again.getByLabel('Passcode').fill(env.sandbox.currentPasscode(DEFAULT_ADMIN.email));
      await again.getByRole('button', { name: 'Verify' }).click();
      await expectSignedInAt(env);
      assert.equal(new URL(page.url()).origin, env.app.baseUrl);
      const held = await heldSession(page);
      assert.equal(held.where, SESSION_TOKEN_PLACE, `the token is in ${held.where}`);
      assert.equal((await env.app.api('/admin/users/me', { token: held.token ?? '' })).status, 200);
      if (HOST === 'v5') {
        const refresh = await refreshCookie(page);
        assert.ok(refresh !== undefined && refresh.httpOnly, 'no httpOnly refresh cookie');
        assert.equal(refresh.expires, -1, 'without Remember me the refresh cookie must end with the browser');
      }
      // The admin keeps working past the access token: it renews through the refresh cookie (Strapi 5) as usual.
      await page.reload();
      await expectSignedInAt(env);
      await signOutOfAdmin(env);
    });
  });

  it('too many wrong passcodes lock the step out, with a clear message', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      const admin = await createAdmin(env, 'lockout');
      addDuoUser(env, admin.email);
      await submitLoginForm(env, admin);
      const card = await expectStepPage(env);
      const wrong = wrongPasscode(env.sandbox.currentPasscode(admin.email));
      for (const left of [4, 3, 2, 1]) {
        await card.getByLabel('Passcode').fill(wrong);
        await card.getByRole('button', { name: 'Verify' }).click();
        await card
          .getByRole('alert')
          .filter({ hasText: `${left} attempt${left === 1 ? '' : 's'} left` })
          .waitFor();
      }
      await card.getByLabel('Passcode').fill(wrong);
      await card.getByRole('button', { name: 'Verify' }).click();
      await card.getByRole('alert').filter({ hasText: 'too many attempts' }).waitFor();
      assert.equal(await card.getByLabel('Passcode').isVisible(), false);
      await screenshot(page, 'staff-login-locked.png');
      assert.equal(await adminToken(page), null);
    });
  });

  it('an administrator Duo does not know enrols inside the step (QR code, activation), then approves', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      const admin = await createAdmin(env, 'newcomer');
      await submitLoginForm(env, admin);
      const card = await expectStepPage(env);
      await card.getByText('Your account must use Duo. Set up Duo Mobile, then approve one sign-in.').waitFor();
      await card.getByRole('heading', { name: 'Set up Duo Mobile' }).waitFor();
      const qr = card.getByRole('img', { name: 'QR code to activate Duo Mobile' });
      await qr.waitFor({ timeout: UI_TIMEOUT });
      // The image really loaded: the step page's own Content-Security-Policy allows Duo's host (the sandbox).
      await waitUntil('the QR code image loaded', imageLoaded(qr));
      const link = card.getByRole('link', { name: 'Activate Duo Mobile on this phone' });
      assert.ok((await link.getAttribute('href'))?.startsWith(`${env.sandbox.url}/activate/`));
      const code = ((await page.locator('#duo-activation-code').textContent()) ?? '').trim();
      assert.ok(code !== '', 'no activation code');
      await card.getByRole('status').filter({ hasText: 'Waiting for Duo Mobile to be activated' }).waitFor();
      await expectNoRepeatedSentence(card);
      assert.equal(await card.getByRole('button', { name: 'Send Duo Push' }).isVisible(), false);
      await screenshot(page, 'staff-login-enroll.png');

      const activation = phoneUser(env, admin.email).getByTestId('activation').filter({ hasText: code });
      await activation.getByRole('button', { name: 'Complete activation' }).click({ timeout: UI_TIMEOUT });
      await card.getByRole('status').filter({ hasText: 'Duo Mobile is activated' }).waitFor({ timeout: UI_TIMEOUT });
      await expectNoRepeatedSentence(card);
      await card.getByRole('button', { name: 'Send Duo Push' }).click();
      await answerPushOnPhone(env, admin.email, 'Approve');
      // Duo is on now: the first backup codes, shown this once, before the page goes on to the admin.
      const codes = card.getByRole('list', { name: 'Your backup codes' }).getByRole('listitem');
      await codes.first().waitFor({ timeout: UI_TIMEOUT });
      const shown = await codes.allTextContents();
      assert.equal(shown.length, 10);
      for (const one of shown) assert.match(one, BACKUP_CODE);
      assert.equal(
        await card.getByRole('link', { name: 'Download as text' }).getAttribute('download'),
        'duo-backup-codes.txt',
      );
      await screenshot(page, 'staff-login-enroll-backup-codes.png');
      assert.match(page.url(), /\/duo-security\/login/, 'still on the step page');
      await card.getByRole('button', { name: 'I saved them, continue' }).click();
      await expectSignedInAt(env);
      await signOutOfAdmin(env);
    });
  });

  it('should the hand-off fail, the login form says Duo is required and nothing signs in', async (t) => {
    const { page, browser } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      // A browser that refuses sessionStorage writes: the glue cannot hand the step over.
      const blocked = await browser.context.newPage();
      await blocked.addInitScript(`(() => {
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          if (key === ${JSON.stringify(STEP_KEY)}) throw new Error('blocked');
          return setItem.call(this, key, value);
        };
      })();`);
      const isolated = { ...env, page: blocked };
      await submitLoginForm(isolated, DEFAULT_ADMIN);
      await blocked
        .getByRole('alert')
        .filter({ hasText: 'Two-factor authentication with Duo is required to finish signing in' })
        .waitFor({ timeout: UI_TIMEOUT });
      assert.equal(new URL(blocked.url()).pathname, '/admin/auth/login');
      assert.notEqual(new URL(blocked.url()).pathname, STEP_PAGE_PATH);
      assert.equal(await adminToken(blocked), null);
      await blocked.close();
    });
  });

  it('logged no script errors or Content-Security-Policy violations', () => {
    assert.deepEqual(env.pageErrors, []);
  });
});
