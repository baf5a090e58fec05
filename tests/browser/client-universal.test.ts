import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { launchBrowser, withScreenshotOnFailure, type BrowserSession } from '../helpers/browser';
import { clientDuoUsername, newCredentials } from '../helpers/clients-harness';
import { activateDuo } from '../helpers/duo-setup';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { useUniversalPrompt } from '../helpers/universal-flow';
import { registerFirstAdmin } from '../helpers/users';

/*
 * The playground client page (playground/public/client) under Duo's Universal Prompt, in Chromium: a client who must
 * use Duo signs in, the whole tab goes to Duo's prompt (the sandbox's page), and comes back through the plugin's
 * callback to the page, which trades the completion code for the session; a denied prompt leaves no session.
 */

const UI_TIMEOUT = 30_000;
// What the page keeps (see playground/public/client/app.js and universal.js).
const SESSION_KEY = 'duo-example-client';
const PENDING_KEY = 'duo-example-universal';

describe('The playground client page under Duo Universal Prompt, in Chromium', () => {
  let sandbox: DuoSandbox;
  let app: BootedStrapi;
  let browser: BrowserSession;
  let page: Page;
  let pageUrl = '';
  const client = newCredentials('webup');
  let duoName = '';
  const pageErrors: string[] = [];

  const region = (name: string): Locator => page.getByRole('region', { name, exact: true });
  const stored = async (key: string) =>
    (await page.evaluate(`window.sessionStorage.getItem(${JSON.stringify(key)})`)) as string | null;

  async function signIn(): Promise<void> {
    await page.goto(pageUrl);
    const form = region('Sign in');
    await form.getByLabel('Email or username').fill(client.email);
    await form.getByLabel('Password').fill(client.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    // The whole tab is at Duo's prompt now (no iframe, no fetch): the sandbox's page, for this Duo user.
    await page.waitForURL((url) => url.href.startsWith(`${sandbox.url}/oauth/v1/authorize`), { timeout: UI_TIMEOUT });
    assert.equal(await page.getByTestId('prompt-user').textContent(), duoName);
  }

  /** Back on the page, its URL carries no fragment any more (no completion code left in history). */
  async function backOnPage(): Promise<void> {
    await page.waitForURL((url) => url.href === pageUrl, { timeout: UI_TIMEOUT });
    assert.equal(await stored(PENDING_KEY), null, 'the kept step outlived the way back');
  }

  before(async () => {
    sandbox = await startDuoSandbox({ port: 0 });
    app = await bootStrapi({ env: { DUO_SANDBOX_URL: sandbox.url } });
    const adminToken = await registerFirstAdmin(app.api);
    await activateDuo(app, adminToken, sandbox, { clients: { enabled: true, enforcement: 'required' } });
    pageUrl = `${app.baseUrl}/client/`;
    await useUniversalPrompt(app.strapi, sandbox, [pageUrl]);
    // Registering under enforcement `required` creates the account and answers Duo's step: no token yet.
    const registered = await app.api('/api/auth/local/register', { body: client });
    assert.equal(registered.status, 400, JSON.stringify(registered.body));
    const { id } = (await app.strapi.db!.query('plugin::users-permissions.user').findOne({
      where: { email: client.email },
    })) as { id: number };
    duoName = clientDuoUsername(id);
    sandbox.addUser({ username: duoName });

    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Chromium reports every 4xx as "Failed to load resource" (the sign-in answers 400 on purpose); anything else
    // (a CSP violation, a script error) is a failure.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await sandbox?.close();
  });

  it("signs in: the password, Duo's prompt approved, back on the page signed in", async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      await signIn();
      await page.getByTestId('prompt-approve').click();
      await backOnPage();
      const account = region('Signed in');
      await account.getByText(`Signed in as ${client.username} (${client.email}).`).waitFor({ timeout: UI_TIMEOUT });
      const session = JSON.parse((await stored(SESSION_KEY)) ?? 'null') as { jwt: string } | null;
      assert.ok(session?.jwt, 'the page holds no token');
      assert.equal((await app.api('/api/duo-security/me', { token: session.jwt })).status, 200);

      // A reload signs nothing in again: the completion code is gone from the URL, and it worked once anyway.
      await account.getByRole('button', { name: 'Sign out' }).click();
      await page.reload();
      await region('Sign in').waitFor();
      assert.equal(await stored(SESSION_KEY), null);
    });
  });

  it('a denied prompt: the reason on the page, no session', async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      sandbox.setOAuthSwitches({ denyRedirect: true });
      try {
        await signIn();
        await page.getByTestId('prompt-deny').click();
        await backOnPage();
      } finally {
        sandbox.setOAuthSwitches({ denyRedirect: false });
      }
      await page.getByRole('alert').filter({ hasText: 'The user did not approve the login.' }).waitFor();
      await region('Sign in').waitFor();
      assert.equal(await region('Signed in').isVisible(), false);
      assert.equal(await stored(SESSION_KEY), null, 'a session after a denied prompt');
    });
  });

  it("shows a return's error description as text, and follows no authorize URL but http(s)", async (t) => {
    await withScreenshotOnFailure(page, t.name, async () => {
      const markup = '<img src=x onerror="window.hacked=1">Denied';
      // A fresh load (from the page itself a fragment change would not run the page's script again).
      await page.goto('about:blank');
      await page.goto(`${pageUrl}#duo_error=denied&duo_error_description=${encodeURIComponent(markup)}`);
      await page.getByRole('alert').filter({ hasText: markup }).waitFor();
      assert.equal(await page.locator('#problem img').count(), 0);
      assert.equal(await page.evaluate('window.hacked === undefined'), true);
      assert.equal(page.url(), pageUrl, 'the fragment is cleared from the URL');

      for (const authorizeUrl of ['javascript:alert(1)', 'http://duo.example/oauth/v1/authorize', 'data:text/html,x']) {
        const refused = await page.evaluate(
          `window.duoUniversal.leaveForDuo('login', { step: { id: 'x' }, duo: { result: 'universal', authorizeUrl: ${JSON.stringify(authorizeUrl)} } })`,
        );
        assert.equal(typeof refused, 'string', authorizeUrl);
        assert.equal(page.url(), pageUrl, authorizeUrl);
        assert.equal(await stored(PENDING_KEY), null, authorizeUrl);
      }
      assert.deepEqual(pageErrors, []);
    });
  });
});
