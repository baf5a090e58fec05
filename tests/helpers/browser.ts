import { accessSync, constants, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT } from './strapi';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FAILURE_SCREENSHOT_DIR = join(REPO_ROOT, 'test-results');

// No downloads, no background traffic, no GPU: the machines have no display and reach only npm and Debian.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Fails, never skips, when Chromium is missing: a browser test that silently does not run proves nothing. */
function assertChromiumInstalled(): void {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    );
  }
}

/** Launches Debian's Chromium with a fresh profile that is deleted on close. */
export async function launchBrowser(): Promise<BrowserSession> {
  assertChromiumInstalled();
  const userDataDir = await mkdtemp(join(tmpdir(), 'duo-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close().catch(() => undefined);
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs `steps`; if they throw, saves a full-page screenshot to test-results/<name>.png before rethrowing. */
export async function withScreenshotOnFailure<T>(page: Page, name: string, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    const file = join(FAILURE_SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    try {
      mkdirSync(FAILURE_SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      console.error(`screenshot of the failure: ${file} (page: ${page.url()})`);
    } catch (screenshotError) {
      console.error(`no screenshot of the failure: ${String(screenshotError)}`);
    }
    throw error;
  }
}

/**
 * What reaches past the right edge of the `<section>` (card) holding it, as "tag: text" lines; [] when everything
 * fits. (A string expression: the tests compile without DOM typings.)
 */
export async function overflowingInSections(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const found = [];
    for (const section of document.querySelectorAll('main section')) {
      const edge = section.getBoundingClientRect().right + 0.5;
      for (const element of section.querySelectorAll('input, button, select, [role="combobox"], section, div')) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.right > edge) {
          found.push(element.tagName.toLowerCase() + ': ' + (element.textContent || element.getAttribute('name') || '').trim().slice(0, 40));
        }
      }
    }
    return found;
  })()`)) as string[];
}
