import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { launchBrowser, withScreenshotOnFailure, type BrowserSession } from '../helpers/browser';
import { clientDuoUsername } from '../helpers/clients-harness';
import { activateDuo } from '../helpers/duo-setup';
import { bootStrapi, REPO_ROOT, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); ordinary runs keep the tree clean.
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
  ? join(REPO_ROOT, 'docs', 'screenshots')
  : join(REPO_ROOT, 'test-results', 'screenshots');
const UI_TIMEOUT = 30_000;
const CLIENT = { username: 'webclient', email: 'webclient@example.com', password: 'Client-Passw0rd' };
// The page keeps the users-permissions session here (see playground/public/client/app.js).
const SESSION_KEY = 'duo-example-client';

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.waitForTimeout(300);
  // The viewport (1280×900), not the full page: the pictures show what the user sees.
  await page.screenshot({ path: join(SCREENSHOT_DIR, name) });
}

/** The JWT the page holds, or null. (String expressions: the tests compile without the DOM typings.) */
async function pageJwt(page: Page): Promise<string | null> {
  const raw = (await page.evaluate(`window.sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`)) as string | null;
  return raw === null ? null : (JSON.parse(raw) as { jwt: string }).jwt;
}

describe('The playground client page (public/client) in Chromium', () => {
  let sandbox: DuoSandbox;
  let app: BootedStrapi;
  let browser: BrowserSession;
  let page: Page;
  let phone: Page;
  const pageErrors: string[] = [];

  const region = (name: string): Locator => page.getByRole('region', { name, exact: true });
  const duoStep = (): Locator => region("Verify it's you");
  /** What Duo knows the client as: the plugin maps clients by id (known once the page has registered them). */
  let duoName = '';
  const phoneUser = (): Locator => phone.locator(`[data-testid="user"][data-username="${duoName}"]`);

  async function signIn(): Promise<void> {
    const form = region('Sign in');
    await form.getByLabel('Email or username').fill(CLIENT.email);
    await form.getByLabel('Password').fill(CLIENT.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    await region('Signed in').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
    assert.equal(await pageJwt(page), null);
  }

  /** The Duo step is up after a correct password, and nothing signed-in shows yet: no token, no e-mail. */
  async function expectDuoStepOnly(): Promise<void> {
    await duoStep().waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await region('Signed in').isVisible(), false, 'signed in before Duo');
    assert.equal(await page.getByText(CLIENT.email).count(), 0, "the user's e-mail shows before Duo");
    assert.equal(await pageJwt(page), null, 'the page holds a token before Duo');
  }

  async function expectSignedIn(): Promise<string> {
    const account = region('Signed in');
    await account.waitFor({ timeout: UI_TIMEOUT });
    await account.getByText(`Signed in as ${CLIENT.username} (${CLIENT.email}).`).waitFor();
    assert.equal(await duoStep().isVisible(), false);
    const jwt = await pageJwt(page);
    assert.ok(jwt, 'the page holds no token');
    return jwt;
  }

  /** Sends a push from the page, then approves it on the virtual phone, typing the Verified Push code if shown. */
  async function pushAndApproveOnPhone(options: {
    verifiedPush: boolean;
    beforeApprove?: () => Promise<void>;
  }): Promise<void> {
    const step = duoStep();
    await step.getByRole('button', { name: 'Send Duo Push' }).click();
    await step.getByRole('status').filter({ hasText: 'Duo Push sent. Approve it on your phone.' }).waitFor();
    const push = phoneUser().getByTestId('push');
    await push.waitFor({ timeout: UI_TIMEOUT });
    if (options.verifiedPush) {
      const code = (await step.getByLabel('Verified Push code').textContent()) ?? '';
      assert.match(code, /^\d{6}$/, 'no Verified Push code on the page');
      await step.getByText('Type this code in Duo Mobile').waitFor();
      await push.getByTestId('verification-code').fill(code);
    } else {
      assert.equal(await step.getByText('Type this code in Duo Mobile').isVisible(), false);
    }
    await options.beforeApprove?.();
    await push.getByRole('button', { name: 'Approve' }).click();
  }

  async function meWith(jwt: string) {
    return app.api('/api/duo-security/me', { token: jwt });
  }

  before(async () => {
    sandbox = await startDuoSandbox({ port: 0 });
    // DUO_SANDBOX_URL puts the sandbox in the playground's img-src, for the activation QR image.
    app = await bootStrapi({ env: { DUO_SANDBOX_URL: sandbox.url } });
    const adminToken = await registerFirstAdmin(app.api);
    await activateDuo(app, adminToken, sandbox, { clients: { enabled: true } });
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Chromium reports every 4xx as "Failed to load resource": the Duo step answers 400 on purpose. Anything
    // else (a CSP violation, a script error) is a failure.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    phone = await browser.context.newPage();
    await phone.goto(`${sandbox.url}/phone`);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await sandbox?.close();
  });

  it('is served from playground/public/client with a Content-Security-Policy that lets it run', async () => {
    for (const path of ['/client/', '/client', '/client/index.html']) {
      const response = await fetch(`${app.baseUrl}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await response.text(), /<script src="\/client\/app\.js" defer><\/script>/);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'[;]/, csp);
      const imgSrc = csp.split(';').find((d) => d.trim().startsWith('img-src')) ?? '';
      assert.ok(imgSrc.includes('https://*.duosecurity.com'), imgSrc);
      assert.ok(imgSrc.includes(sandbox.url), imgSrc);
    }
    const script = await fetch(`${app.baseUrl}/client/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it('registers a client, who starts with two-factor authentication off', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      await page.goto(`${app.baseUrl}/client/`);
      const form = region('Register');
      await form.getByLabel('Username').fill(CLIENT.username);
      await form.getByLabel('Email').fill(CLIENT.email);
      await form.getByLabel('Password').fill(CLIENT.password);
      await form.getByRole('button', { name: 'Create account' }).click();

      await expectSignedIn();
      const { id } = (await app.strapi.db!.query('plugin::users-permissions.user').findOne({
        where: { email: CLIENT.email },
      })) as { id: number };
      duoName = clientDuoUsername(id);
      const security = region('Security Settings');
      await security.getByRole('heading', { name: 'Two-Factor Authentication' }).waitFor();
      await security.getByText('Off', { exact: true }).waitFor();
      await security.getByRole('button', { name: 'Enable' }).waitFor();
      assert.equal(await security.getByRole('button', { name: 'Disable' }).isVisible(), false);
    });
  });

  it('enables Duo: QR code, activation on the virtual phone, one approved push; the old session ends', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      const registrationJwt = await pageJwt(page);
      assert.ok(registrationJwt);
      await region('Security Settings').getByRole('button', { name: 'Enable' }).click();

      const step = duoStep();
      await step.waitFor();
      await step.getByRole('heading', { name: 'Set up Duo Mobile' }).waitFor();
      const qr = step.getByRole('img', { name: 'QR code to activate Duo Mobile' });
      await qr.waitFor({ timeout: UI_TIMEOUT });
      // The image really loaded: the Content-Security-Policy allows Duo's host (here the sandbox).
      await page.waitForFunction(
        "document.getElementById('duo-qr').complete && document.getElementById('duo-qr').naturalWidth > 0",
      );
      assert.ok((await qr.getAttribute('src'))?.startsWith(`${sandbox.url}/frame/qr?`));
      const link = step.getByRole('link', { name: 'Activate Duo Mobile on this phone' });
      assert.ok((await link.getAttribute('href'))?.startsWith(`${sandbox.url}/activate/`));
      const code = ((await step.locator('#duo-activation-code').textContent()) ?? '').trim();
      assert.ok(code.length > 0, 'no activation code');
      await step.getByRole('status').filter({ hasText: 'Waiting for Duo Mobile to be activated' }).waitFor();
      assert.equal(await step.getByRole('button', { name: 'Send Duo Push' }).isVisible(), false);
      await screenshot(page, 'client-enroll-qr.png');

      // The phone scans the code: on the virtual phone, the activation the page shows.
      const activation = phoneUser().getByTestId('activation').filter({ hasText: code });
      await activation.getByRole('button', { name: 'Complete activation' }).click({ timeout: UI_TIMEOUT });

      // The page notices by itself and turns into a normal Duo check.
      await step.getByRole('status').filter({ hasText: 'Duo Mobile is activated' }).waitFor({ timeout: UI_TIMEOUT });
      await step.getByRole('heading', { name: 'Set up Duo Mobile' }).waitFor({ state: 'hidden' });
      await pushAndApproveOnPhone({ verifiedPush: false });

      await page
        .getByRole('status')
        .filter({ hasText: 'Two-factor authentication is on: Duo will protect your next sign-ins.' })
        .waitFor({ timeout: UI_TIMEOUT });
      // The plugin ends sessions from before Duo was turned on, and hands the page a Duo-claimed token instead.
      assert.equal((await meWith(registrationJwt)).status, 401);
      const renewed = await pageJwt(page);
      assert.ok(renewed !== null && renewed !== registrationJwt);
      const me = await meWith(renewed);
      assert.equal(me.status, 200);
      assert.equal((me.body as { data: { enabled: boolean } }).data.enabled, true);
      await region('Signed in').getByRole('button', { name: 'Sign out' }).click();
      await region('Sign in').waitFor({ timeout: UI_TIMEOUT });
    });
  });

  it('signs in with a Verified Push approved on the virtual phone, and only then shows the account', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      sandbox.updateUser(duoName, { verifiedPush: true });
      await signIn();
      await expectDuoStepOnly();
      const step = duoStep();
      await step.getByText('Your password is correct. Finish signing in with Duo.').waitFor();
      const device = step.getByLabel('Device');
      assert.equal(await device.locator('option').count(), 1);
      for (const name of ['Send Duo Push', 'Verify', 'Cancel']) {
        await step.getByRole('button', { name }).waitFor();
      }
      // Duo Mobile activated by QR code has no phone number: push and passcodes only, so no call or SMS offered.
      assert.equal(await step.getByRole('button', { name: 'Call me' }).isVisible(), false);
      assert.equal(await step.getByRole('button', { name: 'Text me passcodes' }).isVisible(), false);

      await pushAndApproveOnPhone({
        verifiedPush: true,
        beforeApprove: () => screenshot(page, 'client-duo-step.png'),
      });

      const jwt = await expectSignedIn();
      const me = await meWith(jwt);
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.deepEqual((me.body as { data: { enabled: boolean } }).data.enabled, true);
      await region('Security Settings')
        .getByText(/^On: Duo protects your sign-ins\./)
        .waitFor();
      await screenshot(page, 'client-signed-in.png');
      await signOut();
    });
  });

  it('a denied push leaves the step open for another way; a fraud report ends it; so does Cancel', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      await signIn();
      await expectDuoStepOnly();
      await duoStep().getByRole('button', { name: 'Send Duo Push' }).click();
      const push = phoneUser().getByTestId('push');
      await push.getByRole('button', { name: 'Deny' }).click({ timeout: UI_TIMEOUT });
      await page
        .getByRole('alert')
        .filter({ hasText: 'Login request denied. Try again (2 more pushes or calls left) or enter a passcode.' })
        .waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await duoStep().isVisible(), true, 'the step stays for another push, a call or a passcode');
      assert.equal(await pageJwt(page), null);

      await duoStep().getByRole('button', { name: 'Send Duo Push' }).click();
      await phoneUser()
        .getByTestId('push')
        .getByRole('button', { name: 'Report fraud' })
        .click({ timeout: UI_TIMEOUT });
      await page
        .getByRole('alert')
        .filter({ hasText: 'You reported the request as fraudulent, so it was refused. Sign in again to retry.' })
        .waitFor({ timeout: UI_TIMEOUT });
      await region('Sign in').waitFor();
      assert.equal(await duoStep().isVisible(), false);
      assert.equal(await pageJwt(page), null);

      await signIn();
      await expectDuoStepOnly();
      await duoStep().getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('status').filter({ hasText: 'Sign-in cancelled.' }).waitFor();
      await region('Sign in').waitFor();
      assert.equal(await pageJwt(page), null);
    });
  });

  it('signs in with a passcode after a wrong one', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      await signIn();
      await expectDuoStepOnly();
      const step = duoStep();
      const passcode = step.getByLabel('Passcode');
      const right = sandbox.currentPasscode(duoName);
      await passcode.fill(right === '123456' ? '654321' : '123456');
      await step.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').filter({ hasText: 'Incorrect passcode; 4 attempts left' }).waitFor();
      assert.equal(await pageJwt(page), null);
      assert.equal(await step.isVisible(), true);

      await passcode.fill(sandbox.currentPasscode(duoName));
      await step.getByRole('button', { name: 'Verify' }).click();
      const jwt = await expectSignedIn();
      assert.equal((await meWith(jwt)).status, 200);
      assert.equal(await page.getByText('Incorrect passcode').count(), 0, 'a stale error stays on the page');
    });
  });

  it('disables Duo with a fresh verification; the next sign-in needs no Duo', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      const security = region('Security Settings');
      await security.getByText('Turning it off asks for a Duo verification first.').waitFor();
      await screenshot(page, 'client-security-settings.png');
      await security.getByRole('button', { name: 'Disable' }).click();

      const step = duoStep();
      await step.getByText('To turn off two-factor authentication, verify with Duo once more.').waitFor();
      await pushAndApproveOnPhone({ verifiedPush: true });

      await page.getByRole('status').filter({ hasText: 'Two-factor authentication is off.' }).waitFor();
      await security.getByText('Off', { exact: true }).waitFor();
      await security.getByRole('button', { name: 'Enable' }).waitFor();
      const jwt = await pageJwt(page);
      assert.ok(jwt);
      const me = await meWith(jwt);
      assert.equal((me.body as { data: { enabled: boolean } }).data.enabled, false, JSON.stringify(me.body));

      await signOut();
      await signIn();
      await expectSignedIn();
      assert.deepEqual(pageErrors, []);
    });
  });
});
