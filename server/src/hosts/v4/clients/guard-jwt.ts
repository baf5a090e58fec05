import type { Strapi } from '@strapi/strapi';

import { readDuoClaim } from '../../../engine/claim';
import { pluginService } from '../../../plugin-services';
import { plainUserId } from '../../../utils/user-id';
import type { UpJwtService } from './up-services';
import { registry } from '../../registries';

/**
 * Defence in depth: users-permissions token verification refuses, for a client who must use Duo, any token without
 * the Duo claim. Tokens from before Duo was turned on, or minted by a path the gates do not know, stop working.
 */
export function guardClientJwt(strapi: Strapi): void {
  const services = registry<UpJwtService>(strapi, 'services');
  services.extend('plugin::users-permissions.jwt', (service) => ({
    ...service,
    async verify(token: string) {
      return refuseClaimlessToken(strapi, await service.verify(token));
    },
  }));
}

/** The verified payload of a signed users-permissions JWT, refused when it lacks the claim its user needs. */
export async function refuseClaimlessToken(
  strapi: Strapi,
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (readDuoClaim(payload) !== undefined) return payload;
  const policy = pluginService(strapi, 'policy');
  const id = plainUserId(payload.id);
  // users-permissions finds the user with whatever `id` the token carries ("1", [1] and {"$eq": 1} all find
  // user 1), so an id that is not a plain user id cannot be let through unchecked. Strapi only ever signs
  // numbers here: while Duo guards clients, refuse every other shape.
  if (id === undefined) {
    if (await policy.audienceEnabled('clients')) throw new Error('Invalid token.');
    return payload;
  }
  if ((await policy.cachedRequirement('clients', id)).needed) throw new Error('Invalid token.');
  return payload;
}
