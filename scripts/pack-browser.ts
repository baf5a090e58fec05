/**
 * The end of `npm run test:pack` for Strapi 5: in the fresh app made outside this repository, with the packed 2.x
 * plugin installed and `strapi build` done, an administrator does in Chromium what a new user does: registers, opens
 * Settings → Duo Security, activates Duo with the keys of a Duo application (the sandbox's), turns Duo on for their
 * account on Two-factor (Duo) (QR-code enrolment, one approved push), signs out, and signs in again through the Duo
 * step page. Only Duo is stood in for (the sandbox, in this process); Strapi, its admin build and the plugin are the
 * ones a user gets.
 *
 * Usage (from scripts/pack-check.js): node --import tsx scripts/pack-browser.ts <appDir>
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { startDuoSandbox, type DuoSandbox } from '../server/src/sandbox';
import { launchBrowser } from '../tests/helpers/browser';

const TIMEOUT = 60_000;
const ADMIN = { firstname: 'Pack', lastname: 'Check', email: 'pack-admin@example.com', password: 'Pack-Check-2fa' };

/** The app's server, serving its built admin, in a child process; resolves with its base URL. */
function serve(appDir: string): Promise<{ baseUrl: string; stop(): void }> {
  const child = spawn(process.execPath, ['serve.js'], { cwd: appDir, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /SERVING (\d+)/.exec(output)?.[1];
      if (port !== undefined) resolve({ baseUrl: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`the app stopped before serving (exit ${code})\n${output}`)));
  });
}

async function waitFor<T>(what: string, read: () => T | undefined): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

async function approvePush(sandbox: DuoSandbox, username: string): Promise<void> {
  const push = await waitFor('a Duo Push', () => sandbox.pendingPushes().find((p) => p.username === username));
  sandbox.approve(push.txid);
}

async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/admin`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Login' }).click();
}

async function main(appDir: string): Promise<void> {
  const sandbox = await startDuoSandbox({ port: 0 });
  const app = await serve(appDir);
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    const registered = await fetch(`${app.baseUrl}/admin/register-admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    assert.equal(registered.status, 200, `register-admin: ${registered.status}`);
    await signIn(page, app.baseUrl);
    await page.getByRole('heading', { name: /^Hello / }).waitFor({ timeout: TIMEOUT });
    console.log('[pack-browser] signed in with the password');

    // Settings → Duo Security: Activate, the keys, Enable for Staff, Save Changes (checked against Duo first).
    await page.goto(`${app.baseUrl}/admin/settings/duo-security`);
    await page.getByRole('region', { name: 'Duo Security' }).getByRole('button', { name: 'Activate' }).click();
    await page.getByLabel('Integration Key').fill(sandbox.ikey);
    await page.getByLabel('Secret Key').fill(sandbox.skey);
    await page.getByLabel('API Hostname').fill(sandbox.url);
    await page.getByRole('checkbox', { name: 'Enable for Staff' }).check();
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByTestId('duo-connection-result').getByText('Connected to Duo').waitFor({ timeout: TIMEOUT });
    console.log('[pack-browser] Duo activated for staff on the settings page');

    // Two-factor (Duo): Duo does not know this administrator, so turning it on enrols (QR code) first.
    await page.getByRole('navigation').getByRole('link', { name: 'Two-factor (Duo)' }).click();
    const card = page.getByRole('region', { name: 'Duo two-factor authentication' });
    await card.getByRole('button', { name: 'Enable' }).click({ timeout: TIMEOUT });
    const step = card.getByTestId('duo-step');
    await step.getByRole('img', { name: 'QR code to activate Duo Mobile' }).waitFor({ timeout: TIMEOUT });
    const code = ((await step.locator('code').textContent()) ?? '').trim();
    assert.notEqual(code, '', 'no activation code on the page');
    sandbox.completeActivation(code);
    await step.getByRole('button', { name: 'Send Duo Push' }).click({ timeout: TIMEOUT });
    await approvePush(sandbox, ADMIN.email);
    await card.getByText('On', { exact: true }).waitFor({ timeout: TIMEOUT });
    console.log('[pack-browser] Duo turned on for the administrator (enrolled, one push approved)');

    // Signed out, the next sign-in goes through the Duo step page.
    await page.context().clearCookies();
    await page.evaluate('window.localStorage.clear(); window.sessionStorage.clear()');
    await signIn(page, app.baseUrl);
    await page.waitForURL((url) => url.pathname === '/duo-security/login', { timeout: TIMEOUT });
    const stepPage = page.getByRole('main', { name: 'Two-factor authentication' });
    await stepPage.getByLabel('Passcode').fill(sandbox.currentPasscode(ADMIN.email));
    await stepPage.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: /^Hello / }).waitFor({ timeout: TIMEOUT });
    console.log('[pack-browser] signed in again through the Duo step page');
  } catch (error) {
    await page.screenshot({ path: join(appDir, 'pack-browser-failure.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
    app.stop();
    await sandbox.close();
  }
}

const appDir = process.argv[2];
if (appDir === undefined) {
  console.error('usage: node --import tsx scripts/pack-browser.ts <appDir>');
  process.exit(2);
}
main(appDir).then(
  () => console.log('[pack-browser] PASS'),
  (error: unknown) => {
    console.error(`[pack-browser] FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
