import type { Strapi } from '@strapi/strapi';

import { config } from './config';
import { startPurgeJob } from './engine/purge-job';
import { contentTypes } from './content-types';
import { controllers } from './controllers';
import { assertHiddenFromContentManager, hideFromContentManager } from './hide-from-content-manager';
import { hideFromGraphql } from './hide-from-graphql';
import { selectHost } from './hosts';
import { registerPermissions } from './permissions';
import { pluginService } from './plugin-services';
import { policies } from './policies';
import { routes } from './routes';
import { services } from './services';

export const PLUGIN_ID = 'duo-security';

let stopPurgeJob: (() => void) | undefined;

export default {
  register({ strapi }: { strapi: Strapi }): void {
    selectHost(strapi).register(strapi);
    hideFromGraphql(strapi);
    hideFromContentManager(strapi);
  },
  async bootstrap({ strapi }: { strapi: Strapi }): Promise<void> {
    await registerPermissions(strapi);
    assertHiddenFromContentManager(strapi);
    selectHost(strapi).bootstrap(strapi);
    // Built now, not at the first login: the engine takes the host's adapters, and a missing one fails the start.
    pluginService(strapi, 'step');
    stopPurgeJob = startPurgeJob(strapi);
  },
  async destroy({ strapi }: { strapi: Strapi }): Promise<void> {
    stopPurgeJob?.();
    await pluginService(strapi, 'duo').close();
  },
  config,
  controllers,
  routes,
  contentTypes,
  services,
  policies,
  middlewares: {},
};
