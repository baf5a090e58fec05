import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, withScreenshotOnFailure, type BrowserSession } from '../helpers/browser';
import { ensureHostAdminBuild } from '../helpers/staff-browser';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { DEFAULT_ADMIN, registerFirstAdmin } from '../helpers/users';

describe('the admin panel with the plugin built in', () => {
  let app: BootedStrapi;
  let browser: BrowserSession;

  before(async () => {
    // Rebuilds only when the plugin's admin sources or the playground config changed.
    const build = await ensureHostAdminBuild();
    if (build.built) console.info(`admin build: ${(build.ms / 1000).toFixed(1)} s (${build.reason})`);
    app = await bootStrapi({ serveAdminPanel: true });
    await registerFirstAdmin(app.api);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('logs an administrator in through the login form and shows the home page', async (t) => {
    const { page } = browser;
    await withScreenshotOnFailure(page, t.name, async () => {
      const pageErrors: string[] = [];
      const pluginConsoleMessages: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        const severe = message.type() === 'error' || message.type() === 'warning';
        if (severe && /duo/i.test(message.text())) pluginConsoleMessages.push(message.text());
      });

      await page.goto(`${app.baseUrl}/admin`);
      await page.getByLabel('Email').fill(DEFAULT_ADMIN.email);
      // The label reads "Password*" (required marker), and the show/hide button is labelled too.
      await page.locator('input[name="password"]').fill(DEFAULT_ADMIN.password);
      await page.getByRole('button', { name: 'Login' }).click();

      await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth/'), { timeout: 30_000 });
      // The login page says "Welcome to Strapi!"; the home page says "Welcome 👋" / "Welcome on board 👋" on
      // Strapi 4, "Hello <first name>" on Strapi 5.
      await page.getByRole('heading', { name: /^(Welcome(?! to Strapi)|Hello )/ }).waitFor({ timeout: 30_000 });
      assert.ok(
        await page.getByRole('navigation').getByRole('link', { name: 'Content Manager' }).isVisible(),
        'the main navigation is not visible',
      );
      assert.equal(new URL(page.url()).pathname.replace(/\/$/, ''), '/admin');
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(pluginConsoleMessages, [], 'the plugin logged warnings or errors in the browser');
    });
  });
});
