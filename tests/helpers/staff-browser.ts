import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { ensureAdminBuild as ensureV4AdminBuild } from '../../playground/scripts/build-admin';
import { ensureAdminBuild as ensureV5AdminBuild } from '../../playground-v5/scripts/build-admin';
import { startDuoSandbox, type DuoSandbox, type UserSpec } from '../../server/src/sandbox';
import { launchBrowser, type BrowserSession } from './browser';
import { activateDuo, type AudienceConfig } from './duo-setup';
import { bootStrapi, defaultHost, REPO_ROOT, type BootedStrapi, type HostName } from './strapi';
import { DEFAULT_ADMIN, registerFirstAdmin, type AdminCredentials } from './users';

/**
 * The staff (admin panel) browser tests: the built playground admin of the host under test (`STRAPI_HOST`), the
 * Duo sandbox, Chromium, two tabs.
 */

export const HOST: HostName = defaultHost();

// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); ordinary runs keep the tree clean.
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
  ? join(REPO_ROOT, 'docs', 'screenshots')
  : join(REPO_ROOT, 'test-results', 'screenshots');
export const UI_TIMEOUT = 30_000;
/** The glue hands the step to the step page here (admin/shared/glue/handOff.ts). */
export const STEP_KEY = 'duo-security:step';
export const STEP_PAGE_PATH = '/duo-security/login';

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let notifications and loaders settle so the picture shows the page, not a transition.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SCREENSHOT_DIR, name) });
}

