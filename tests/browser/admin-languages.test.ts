import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { withScreenshotOnFailure } from '../helpers/browser';
import {
  activateStaff,
  apiSignIn,
  createAdmin,
  DEFAULT_ADMIN,
  expectSignedInAt,
  startStaffEnv,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

/**
 * The plugin's admin pages in the administrator's language: the playground offers French and German besides English
 * (playground/src/admin/app.js), and the plugin ships admin/src/translations/{fr,de}.json.
 */
describe('Staff: the plugin pages in French and German in Chromium', () => {
  let env: StaffBrowserEnv;

  /** A new visitor: no admin session, no language remembered by the admin app. */
  async function forgetBrowserState(): Promise<void> {
    const { page, app } = env;
    // A page of the same origin without the admin app, which would write its state back.
    await page.goto(`${app.baseUrl}/api/no-such-page`);
    await page.evaluate('window.localStorage.clear(); window.sessionStorage.clear()');
    // Strapi 5 keeps the session in cookies too (the access token without "Remember me", and the refresh cookie).
    await page.context().clearCookies();
  }

  /** Settings (in the menu, in whatever language) → one of the plugin's links → its page. */
  async function openSettingsLink(settings: string, link: string, heading: string): Promise<void> {
    const { page } = env;
    await page
      .getByRole('navigation')
      // The main menu's link (a badge may follow the word), not the settings menu's "Paramètres avancés".
      .getByRole('link', { name: new RegExp(`^${settings}(\\s*\\d+)?$`) })
      .click();
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: UI_TIMEOUT });
  }

  before(async () => {
    env = await startStaffEnv();
    // Optional: administrators without Duo sign in with their password; the settings form shows (activated).
    await activateStaff(env, env.registrationToken, { enforcement: 'optional' });
  });

  after(async () => {
    await env?.close();
  });

  it('shows Settings → Duo Security and Duo users in French to an administrator who prefers French', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      const amelie = await createAdmin(env, 'amelie');
      // Strapi's own profile API (the field is spelt preferedLanguage on Strapi 4).
      const token = await apiSignIn(env, amelie.email, amelie.password);
      const profile = await env.app.api('/admin/users/me', {
        method: 'PUT',
        token,
        body: { preferedLanguage: 'fr' },
      });
      assert.equal(profile.status, 200, JSON.stringify(profile.body));
      assert.equal((profile.body as { data: { preferedLanguage: string } }).data.preferedLanguage, 'fr');

      await forgetBrowserState();
      await submitLoginForm(env, amelie);
      // The admin switches to the preferred language once it knows who signed in.
      await page.waitForURL((url) => url.pathname.replace(/\/$/, '') === '/admin', { timeout: UI_TIMEOUT });
      // The plugin's own menu link (its account page) is in French.
      await page
        .getByRole('navigation')
        .getByRole('link', { name: 'Double authentification (Duo)' })
        .waitFor({ timeout: UI_TIMEOUT });

      await openSettingsLink('Paramètres', 'Duo Security', 'Duo Security');
      assert.equal(new URL(page.url()).pathname, '/admin/settings/duo-security');
      const main = page.getByRole('main');
      await main
        .getByText('Authentification à deux facteurs avec Duo pour les administrateurs et les clients.')
        .waitFor({ timeout: UI_TIMEOUT });
      await main.getByRole('button', { name: 'Enregistrer les modifications' }).waitFor();
      await main.getByRole('button', { name: 'Désactiver' }).waitFor();
      await main.getByRole('heading', { name: 'Paramètres', exact: true }).waitFor();
      await main.getByRole('heading', { name: 'Administrateurs', exact: true }).waitFor();
      await main.getByRole('heading', { name: 'Connexion à Duo' }).waitFor();
      await main.getByRole('button', { name: 'Tester la connexion' }).waitFor();
      await main.getByText('Mode en cas de panne', { exact: true }).first().waitFor();
      for (const english of ['Save Changes', 'Connection to Duo', 'Test connection', 'Fail mode']) {
        assert.equal(await main.getByText(english, { exact: true }).count(), 0, `"${english}" in English`);
      }
      // The settings menu's links are the plugin's words too.
      await page.getByRole('link', { name: 'Journal d’audit Duo', exact: true }).waitFor();

      await openSettingsLink('Paramètres', 'Utilisateurs Duo', 'Utilisateurs Duo');
      assert.equal(new URL(page.url()).pathname, '/admin/settings/duo-security-users');
      await main.getByRole('tab', { name: 'Administrateurs' }).waitFor({ timeout: UI_TIMEOUT });
      await main.getByText('Dernière utilisation', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
      await main.getByPlaceholder('Rechercher par e-mail, nom d’utilisateur ou nom').waitFor();
      assert.deepEqual(env.pageErrors, []);
    });
  });

  it('lets an administrator choose Deutsch in their profile, and the plugin pages follow', async (t) => {
    const { page } = env;
    await withScreenshotOnFailure(page, t.name, async () => {
      await forgetBrowserState();
      await submitLoginForm(env, DEFAULT_ADMIN);
      await expectSignedInAt(env);

      await page.goto(`${env.app.baseUrl}/admin/me`);
      const language = page.getByRole('combobox', { name: /^Interface language/ });
      await language.waitFor({ timeout: UI_TIMEOUT });
      await language.click();
      // The languages the playground offers, by their own names.
      for (const name of ['English', 'Français', 'Deutsch']) {
        await page.getByRole('option', { name, exact: true }).waitFor({ timeout: UI_TIMEOUT });
      }
      await page.getByRole('option', { name: 'Deutsch', exact: true }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      // Saved: the admin reloads the profile and switches to German.
      await page
        .getByRole('navigation')
        .getByRole('link', { name: /^Einstellungen/ })
        .waitFor({ timeout: UI_TIMEOUT });

      await openSettingsLink('Einstellungen', 'Duo-Benutzer', 'Duo-Benutzer');
      const main = page.getByRole('main');
      await main.getByRole('tab', { name: 'Administratoren' }).waitFor({ timeout: UI_TIMEOUT });
      await main.getByText('Zuletzt verwendet', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });

      await openSettingsLink('Einstellungen', 'Duo Security', 'Duo Security');
      await main.getByRole('button', { name: 'Änderungen speichern' }).waitFor({ timeout: UI_TIMEOUT });
      await main.getByRole('heading', { name: 'Verbindung zu Duo' }).waitFor();

      const token = await apiSignIn(env, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
      const me = await env.app.api('/admin/users/me', { token });
      assert.equal((me.body as { data: { preferedLanguage: string } }).data.preferedLanguage, 'de');
      assert.deepEqual(env.pageErrors, []);
    });
  });
});
