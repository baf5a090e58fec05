import type { Strapi } from '@strapi/strapi';

import type { services } from './services';

/** The plugin's services by name, typed from the very map Strapi registers (`services/index.ts`). */
export type PluginServices = { readonly [K in keyof typeof services]: ReturnType<(typeof services)[K]> };
export type PluginServiceName = keyof PluginServices;

/**
 * One of the plugin's services, typed. Resolved per call (Strapi instantiates services lazily, and some refer to
 * each other), so keep the function, not its result, when a service is needed later.
 */
export function pluginService<K extends PluginServiceName>(strapi: Strapi, name: K): PluginServices[K] {
  return strapi.plugin('duo-security').service(name) as PluginServices[K];
}
