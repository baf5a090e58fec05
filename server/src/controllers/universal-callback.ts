import type { Strapi } from '@strapi/strapi';

import { DuoStepError } from '../engine/errors';
import { serverOrigin, STAFF_STEP_PAGE_PATH, type OriginCtx } from '../hosts/universal-return';
import { pluginService } from '../plugin-services';
import type { Audience } from '../settings/types';

export interface CallbackCtx extends OriginCtx {
  query: Record<string, unknown>;
  url: string;
  path: string;
  status: number;
  set(name: string, value: string): void;
  redirect(url: string): void;
}

/**
 * Where Duo's Universal Prompt sends the browser back (`GET …/duo-security/universal/callback?duo_code=…&state=…`).
 * Public: the state is the key. The answer is always a 303 on to the front end (or the staff step page), with the
 * outcome in the URL fragment, which browsers never send to a server; only a state that names no step and a site
 * without a return URL get an error in Strapi's envelope instead.
 */
export const universalCallback =
  (audience: Audience) =>
  ({ strapi }: { strapi: Strapi }) => ({
    async callback(ctx: CallbackCtx): Promise<void> {
      const { query } = ctx;
      // Strapi's request logger prints `ctx.url` once the answer is sent: without the query, Duo's code and the
      // state (both single use, and spent by then) stay out of the access log as well.
      ctx.url = ctx.path;
      const result = await pluginService(strapi, 'step').universalCallback(audience, {
        state: query.state,
        duoCode: query.duo_code,
        error: query.error,
        errorDescription: query.error_description,
      });
      const target = result.returnUrl ?? (await fallback(strapi, audience, ctx));
      if (target === undefined) throw new DuoStepError('unknown');
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.redirect(`${target}#${new URLSearchParams(result.fragment).toString()}`);
      ctx.status = 303;
    },
  });

/** Where a browser goes when the state named no step: the staff step page, or the clients' first return URL. */
async function fallback(strapi: Strapi, audience: Audience, ctx: OriginCtx): Promise<string | undefined> {
  if (audience === 'staff') return `${serverOrigin(strapi, ctx)}${STAFF_STEP_PAGE_PATH}`;
  return (await pluginService(strapi, 'settings').get()).clientReturnUrls[0];
}
