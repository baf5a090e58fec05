import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { openSettingsLink } from '../helpers/admin-pages';
import { withScreenshotOnFailure } from '../helpers/browser';
import {
  DEFAULT_ADMIN,
  expectSignedInAt,
  screenshot,
  startStaffEnv,
  submitLoginForm,
  UI_TIMEOUT,
  type StaffBrowserEnv,
} from '../helpers/staff-browser';

/*
 * Issue 15, settings page: switching an active Auth API installation to the Universal Prompt (Web SDK) in Chromium,
 * on both admins. Staff logins stay without Duo here, so signing in needs no phone.
 */

interface SettingsView {
  settings: {
    activated: boolean;
    integration: string;
    clientId: string;
    clientSecretSet: boolean;
    clientReturnUrls: string[];
  };
  connection: { ok: boolean; message: string } | null;
}

describe('Settings → Duo Security: the Universal Prompt, in Chromium', () => {
  let env: StaffBrowserEnv;

  const getSettings = async (): Promise<SettingsView> => {
    const response = await env.app.api('/duo-security/settings', { token: env.registrationToken });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body as { data: SettingsView }).data;
  };

  before(async () => {
    env = await startStaffEnv();
    const { sandbox } = env;
    const activated = await env.app.api('/duo-security/settings', {
      method: 'PUT',
      token: env.registrationToken,
      body: { activated: true, integrationKey: sandbox.ikey, secretKey: sandbox.skey, apiHostname: sandbox.url },
    });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
  });

  after(async () => {
    await env?.close();
  });

  it('switches to the Universal Prompt: Client ID and write-only Client Secret, Test connection, Save', async (t) => {
    const { page, sandbox } = env;
    // A Web SDK application of the sandbox, added through its control API as an app's own would be in Duo.
    const webSdk = sandbox.addOAuthClient({ clientId: 'DIWEBSDKBROWSER00001', type: 'websdk' });
    await withScreenshotOnFailure(page, t.name, async () => {
      await submitLoginForm(env, { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password });
      await expectSignedInAt(env);
      await openSettingsLink(page, 'Duo Security');
      await page.getByLabel('Integration Key').waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByLabel('Client ID').count(), 0, 'the Universal Prompt fields show for the Auth API');
      await page.getByRole('combobox', { name: 'Integration type' }).click();
      await page.getByRole('option', { name: 'Universal Prompt (Web SDK)' }).click();
      await page.getByLabel('Client ID').waitFor();
      assert.equal(await page.getByLabel('Integration Key').count(), 0, 'the Auth API fields still show');
      assert.equal(await page.getByLabel('Secret Key').count(), 0);
      assert.equal(await page.getByLabel('API Hostname').inputValue(), sandbox.url, 'the API Hostname is shared');

      // The form asks for the Universal Prompt's values before anything is sent.
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByText('Enter the Client ID from the Duo Admin Panel.').waitFor();
      await page.getByText('Enter the Client Secret from the Duo Admin Panel.').waitFor();

      await page.getByLabel('Client ID').fill(webSdk.clientId);
      const secret = page.getByLabel('Client Secret');
      assert.equal(await secret.getAttribute('type'), 'password');
      // A wrong secret first: Duo's health check refuses it, in the Universal Prompt's words.
      await secret.fill('WrongClientSecretWrongClientSecretWrong0');
      await page.getByRole('button', { name: 'Test connection' }).click();
      const result = page.getByTestId('duo-connection-result');
      await result.getByText('Duo refused the keys').waitFor({ timeout: UI_TIMEOUT });
      await result.getByText(/The Client ID or the Client Secret is wrong/).waitFor();
      await secret.fill(webSdk.clientSecret);
      await page.getByLabel('Client return URLs').fill('https://shop.example.com/login#x');
      await page.getByRole('button', { name: 'Test connection' }).click();
      await result.getByText('Connected to Duo').waitFor({ timeout: UI_TIMEOUT });
      await result.getByText('Duo accepted the Client ID and Client Secret: logins can use Duo.').waitFor();
      const tested = await getSettings();
      assert.equal(tested.settings.integration, 'auth-api', 'Test connection saved the type');
      assert.match(tested.connection?.message ?? '', /valid for a Web SDK application/);

      // The server's rule for return URLs comes back under the field; nothing is saved.
      await page.getByRole('button', { name: 'Save Changes' }).click();
      await page
        .getByText(/no fragment/)
        .first()
        .waitFor({ timeout: UI_TIMEOUT });
      assert.equal((await getSettings()).settings.integration, 'auth-api');
      await page.getByLabel('Client return URLs').fill('https://shop.example.com/login\nshopapp://duo');
      await page.getByRole('button', { name: 'Save Changes' }).click();
      await page.getByText('Settings saved', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByLabel('Client Secret').inputValue(), '');
      await screenshot(page, 'settings-universal.png');

      const saved = await getSettings();
      assert.equal(saved.settings.integration, 'universal');
      assert.equal(saved.settings.clientId, webSdk.clientId);
      assert.equal(saved.settings.clientSecretSet, true);
      assert.deepEqual(saved.settings.clientReturnUrls, ['https://shop.example.com/login', 'shopapp://duo']);
      assert.equal(saved.settings.activated, true);
      assert.ok(!JSON.stringify(saved).includes(webSdk.clientSecret), 'the settings API returned the Client Secret');

      await page.reload();
      await page.getByLabel('Client ID').waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.getByLabel('Client ID').inputValue(), webSdk.clientId);
      assert.equal(await page.getByLabel('Client Secret').inputValue(), '');
      assert.equal(
        await page.getByLabel('Client Secret').getAttribute('placeholder'),
        'Leave blank to keep the current secret',
      );
      assert.equal(
        await page.getByLabel('Client return URLs').inputValue(),
        'https://shop.example.com/login\nshopapp://duo',
      );
      assert.ok(!(await page.content()).includes(webSdk.clientSecret), 'the page contains the Client Secret');
      // Strapi 4's react-query logs the refused save (400) to the console: that one is expected, nothing else.
      const unexpected = env.pageErrors.filter(
        (error) => !error.startsWith('AxiosError: Request failed with status code 400'),
      );
      assert.deepEqual(unexpected, []);
    });
  });
});
