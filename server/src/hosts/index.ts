import type { Strapi } from '@strapi/strapi';

import type { Host } from './contract';
import { v4Host } from './v4';

/**
 * The host the running Strapi is. Strapi 5 has a session manager (`strapi.sessionManager`), Strapi 4 does not;
 * a v5 host slots in here. Until then a Strapi 5 start fails rather than run gates written for Strapi 4.
 */
export function selectHost(strapi: Strapi): Host {
  if ((strapi as unknown as { sessionManager?: unknown }).sessionManager !== undefined) {
    throw new Error('duo-security: this version of the plugin supports Strapi 4 only');
  }
  return v4Host;
}