export interface StaffBrowserEnv {
  sandbox: DuoSandbox;
  app: BootedStrapi;
  browser: BrowserSession;
  /** The admin panel's tab. */
  page: Page;
  /** The sandbox's virtual phone (Duo Mobile, SMS, calls) in a second tab. */
  phone: Page;
  /** The first administrator's token from registration (no Duo claim: dead once Duo guards them). */
  registrationToken: string;
  /** Script errors and unexpected console errors of the admin tab. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Builds the admin of the host under test, only when the plugin's admin sources or the playground config changed. */
export function ensureHostAdminBuild(): ReturnType<typeof ensureV4AdminBuild> {
  return (HOST === 'v5' ? ensureV5AdminBuild : ensureV4AdminBuild)();
}

/**
 * Boots the playground with its built admin panel and the Duo sandbox in this process, registers the first
 * administrator (DEFAULT_ADMIN) and opens Chromium with the admin tab and the virtual phone.
 */
export async function startStaffEnv(): Promise<StaffBrowserEnv> {
  const build = await ensureHostAdminBuild();
  if (build.built) console.info(`admin build: ${(build.ms / 1000).toFixed(1)} s (${build.reason})`);
  const sandbox = await startDuoSandbox({ port: 0 });
  // DUO_SANDBOX_URL puts the sandbox in the playground's img-src (the step page sets its own CSP anyway).
  const app = await bootStrapi({ serveAdminPanel: true, env: { DUO_SANDBOX_URL: sandbox.url } });
  const registrationToken = await registerFirstAdmin(app.api);
  const browser = await launchBrowser();
  const page = browser.page;
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Chromium reports every 4xx as "Failed to load resource": the Duo steps answer 400 on purpose; the admin also
  // tries hosts these machines cannot resolve. Anything else (a CSP violation, a script error) is a failure.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
  const phone = await browser.context.newPage();
  await phone.goto(`${sandbox.url}/phone`);
  return {
    sandbox,
    app,
    browser,
    page,
    phone,
    registrationToken,
    pageErrors,
    async close() {
      await browser.close();
      await app.close();
      await sandbox.close();
    },
  };
}

/** Activates the plugin for staff through the settings API, with a token that still works. */
export async function activateStaff(env: StaffBrowserEnv, token: string, staff: AudienceConfig): Promise<void> {
  await activateDuo(env.app, token, env.sandbox, { staff: { enabled: true, ...staff } });
}

/** Makes Duo (the sandbox) know this administrator, with one phone that can do everything. */
export function addDuoUser(env: StaffBrowserEnv, email: string, spec: Omit<UserSpec, 'username'> = {}): void {
  env.sandbox.addUser({ username: email, ...spec });
}

let adminCounter = 0;

/** An active administrator created straight through Strapi's admin user service (works whatever the gate). */
export async function createAdmin(
  env: StaffBrowserEnv,
  prefix: string,
  roleCode = 'strapi-super-admin',
): Promise<AdminCredentials & { id: number }> {
  adminCounter += 1;
  const name = `${prefix}${adminCounter}`;
  const credentials = {
    firstname: name.charAt(0).toUpperCase() + name.slice(1),
    lastname: 'Tester',
    email: `${name}@example.com`,
    password: `Pw-${name}-Secret1`,
  };
  const strapi = env.app.strapi;
  const role = (await strapi.db!.query('admin::role').findOne({ where: { code: roleCode } })) as { id: number } | null;
  assert.ok(role !== null, `no role ${roleCode}`);
  const users = strapi.service('admin::user') as unknown as { create(values: object): Promise<{ id: number }> };
  const user = await users.create({ ...credentials, isActive: true, registrationToken: null, roles: [role.id] });
  return { id: user.id, ...credentials };
}

/**
 * Signs an administrator in through the API as a script would: the password, then, if Duo is required, the
 * current Duo Mobile passcode on the admin Duo step. Returns the admin token.
 */
export async function apiSignIn(env: StaffBrowserEnv, email: string, password: string): Promise<string> {
  const login = await env.app.api('/admin/login', { body: { email, password } });
  const body = login.body as { data?: { token?: string }; error?: { name?: string; details?: unknown } };
  if (login.status === 200 && typeof body.data?.token === 'string') return body.data.token;
  assert.equal(body.error?.name, 'DuoRequiredError', `admin login: ${login.status} ${JSON.stringify(login.body)}`);
  const stepId = (body.error?.details as { step: { id: string } }).step.id;
  const step = await env.app.api('/duo-security/step/passcode', {
    body: { step: stepId, passcode: env.sandbox.currentPasscode(email) },
  });
  const token = (step.body as { data?: { token?: string } }).data?.token;
  assert.equal(typeof token, 'string', `admin Duo step: ${step.status} ${JSON.stringify(step.body)}`);
  return token as string;
}

/** Turns Duo on for an administrator Duo knows, through the API, as they would on their Two-factor (Duo) page. */
export async function turnOnDuoByApi(env: StaffBrowserEnv, person: { email: string; password: string }): Promise<void> {
  const token = await apiSignIn(env, person.email, person.password);
  const started = await env.app.api('/duo-security/me/enable', { method: 'POST', token });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const stepId = (started.body as { data: { step: { id: string } } }).data.step.id;
  const done = await env.app.api('/duo-security/step/passcode', {
    body: { step: stepId, passcode: env.sandbox.currentPasscode(person.email) },
  });
  assert.equal((done.body as { data?: { enabled?: boolean } }).data?.enabled, true, JSON.stringify(done.body));
}

export interface LoginForm {
  email: string;
  password: string;
  rememberMe?: boolean;
  /** A path inside the admin app; opened first, so Strapi itself sends the browser to the login form with it. */
  startAt?: string;
}

/**
 * Opens an admin URL. A navigation the previous test's page had under way (its step page sending the browser back
 * to the login form) can still land and interrupt this one: then it is opened once more, from where that one left.
 */
async function openAdmin(page: Page, url: string): Promise<void> {
  try {
    await page.goto(url);
  } catch (error) {
    if (!(error instanceof Error) || !/interrupted by another navigation/.test(error.message)) throw error;
    await page.waitForLoadState('load');
    await page.goto(url);
  }
}

/** Fills Strapi's own login form and submits it. */
export async function submitLoginForm(env: StaffBrowserEnv, form: LoginForm): Promise<void> {
  const { page, app } = env;
  await openAdmin(page, `${app.baseUrl}/admin${form.startAt ?? ''}`);
  await page.getByLabel('Email').fill(form.email);
  // The label reads "Password*" (required marker), and the show/hide button is labelled too.
  await page.locator('input[name="password"]').fill(form.password);
  // Strapi 4 labels the box with its field name, Strapi 5 with the words.
  if (form.rememberMe) await page.getByRole('checkbox', { name: /^(rememberMe|Remember me)$/ }).check();
  await page.getByRole('button', { name: 'Login' }).click();
}

/** The admin Duo step page is up, and the admin holds no session yet. */
export async function expectStepPage(env: StaffBrowserEnv): Promise<Locator> {
  const { page } = env;
  await page.waitForURL((url) => url.pathname === STEP_PAGE_PATH, { timeout: UI_TIMEOUT });
  const card = page.getByRole('main', { name: 'Two-factor authentication' });
  await card.waitFor({ timeout: UI_TIMEOUT });
  assert.deepEqual(await heldSession(page), { where: null, token: null }, 'an admin token before Duo');
  if (HOST === 'v5') assert.equal(await refreshCookie(page), undefined, 'a refresh cookie before Duo');
  return card;
}

/** Waits for the admin home page (or another admin page) after a sign-in. */
export async function expectSignedInAt(env: StaffBrowserEnv, pathname = '/admin'): Promise<void> {
  const { page } = env;
  await page.waitForURL((url) => url.pathname.replace(/\/$/, '') === pathname, { timeout: UI_TIMEOUT });
  await page.getByRole('navigation').getByRole('link', { name: 'Content Manager' }).waitFor({ timeout: UI_TIMEOUT });
}

/** The user menu at the bottom of the main navigation → Logout (Strapi 5: Log out), back to the login form. */
export async function signOutOfAdmin(env: StaffBrowserEnv): Promise<void> {
  const { page } = env;
  if (HOST === 'v5') {
    await page.getByRole('navigation').locator('button[aria-haspopup="menu"]').click();
    await page.getByRole('menuitem', { name: /^Log ?out$/i }).click();
  } else {
    await page.locator('#main-nav-user-button').click();
    await page.getByRole('link', { name: 'Logout' }).click();
  }
  await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });
  await page.getByRole('button', { name: 'Login' }).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await adminToken(page), null, 'a token after signing out');
}

