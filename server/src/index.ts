import type { Strapi } from '@strapi/strapi';

import { config } from './config';
import { contentTypes } from './content-types';
import { controllers } from './controllers';
import { registerPermissions } from './permissions';
import { routes } from './routes';
import { services } from './services';

export const PLUGIN_ID = 'duo-security';

export default {
  register(_: { strapi: Strapi }): void {
    // Login gates are installed here by the clients and staff features.
  },
  async bootstrap({ strapi }: { strapi: Strapi }): Promise<void> {
    await registerPermissions(strapi);
  },
  destroy(): void {},
  config,
  controllers,
  routes,
  contentTypes,
  services,
  policies: {},
  middlewares: {},
};
