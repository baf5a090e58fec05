import type { Strapi } from '@strapi/strapi';

import { config } from './config';
import type { DuoProvider } from './engine/duo-provider';
import { startPurgeJob } from './engine/purge-job';
import { contentTypes } from './content-types';
import { controllers } from './controllers';
import { registerClientGates, registerClientIssuer } from './clients/register-clients';
import { hideFromGraphql } from './hide-from-graphql';
import { registerPermissions } from './permissions';
import { policies } from './policies';
import { routes } from './routes';
import { registerStaffGates, registerStaffIssuer } from './staff/register-staff';
import { services } from './services';

export const PLUGIN_ID = 'duo-security';

let stopPurgeJob: (() => void) | undefined;

export default {
  register({ strapi }: { strapi: Strapi }): void {
    registerClientGates(strapi);
    registerStaffGates(strapi);
    hideFromGraphql(strapi);
  },
  async bootstrap({ strapi }: { strapi: Strapi }): Promise<void> {
    await registerPermissions(strapi);
    registerClientIssuer(strapi);
    registerStaffIssuer(strapi);
    stopPurgeJob = startPurgeJob(strapi);
  },
  async destroy({ strapi }: { strapi: Strapi }): Promise<void> {
    stopPurgeJob?.();
    await (strapi.plugin('duo-security').service('duo') as DuoProvider).close();
  },
  config,
  controllers,
  routes,
  contentTypes,
  services,
  policies,
  middlewares: {},
};
