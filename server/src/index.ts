import type { Strapi } from '@strapi/strapi';

import { config } from './config';
import { controllers } from './controllers';
import { routes } from './routes';

export const PLUGIN_ID = 'duo-security';

export default {
  register(_: { strapi: Strapi }): void {
    // Login gates are installed here by the clients and staff features.
  },
  bootstrap(_: { strapi: Strapi }): void {
    // Permissions and settings are registered here by the settings feature.
  },
  destroy(): void {},
  config,
  controllers,
  routes,
  contentTypes: {},
  services: {},
  policies: {},
  middlewares: {},
};
