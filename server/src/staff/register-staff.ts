import type { Strapi } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type { ChallengeService } from '../engine/challenge-service';
import { adminUserService, findAdminUser } from './admin-services';
import { issueAdminToken } from './admin-token';
import { gateAdminController } from './gate-admin-controller';
import { assertAdminStrategyGuarded, guardAdminStrategy } from './guard-admin-strategy';

/** In the plugin's register(): before routes resolve their actions and before the admin registers its strategy. */
export function registerStaffGates(strapi: Strapi): void {
  gateAdminController(strapi);
  guardAdminStrategy(strapi);
}

/**
 * In bootstrap(): what an administrator gets once Duo allows: what the gated path would have answered,
 * `{ data: { token, user } }`, with a Duo-claimed token.
 */
export function registerStaffIssuer(strapi: Strapi): void {
  assertAdminStrategyGuarded(strapi);
  const challenge = strapi.plugin('duo-security').service('challenge') as ChallengeService;
  challenge.registerIssuer('staff', {
    async respond(userId, _flow, claim) {
      // Read again: the administrator may have been deactivated while the Duo step was open.
      const user = await findAdminUser(strapi, userId);
      if (user === null || user.isActive !== true) throw new errors.ApplicationError('User not active');
      return {
        data: { token: issueAdminToken(strapi, userId, claim), user: adminUserService(strapi).sanitizeUser(user) },
      };
    },
    enabled: (userId, claim) => ({ data: { enabled: true, token: issueAdminToken(strapi, userId, claim) } }),
  });
}
