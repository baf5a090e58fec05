import assert from 'node:assert/strict';

import type { Locator, Page } from 'playwright-core';

import { HOST, UI_TIMEOUT } from './staff-browser';

/**
 * Where the plugin's admin pages differ between the hosts, for the browser files that run on both (settings-page,
 * staff-account, staff-users): each difference is Strapi's own behaviour around the pages, not the plugin's.
 */

/** Settings in the main menu, then a link of the settings menu, as an administrator gets there. */
export async function openSettingsLink(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: /^Settings/ })
    .first()
    .click();
  await page.getByRole('link', { name, exact: true }).click();
}

/**
 * Opening a plugin page's address without its read permission. Strapi 4's CheckPagePermissions sends the
 * administrator home; Strapi 5's Page.Protect stays on the address and shows its "no permissions" page.
 */
export async function expectPageRefused(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}/admin${path}`);
  if (HOST === 'v5') {
    await page.getByText(/You don.t have the permissions to access that content/).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(new URL(page.url()).pathname.replace(/\/$/, ''), `/admin${path}`);
  } else {
    await page.waitForURL((url) => url.pathname.replace(/\/$/, '') === '/admin', { timeout: UI_TIMEOUT });
  }
}

/** A confirmation dialog: Strapi 5's design system builds it on Radix's AlertDialog (role alertdialog). */
export function confirmDialog(page: Page): Locator {
  return page.getByRole(HOST === 'v5' ? 'alertdialog' : 'dialog');
}
