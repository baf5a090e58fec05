import type { Strapi } from '@strapi/strapi';

import type { ChallengeService } from '../engine/challenge-service';
import { gateAuthController, issueClientToken } from './gate-auth-controller';
import { guardClientJwt } from './guard-jwt';

/** In the plugin's register(): before routes resolve their actions, so REST and GraphQL get the gated ones. */
export function registerClientGates(strapi: Strapi): void {
  gateAuthController(strapi);
  guardClientJwt(strapi);
}

/** In bootstrap(): what a client gets once Duo allows: what the original path would have answered. */
export function registerClientIssuer(strapi: Strapi): void {
  const challenge = strapi.plugin('duo-security').service('challenge') as ChallengeService;
  challenge.registerIssuer('clients', {
    async respond(userId, flow, claim) {
      const user = flow !== null && typeof flow === 'object' ? (flow as { user?: unknown }).user : undefined;
      return { jwt: issueClientToken(strapi, userId, claim), user: user ?? { id: userId } };
    },
    enabled: (userId, claim) => ({ data: { enabled: true, jwt: issueClientToken(strapi, userId, claim) } }),
  });
}