/**
 * Polls until `check` holds (Playwright's waitForFunction evaluates strings in the page, which a
 * Content-Security-Policy without 'unsafe-eval' refuses: the admin's and the step page's do).
 */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = UI_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** True once the image has loaded (so the Content-Security-Policy allowed its host). */
export function imageLoaded(image: Locator): () => Promise<boolean> {
  return () =>
    image.evaluate(
      (element: { complete: boolean; naturalWidth: number }) => element.complete && element.naturalWidth > 0,
    );
}

/** A value of the page's local or session storage. (String expressions: the tests compile without DOM typings.) */
export async function storageItem(
  page: Page,
  area: 'localStorage' | 'sessionStorage',
  key: string,
): Promise<string | null> {
  // The admin may still reload itself (it does on a 401 after signing out): read again once the page settled.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await page.evaluate(`window.${area}.getItem(${JSON.stringify(key)})`)) as string | null;
    } catch (error) {
      if (attempt >= 5 || !/Execution context was destroyed/.test(String(error))) throw error;
      await page.waitForLoadState('load');
    }
  }
}

/**
 * Where the page holds the admin token, as the admin app looks for it: localStorage first ("Remember me"), then
 * sessionStorage (Strapi 4) or the `jwtToken` cookie (Strapi 5).
 */
export async function heldSession(
  page: Page,
): Promise<{ where: 'localStorage' | 'sessionStorage' | 'cookie' | null; token: string | null }> {
  const local = await storageItem(page, 'localStorage', 'jwtToken');
  if (local !== null) return { where: 'localStorage', token: JSON.parse(local) as string };
  const session = await storageItem(page, 'sessionStorage', 'jwtToken');
  if (session !== null) return { where: 'sessionStorage', token: JSON.parse(session) as string };
  const admin = new URL('/admin/', page.url()).href;
  const cookie = (await page.context().cookies(admin)).find((c) => c.name === 'jwtToken' && c.value !== '');
  return cookie === undefined
    ? { where: null, token: null }
    : { where: 'cookie', token: decodeURIComponent(cookie.value) };
}

/** The admin token the page holds, as the admin app reads it. */
export async function adminToken(page: Page): Promise<string | null> {
  return (await heldSession(page)).token;
}

/** Strapi 5's httpOnly refresh cookie for the admin, as the browser keeps it (`expires` -1: a browser session). */
export async function refreshCookie(page: Page): Promise<{ httpOnly: boolean; expires: number } | undefined> {
  const cookies = await page.context().cookies(new URL('/admin/access-token', page.url()).href);
  const cookie = cookies.find((c) => c.name === 'strapi_admin_refresh' && c.value !== '');
  return cookie === undefined ? undefined : { httpOnly: cookie.httpOnly, expires: cookie.expires };
}

/** Where a sign-in without "Remember me" leaves the admin token on this host. */
export const SESSION_TOKEN_PLACE = HOST === 'v5' ? 'cookie' : 'sessionStorage';

/** The virtual phone's card for one Duo user. */
export function phoneUser(env: StaffBrowserEnv, username: string): Locator {
  return env.phone.locator(`[data-testid="user"][data-username="${username}"]`);
}

/** Answers the pending push on the virtual phone, typing the Verified Push code when there is one. */
export async function answerPushOnPhone(
  env: StaffBrowserEnv,
  username: string,
  answer: 'Approve' | 'Deny' | 'Report fraud',
  verificationCode?: string,
): Promise<void> {
  const push = phoneUser(env, username).getByTestId('push');
  await push.waitFor({ timeout: UI_TIMEOUT });
  if (verificationCode !== undefined) await push.getByTestId('verification-code').fill(verificationCode);
  await push.getByRole('button', { name: answer }).click();
}

export { DEFAULT_ADMIN };
