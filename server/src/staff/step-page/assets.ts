import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The step page's static files (public/), served by the plugin itself: script files from this origin are what
 * Strapi's `script-src 'self'` allows, and the page needs no build of its own. `npm run build` copies public/ next
 * to the compiled code (dist/server/staff/step-page/public).
 */
const TYPES = {
  'app.mjs': 'text/javascript; charset=utf-8',
  'i18n.mjs': 'text/javascript; charset=utf-8',
  'messages-de.mjs': 'text/javascript; charset=utf-8',
  'messages-en.mjs': 'text/javascript; charset=utf-8',
  'messages-fr.mjs': 'text/javascript; charset=utf-8',
  'server-text.mjs': 'text/javascript; charset=utf-8',
  'session.mjs': 'text/javascript; charset=utf-8',
  'step-client.mjs': 'text/javascript; charset=utf-8',
  'universal.mjs': 'text/javascript; charset=utf-8',
  'backup-code.mjs': 'text/javascript; charset=utf-8',
  'postpone.mjs': 'text/javascript; charset=utf-8',
  'first-codes.mjs': 'text/javascript; charset=utf-8',
  'view.mjs': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'logo.svg': 'image/svg+xml',
} as const;

export type AssetName = keyof typeof TYPES;

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

export const PUBLIC_DIR = join(__dirname, 'public');

export function isAssetName(name: unknown): name is AssetName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TYPES, name);
}

/** Reads every file once, at start; throws naming the first missing file. */
export function loadAssets(dir: string = PUBLIC_DIR): ReadonlyMap<AssetName, Asset> {
  const assets = new Map<AssetName, Asset>();
  for (const [name, type] of Object.entries(TYPES) as Array<[AssetName, string]>) {
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch (error) {
      throw new Error(
        `duo-security: the admin Duo step page file ${name} is missing from ${dir} (rebuild the plugin: npm run build)`,
        { cause: error },
      );
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { body, type, etag });
  }
  return assets;
}
