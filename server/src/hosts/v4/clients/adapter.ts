import type { Strapi } from '@strapi/strapi';

import type { AudienceAdapter } from '../../contract';
import { issueClientToken } from './gate-auth-controller';

/** What a client gets once Duo allows (Strapi 4, users-permissions): what the original path would have answered. */
export function clientsAdapter(strapi: Strapi): AudienceAdapter {
  return {
    audience: 'clients',
    async completeLogin({ userId, flow, via }) {
      const user = flow !== null && typeof flow === 'object' ? (flow as { user?: unknown }).user : undefined;
      return { jwt: issueClientToken(strapi, userId, via), user: user ?? { id: userId } };
    },
    async completeEnable({ userId, via }) {
      return { data: { enabled: true, jwt: issueClientToken(strapi, userId, via) } };
    },
  };
}
