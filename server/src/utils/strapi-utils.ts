import { createRequire } from 'node:module';

import type * as StrapiUtils from '@strapi/utils';

/**
 * The copy of `@strapi/utils` the running Strapi itself uses. Strapi answers an error in its envelope only when it is
 * `instanceof` its own `ApplicationError` (anything else is a 500), so the plugin's errors must come from that very
 * copy. An app can hold several: a fresh Strapi 5.54.0 app pins `@strapi/utils` 5.54.0 inside each `@strapi/*`
 * package, while the plugin's own peer range (`^5.50.0`) makes npm put the newest 5.x at the top, where a plain
 * `require('@strapi/utils')` from the plugin lands. So the plugin resolves it from Strapi's core (`@strapi/core` on
 * Strapi 5, whose error middleware checks; `@strapi/strapi` on Strapi 4, which holds that middleware itself), and
 * falls back to its own resolution only where neither is found (unit tests without Strapi).
 */
function strapisOwnUtils(): typeof StrapiUtils {
  const local = createRequire(__filename);
  const anchors: Array<() => string> = [
    () => createRequire(local.resolve('@strapi/strapi/package.json')).resolve('@strapi/core/package.json'),
    () => local.resolve('@strapi/strapi/package.json'),
  ];
  for (const anchor of anchors) {
    let packageJson: string;
    try {
      packageJson = anchor();
    } catch {
      continue;
    }
    return createRequire(packageJson)('@strapi/utils') as typeof StrapiUtils;
  }
  return local('@strapi/utils') as typeof StrapiUtils;
}

const utils = strapisOwnUtils();

export const errors: typeof StrapiUtils.errors = utils.errors;
export const yup: typeof StrapiUtils.yup = utils.yup;
export const validateYupSchema: typeof StrapiUtils.validateYupSchema = utils.validateYupSchema;
export const validateYupSchemaSync: typeof StrapiUtils.validateYupSchemaSync = utils.validateYupSchemaSync;
/** Strapi 5.50+'s session metadata builder; absent from older copies (and from Strapi 4). */
export const buildSessionMetadata: unknown = (utils as Record<string, unknown>).buildSessionMetadata;
