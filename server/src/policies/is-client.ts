import type { Strapi } from '@strapi/strapi';
import { errors } from '../utils/strapi-utils';

import { clientTokenPayload, findClientUser } from '../hosts/v4/clients/up-services';

export interface PolicyContext {
  state: Record<string, unknown>;
}

/**
 * Authenticates the client's users-permissions JWT for the self-service routes (which are `auth: false`, so no role
 * permission has to be granted), through the same verification as every other request, Duo claim check included.
 */
export const isClient = async (policyContext: PolicyContext, _config: unknown, { strapi }: { strapi: Strapi }) => {
  const payload = await clientTokenPayload(strapi, policyContext);
  const id = payload?.id;
  if (typeof id !== 'number') throw new errors.UnauthorizedError('Sign in first');
  const user = await findClientUser(strapi, id);
  if (user === null || user.blocked === true) throw new errors.UnauthorizedError('Sign in first');
  policyContext.state.duoClient = user;
  return true;
};
