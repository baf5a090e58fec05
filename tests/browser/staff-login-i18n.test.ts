import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  addDuoUser,
  adminToken,
  answerPushOnPhone,
  createAdmin,
  DEFAULT_ADMIN,
  phoneUser,
  screenshot,
  startStaffEnv,
  STEP_PAGE_PATH,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

/** Where Strapi's admin (4 and 5) keeps the interface language the administrator chose. */
const LANGUAGE_KEY = 'strapi-admin-language';

/**
 * The Duo step page in the administrator's interface language. The language is put in localStorage as the admin's
 * profile page does, on the step page's own path only, and taken away on every other page of that tab, so Strapi's
 * login form stays in English for the shared helpers (same origin, so the step page reads the same storage).
 */
describe("Staff: the Duo step page follows the admin's interface language (Chromium)", () => {
  let env: StaffBrowserEnv;
  const pageErrors: string[] = [];

  before(async () => {
    env = await startStaffEnv();
    addDuoUser(env, DEFAULT_ADMIN.email, { verifiedPush: true });
    await activateStaff(env, env.registrationToken, { enforcement: 'required' });
  });

  after(async () => {
    await env?.close();
  });

  /** A tab of the admin's browser whose step page finds `language` chosen in the admin. */
  async function tabIn(language: string): Promise<StaffBrowserEnv> {
    const page = await env.browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    await page.addInitScript(`(() => {
      if (window.location.pathname === ${JSON.stringify(STEP_PAGE_PATH)}) {
        window.localStorage.setItem(${JSON.stringify(LANGUAGE_KEY)}, ${JSON.stringify(language)});
      } else {
        window.localStorage.removeItem(${JSON.stringify(LANGUAGE_KEY)});
      }
    })();`);
    return { ...env, page };
  }

  async function stepPage(page: Page, title: string): Promise<Locator> {
    await page.waitForURL((url) => url.pathname === STEP_PAGE_PATH, { timeout: UI_TIMEOUT });
    const card = page.getByRole('main', { name: title });
    await card.waitFor({ timeout: UI_TIMEOUT });
    return card;
  }

  it('without a chosen language the page stays English', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, DEFAULT_ADMIN);
      const card = await stepPage(page, 'Two-factor authentication');
      await card.getByText('Your password is correct. Finish signing in with Duo.').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await card.getByRole('button', { name: 'Send Duo Push' }).waitFor();
      await page.getByRole('link', { name: 'Back to sign-in' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });
    });
  });

  it('French: the page, its buttons, a wrong passcode with the attempts left, a denied push', async (t) => {
    const tab = await tabIn('fr');
    const { page } = tab;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(tab, DEFAULT_ADMIN);
      const card = await stepPage(page, 'Authentification à deux facteurs');
      await card.getByText('Votre mot de passe est correct. Terminez la connexion avec Duo.').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
      assert.equal(await page.title(), 'Authentification à deux facteurs');
      for (const name of ['Envoyer un Duo Push', 'M’appeler', 'M’envoyer des codes par SMS', 'Valider']) {
        await card.getByRole('button', { name }).waitFor();
      }
      await card.getByText('Ou saisissez un code d’accès').waitFor();
      await card.getByText(/^Cette étape expire à /).waitFor();

      const right = env.sandbox.currentPasscode(DEFAULT_ADMIN.email);
      await card.getByLabel('Code d’accès').fill(right === '123456' ? '654321' : '123456');
      await card.getByRole('button', { name: 'Valider' }).click();
      await card.getByRole('alert').filter({ hasText: 'Code d’accès incorrect ; encore 4 tentatives' }).waitFor();
      await card.getByLabel('Code d’accès').fill('12');
      await card.getByRole('button', { name: 'Valider' }).click();
      await card.getByRole('alert').filter({ hasText: 'Saisissez le code d’accès : 4 à 16 chiffres.' }).waitFor();

      await card.getByRole('button', { name: 'Envoyer un Duo Push' }).click();
      await card
        .getByRole('status')
        .filter({ hasText: 'Duo Push envoyé. Approuvez-le sur votre téléphone.' })
        .waitFor();
      await card.getByText('Saisissez ce code dans Duo Mobile').waitFor();
      assert.match(((await card.getByLabel('Code Verified Push').textContent()) ?? '').trim(), /^\d{6}$/);
      await answerPushOnPhone(tab, DEFAULT_ADMIN.email, 'Deny');
      await card
        .getByRole('alert')
        .filter({
          hasText:
            'Duo a refusé la connexion. Réessayez (encore 2 notifications ou appels pour cette connexion) ou saisissez un code d’accès.',
        })
        .waitFor();
      await screenshot(page, 'staff-login-step-fr.png');
      assert.equal(await adminToken(page), null);

      await page.getByRole('link', { name: 'Retour à la connexion' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });
    });
    await page.close();
  });

  it('German: the page, a wrong passcode with the attempts left, the guided Duo Mobile setup', async (t) => {
    const tab = await tabIn('de');
    const { page } = tab;
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(tab, DEFAULT_ADMIN);
      const card = await stepPage(page, 'Zwei-Faktor-Authentifizierung');
      await card.getByText('Dein Passwort ist korrekt. Schließe die Anmeldung mit Duo ab.').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      for (const name of ['Duo Push senden', 'Mich anrufen', 'Passcodes per SMS senden', 'Bestätigen']) {
        await card.getByRole('button', { name }).waitFor();
      }
      const right = env.sandbox.currentPasscode(DEFAULT_ADMIN.email);
      await card.getByLabel('Passcode').fill(right === '123456' ? '654321' : '123456');
      await card.getByRole('button', { name: 'Bestätigen' }).click();
      await card.getByRole('alert').filter({ hasText: 'Falscher Passcode; noch 4 Versuche' }).waitFor();
      await screenshot(page, 'staff-login-step-de.png');
      await page.getByRole('link', { name: 'Zurück zur Anmeldung' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });

      // Someone Duo does not know yet: the enrolment instructions are German too.
      const newcomer = await createAdmin(env, 'neuling');
      await submitLoginForm(tab, newcomer);
      const setup = await stepPage(page, 'Zwei-Faktor-Authentifizierung');
      await setup
        .getByText('Dein Konto muss Duo verwenden. Richte Duo Mobile ein und bestätige dann eine Anmeldung.')
        .waitFor();
      await setup.getByRole('heading', { name: 'Duo Mobile einrichten' }).waitFor();
      await setup.getByRole('img', { name: 'QR-Code zum Aktivieren von Duo Mobile' }).waitFor({ timeout: UI_TIMEOUT });
      await setup.getByRole('link', { name: 'Duo Mobile auf diesem Telefon aktivieren' }).waitFor();
      await setup.getByRole('status').filter({ hasText: 'Warte auf die Aktivierung von Duo Mobile …' }).waitFor();
      await screenshot(page, 'staff-login-enroll-de.png');
      // Activated on the phone: the server's English answer is said in German too.
      const code = ((await page.locator('#duo-activation-code').textContent()) ?? '').trim();
      const activation = phoneUser(env, newcomer.email).getByTestId('activation').filter({ hasText: code });
      await activation.getByRole('button', { name: 'Complete activation' }).click({ timeout: UI_TIMEOUT });
      await setup
        .getByRole('status')
        .filter({ hasText: 'Duo Mobile ist aktiviert: Bestätige eine Anmeldung, um abzuschließen' })
        .waitFor({ timeout: UI_TIMEOUT });
      await setup.getByRole('button', { name: 'Duo Push senden' }).waitFor();
      await page.getByRole('link', { name: 'Zurück zur Anmeldung' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/auth/login', { timeout: UI_TIMEOUT });
    });
    await page.close();
  });

  it('logged no script errors or Content-Security-Policy violations', () => {
    assert.deepEqual([...env.pageErrors, ...pageErrors], []);
  });
});
