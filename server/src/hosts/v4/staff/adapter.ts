import type { Strapi } from '@strapi/strapi';
import { errors } from '../../../utils/strapi-utils';

import type { AudienceAdapter } from '../../contract';
import { adminUserService, findAdminUser } from './admin-services';
import { issueAdminToken } from './admin-token';

/**
 * What an administrator gets once Duo allows (Strapi 4): what the gated path would have answered,
 * `{ data: { token, user } }`, with a Duo-claimed token.
 */
export function staffAdapter(strapi: Strapi): AudienceAdapter {
  return {
    audience: 'staff',
    async completeLogin({ userId, via }) {
      // Read again: the administrator may have been deactivated while the Duo step was open.
      const user = await findAdminUser(strapi, userId);
      if (user === null || user.isActive !== true) throw new errors.ApplicationError('User not active');
      return {
        data: { token: issueAdminToken(strapi, userId, via), user: adminUserService(strapi).sanitizeUser(user) },
      };
    },
    async completeEnable({ userId, via }) {
      return { data: { enabled: true, token: issueAdminToken(strapi, userId, via) } };
    },
  };
}
