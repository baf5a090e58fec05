import type { Strapi } from '@strapi/strapi';

import { isAssetName, loadAssets, PUBLIC_DIR, type Asset, type AssetName } from './assets';
import { stepPageCsp } from './csp';
import { renderStepPage } from './html';
import { isStrapi5 } from '../../hosts/v5/strapi';
import { pluginService } from '../../plugin-services';

/** Where the page and its files are served: the plugin's admin routes (see routes.ts). */
export const STEP_PAGE_PATH = '/duo-security/login';

export interface StepPageCtx {
  params?: Record<string, string | undefined>;
  request: { headers: Record<string, string | string[] | undefined> };
  status: number;
  type: string;
  body: unknown;
  set(name: string, value: string): void;
}

/** The path part of a configured URL (`https://example.com/cms` → `/cms`), without the trailing slash. */
function pathOf(url: unknown): string {
  if (typeof url !== 'string' || url === '') return '';
  try {
    return new URL(url, 'http://localhost').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/**
 * GET /duo-security/login: the admin Duo step page (public, like the login form it continues), and its files under
 * /duo-security/login/<file>. The open step reaches the page through sessionStorage, never the URL.
 */
export const stepPageController = ({ strapi, assetsDir = PUBLIC_DIR }: { strapi: Strapi; assetsDir?: string }) => {
  const settings = () => pluginService(strapi, 'settings');
  let assets: ReadonlyMap<AssetName, Asset> | undefined;
  let missing = false;
  try {
    assets = loadAssets(assetsDir);
  } catch (error) {
    // Said loudly, but Strapi still starts: without the page staff cannot finish a Duo sign-in, nothing more.
    missing = true;
    strapi.log.error(error instanceof Error ? error.message : String(error));
  }
  // A packaging fault, not the caller's: 503, and the file names and folders stay in the server log.
  const unavailable = (ctx: StepPageCtx): boolean => {
    if (!missing) return false;
    ctx.status = 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: null,
      error: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'The Duo sign-in page is unavailable: the plugin is installed incompletely (see the server log).',
        details: {},
      },
    };
    return true;
  };

  return {
    async page(ctx: StepPageCtx): Promise<void> {
      if (unavailable(ctx)) return;
      const { apiHostname } = await settings().get();
      const serverPath = pathOf(strapi.config.get('server.url'));
      const adminPath = (strapi.config.get('admin.path') as string | undefined) ?? '/admin';
      ctx.set('Content-Security-Policy', stepPageCsp(apiHostname, process.env.NODE_ENV === 'production'));
      // The page itself holds nothing secret, but what it leads to must not be cached or leak its address.
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('X-Frame-Options', 'DENY');
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = renderStepPage({
        assetBase: `${serverPath}${STEP_PAGE_PATH}`,
        adminPath: adminPath || '/admin',
        strapiMajor: isStrapi5(strapi) ? 5 : 4,
      });
    },

    asset(ctx: StepPageCtx): void {
      if (unavailable(ctx)) return;
      const name = ctx.params?.file;
      const asset = isAssetName(name) ? assets?.get(name) : undefined;
      if (asset === undefined) {
        ctx.status = 404;
        ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } };
        return;
      }
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('ETag', asset.etag);
      ctx.set('X-Content-Type-Options', 'nosniff');
      if (ctx.request.headers['if-none-match'] === asset.etag) {
        ctx.status = 304;
        return;
      }
      ctx.type = asset.type;
      ctx.body = asset.body;
    },
  };
};
