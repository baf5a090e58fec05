import type { Strapi } from '@strapi/strapi';

import { readDuoClaim } from '../../../engine/claim';
import { pluginService } from '../../../plugin-services';
import type { UpJwtService } from './up-services';

/**
 * Defence in depth: users-permissions token verification refuses, for a client who must use Duo, any token without
 * the Duo claim. Tokens from before Duo was turned on, or minted by a path the gates do not know, stop working.
 */
export function guardClientJwt(strapi: Strapi): void {
  const services = strapi.container.get('services') as {
    extend(uid: string, fn: (service: UpJwtService) => UpJwtService): void;
  };
  services.extend('plugin::users-permissions.jwt', (service) => ({
    ...service,
    async verify(token: string) {
      const payload = await service.verify(token);
      if (readDuoClaim(payload) !== undefined) return payload;
      const id = payload.id;
      if (typeof id !== 'number') return payload;
      if ((await pluginService(strapi, 'policy').cachedRequirement('clients', id)).needed)
        throw new Error('Invalid token.');
      return payload;
    },
  }));
}
