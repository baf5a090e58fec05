import type { Strapi } from '@strapi/strapi';

import { PLUGIN_VERSION } from '../version';

export interface Ctx {
  body: unknown;
}

/** What the admin UI needs to know before anything is configured. */
export const info = ({ strapi: _strapi }: { strapi: Strapi }) => ({
  get(ctx: Ctx): void {
    ctx.body = { data: { plugin: 'duo-security', version: PLUGIN_VERSION } };
  },
});
