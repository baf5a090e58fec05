import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Page } from 'playwright-core';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { expectPageRefused, openSettingsLink } from '../helpers/admin-pages';
import { launchBrowser, overflowingInSections, withScreenshotOnFailure, type BrowserSession } from '../helpers/browser';
import { ensureHostAdminBuild } from '../helpers/staff-browser';
import { bootStrapi, REPO_ROOT, type BootedStrapi } from '../helpers/strapi';
import { DEFAULT_ADMIN, registerFirstAdmin } from '../helpers/users';

// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); ordinary runs keep the tree clean.
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
  ? join(REPO_ROOT, 'docs', 'screenshots')
  : join(REPO_ROOT, 'test-results', 'screenshots');
// 40 letters and digits, so it passes the form's and the server's format checks and only Duo can refuse it.
const WRONG_SECRET = 'WrongSecretKeyWrongSecretKeyWrongSecret0';
const UI_TIMEOUT = 30_000;

interface SettingsView {
  settings: {
    activated: boolean;
    integrationKey: string;
    apiHostname: string;
    secretKeySet: boolean;
    staff: { enabled: boolean; enforcement: string; failMode: string; usernameSource: string };
    clients: { enabled: boolean };
  };
  lockedFields: string[];
  connection: { ok: boolean; outcome: string; clockOffsetMs?: number } | null;
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let notifications and the loader settle so the picture shows the page, not a transition.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin`);
  await page.getByLabel('Email').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth/'), { timeout: UI_TIMEOUT });
}

/** Settings in the main menu, then the plugin's link in the settings menu: the way an administrator gets there. */
async function openDuoSettings(page: Page): Promise<void> {
  await openSettingsLink(page, 'Duo Security');
  await page.getByRole('heading', { level: 1, name: 'Duo Security' }).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(new URL(page.url()).pathname, '/admin/settings/duo-security');
}

interface AdminUser {
  email: string;
  password: string;
}

/** An administrator with one custom role holding exactly `actions`, created through the admin API. */
async function createAdminWithActions(
  app: BootedStrapi,
  superToken: string,
  name: string,
  actions: readonly string[],
): Promise<AdminUser> {
  const role = await app.api('/admin/roles', {
    token: superToken,
    body: { name, description: `${name} (browser test)` },
  });
  assert.equal(role.status, 201, JSON.stringify(role.body));
  const roleId = (role.body as { data: { id: number } }).data.id;
  const permissions = await app.api(`/admin/roles/${roleId}/permissions`, {
    method: 'PUT',
    token: superToken,
    body: { permissions: actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })) },
  });
  assert.equal(permissions.status, 200, JSON.stringify(permissions.body));

  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const user: AdminUser = { email: `${slug}@example.com`, password: 'Viewer-Passw0rd' };
  const created = await app.api('/admin/users', {
    token: superToken,
    body: { firstname: name, lastname: 'Tester', email: user.email, roles: [roleId] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const registrationToken = (created.body as { data: { registrationToken: string } }).data.registrationToken;
  const registered = await app.api('/admin/register', {
    body: { registrationToken, userInfo: { firstname: name, lastname: 'Tester', password: user.password } },
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  return user;
}

describe('Settings → Duo Security in Chromium', () => {
  let sandbox: DuoSandbox;
  let app: BootedStrapi;
  let token: string;
  let browser: BrowserSession;
  const pageErrors: string[] = [];

  const getSettings = async (): Promise<SettingsView> => {
    const response = await app.api('/duo-security/settings', { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body as { data: SettingsView }).data;
  };

  before(async () => {
    const build = await ensureHostAdminBuild();
    if (build.built) console.info(`admin build: ${(build.ms / 1000).toFixed(1)} s (${build.reason})`);
    sandbox = await startDuoSandbox({ port: 0 });
    app = await bootStrapi({ serveAdminPanel: true });
    token = await registerFirstAdmin(app.api);
    browser = await launchBrowser();
    browser.page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await sandbox?.close();
  });

  it('activates Duo with the sandbox keys and shows the connection result', async (t) => {
    const { page } = browser;
    await withScreenshotOnFailure(page, t.name, async () => {
      await signIn(page, app.baseUrl, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
      await openDuoSettings(page);

      // Not activated: the card, its Activate button, and no form yet.
      const card = page.getByRole('region', { name: 'Duo Security' });
      await card.getByText('Not activated').waitFor();
      await card.getByText(/an Auth API application, which gives the Integration Key/).waitFor();
      assert.equal(await page.getByLabel('Integration Key').count(), 0, 'the form shows before Activate');
      assert.equal(await page.getByRole('button', { name: 'Save Changes' }).count(), 0);

      await card.getByRole('button', { name: 'Activate' }).click();
      // The form checks the keys before anything is sent; the messages sit under the fields.
      await page.getByRole('button', { name: 'Save Changes' }).click();
      await page.getByText('Enter the Integration Key from the Duo Admin Panel.').waitFor();
      await page.getByText('Enter the Secret Key from the Duo Admin Panel.').waitFor();
      await page.getByText('Enter the API Hostname from the Duo Admin Panel.').waitFor();
      await page.getByLabel('Integration Key').fill('DI123');
      await page.getByLabel('Secret Key').fill('too-short');
      await page.getByRole('button', { name: 'Save Changes' }).click();
      await page
        .getByText('The Integration Key has 20 characters: DI followed by capital letters and digits.')
        .waitFor();
      await page.getByText('The Secret Key has 40 characters, letters and digits only.').waitFor();
      assert.equal(await page.getByLabel('Integration Key').getAttribute('aria-invalid'), 'true');
      assert.equal((await getSettings()).settings.integrationKey, '', 'the invalid form was sent');

      await page.getByLabel('Integration Key').fill(sandbox.ikey);
      await page.getByLabel('Secret Key').fill(sandbox.skey);
      await page.getByLabel('API Hostname').fill(sandbox.url);
      const staff = page.getByRole('checkbox', { name: 'Enable for Staff' });
      await staff.check();
      assert.equal(await page.getByRole('checkbox', { name: 'Enable for Clients' }).isChecked(), false);
      await screenshot(page, 'settings-activate.png');

      await page.getByRole('button', { name: 'Save Changes' }).click();
      const result = page.getByTestId('duo-connection-result');
      await result.getByText('Connected to Duo').waitFor({ timeout: UI_TIMEOUT });
      await result
        .getByTestId('duo-clock-offset')
        .getByText(/^Server clock offset from Duo: /)
        .waitFor();
      await card.getByText('Active', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Deactivate' }).waitFor();
      assert.equal(await card.getByRole('button', { name: 'Activate', exact: true }).count(), 0);
      const notification = page.getByText('Duo Security is activated', { exact: true });
      await notification.waitFor();
      await notification.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      // After the save the typed secret is gone from the page; the server only says one is set.
      assert.equal(await page.getByLabel('Secret Key').inputValue(), '');
      await screenshot(page, 'settings-saved.png');

      const saved = await getSettings();
      assert.equal(saved.settings.activated, true);
      assert.equal(saved.settings.integrationKey, sandbox.ikey);
      assert.equal(saved.settings.apiHostname, sandbox.url);
      assert.equal(saved.settings.secretKeySet, true);
      assert.equal(saved.settings.staff.enabled, true);
      assert.equal(saved.settings.clients.enabled, false);
      assert.equal(saved.connection?.ok, true);
      assert.equal(typeof saved.connection?.clockOffsetMs, 'number');
      assert.ok(!JSON.stringify(saved).includes(sandbox.skey), 'the settings API returned the Secret Key');
    });
  });

  it('keeps the values over a reload, with the Secret Key blank and "leave blank to keep"', async (t) => {
    const { page } = browser;
    await withScreenshotOnFailure(page, t.name, async () => {
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Duo Security' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByLabel('Integration Key').waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByLabel('Integration Key').inputValue(), sandbox.ikey);
      assert.equal(await page.getByLabel('API Hostname').inputValue(), sandbox.url);
      const secret = page.getByLabel('Secret Key');
      assert.equal(await secret.inputValue(), '');
      assert.equal(await secret.getAttribute('type'), 'password');
      assert.equal(await secret.getAttribute('placeholder'), 'Leave blank to keep the current key');
      await page
        .getByText('A Secret Key is stored (encrypted, never shown). Leave blank to keep the current key.')
        .waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'Enable for Staff' }).isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: 'Enable for Clients' }).isChecked(), false);
      // The last check is remembered by the server.
      await page.getByTestId('duo-connection-result').getByText('Connected to Duo').waitFor();
      assert.ok(!(await page.content()).includes(sandbox.skey), 'the page contains the Secret Key');
    });
  });

  it('fits an 800 px wide window: nothing wider than the window or its card; the clock offset to the second', async (t) => {
    const { page } = browser;
    await withScreenshotOnFailure(page, t.name, async () => {
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: 800, height: 900 });
      try {
        await page.getByLabel('Integration Key').waitFor({ timeout: UI_TIMEOUT });
        await page.getByTestId('duo-connection-result').getByText('Connected to Duo').waitFor({ timeout: UI_TIMEOUT });
        await page.waitForTimeout(300);
        // Every element of the page's main area ends inside the window (a string: no DOM typings in the tests).
        const overflowing = (await page.evaluate(`(() => {
          const main = document.querySelector('main');
          if (main === null) return ['no main element'];
          return [main, ...main.querySelectorAll('*')]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .map((element) => element.tagName + ' ' + (element.textContent || '').trim().slice(0, 40));
        })()`)) as string[];
        assert.deepEqual(overflowing, [], 'parts of the page overflow an 800 px window');
        assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
        assert.deepEqual(await overflowingInSections(page), [], 'parts of a card reach past it');
        // Duo's clock is read to the second: no milliseconds.
        const offset = (await page.getByTestId('duo-clock-offset').textContent()) ?? '';
        assert.match(offset, /^Server clock offset from Duo: (under 1 s|\d+ s|\d+ min( \d+ s)?|\d+ h( \d+ min)?) /);
        assert.doesNotMatch(offset, /ms/);
        await screenshot(page, 'settings-800px.png');
      } finally {
        if (viewport !== null) await page.setViewportSize(viewport);
      }
    });
  });

  it("shows Duo's refusal of a wrong Secret Key next to the form and saves nothing", async (t) => {
    const { page } = browser;
    await withScreenshotOnFailure(page, t.name, async () => {
      const before = await getSettings();
      await page.getByLabel('Secret Key').fill(WRONG_SECRET);
      await page.getByRole('button', { name: 'Save Changes' }).click();

      const alert = page.getByRole('alert').filter({ hasText: 'Duo refused the keys' });
      await alert.waitFor({ timeout: UI_TIMEOUT });
      await alert.getByText(/Nothing was saved\. Duo said: Duo rejected the Integration Key or Secret Key/).waitFor();
      const result = page.getByTestId('duo-connection-result');
      await result.getByText('Duo refused the keys').waitFor();
      // What was typed stays in the form, so it can be corrected.
      assert.equal(await page.getByLabel('Secret Key').inputValue(), WRONG_SECRET);
      assert.equal(await page.getByLabel('Integration Key').inputValue(), sandbox.ikey);
      await page.getByText('Nothing was saved.', { exact: true }).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await screenshot(page, 'settings-wrong-secret.png');

      assert.deepEqual(await getSettings(), before, 'a refused save changed the settings');
      await page.reload();
      await page.getByLabel('Integration Key').waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByLabel('Integration Key').inputValue(), sandbox.ikey);
      assert.equal(await page.getByLabel('Secret Key').inputValue(), '');
      await page.getByRole('region', { name: 'Duo Security' }).getByText('Active', { exact: true }).waitFor();
      // The stored secret is still the working one.
      const check = await app.api('/duo-security/settings/check', { method: 'POST', body: {}, token });
      assert.equal((check.body as { data: { ok: boolean } }).data.ok, true, JSON.stringify(check.body));
      assert.deepEqual(pageErrors, []);
    });
  });

  it('shows the settings read-only to an administrator who may read but not update them', async (t) => {
    const viewer = await createAdminWithActions(app, token, 'Duo Viewer', ['plugin::duo-security.settings.read']);
    const session = await launchBrowser();
    try {
      const { page } = session;
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await withScreenshotOnFailure(page, t.name, async () => {
        await signIn(page, app.baseUrl, viewer.email, viewer.password);
        await openDuoSettings(page);
        await page.getByText(/^Read-only: changing these settings needs/).waitFor();
        await page.getByLabel('Integration Key').waitFor({ timeout: UI_TIMEOUT });
        assert.equal(await page.getByLabel('Integration Key').inputValue(), sandbox.ikey);
        for (const label of ['Integration Key', 'Secret Key', 'API Hostname']) {
          assert.equal(await page.getByLabel(label).isDisabled(), true, `${label} is editable`);
        }
        assert.equal(await page.getByRole('checkbox', { name: 'Enable for Staff' }).isDisabled(), true);
        assert.equal(await page.getByLabel('Secret Key').getAttribute('placeholder'), null);
        for (const button of ['Save Changes', 'Deactivate', 'Activate', 'Test connection']) {
          const count = await page.getByRole('button', { name: button, exact: true }).count();
          assert.equal(count, 0, `"${button}" is offered without the update permission`);
        }
        await page.getByTestId('duo-connection-result').getByText('Connected to Duo').waitFor();
        await screenshot(page, 'settings-read-only.png');
      });
    } finally {
      await session.close();
    }
  });

  it('hides the page from an administrator without the read permission', async (t) => {
    const outsider = await createAdminWithActions(app, token, 'No Duo', ['admin::webhooks.read']);
    const session = await launchBrowser();
    try {
      const { page } = session;
      await withScreenshotOnFailure(page, t.name, async () => {
        await signIn(page, app.baseUrl, outsider.email, outsider.password);
        await page
          .getByRole('navigation')
          .getByRole('link', { name: /^Settings/ })
          .click();
        await page.getByRole('link', { name: 'Webhooks', exact: true }).waitFor({ timeout: UI_TIMEOUT });
        assert.equal(await page.getByRole('link', { name: 'Duo Security', exact: true }).count(), 0);
        // Typing the address does not show the page either (each host refuses it its own way).
        await expectPageRefused(page, app.baseUrl, '/settings/duo-security');
        assert.equal(await page.getByLabel('Integration Key').count(), 0);
      });
    } finally {
      await session.close();
    }
  });
});
