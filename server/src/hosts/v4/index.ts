import type { Host } from '../contract';
import { clientsAdapter } from './clients/adapter';
import { gateAuthController } from './clients/gate-auth-controller';
import { guardClientJwt } from './clients/guard-jwt';
import { staffAdapter } from './staff/adapter';
import { gateAdminController } from './staff/gate-admin-controller';
import { assertAdminStrategyGuarded, guardAdminStrategy } from './staff/guard-admin-strategy';

/** Strapi 4: wrapped controller actions and token guards; tokens are JWTs the adapters sign. */
export const v4Host: Host = {
  name: 'v4',
  register(strapi) {
    // Before routes resolve their actions (so REST and GraphQL get the gated ones) and before the admin registers
    // its authentication strategy.
    gateAuthController(strapi, () => clientsAdapter(strapi));
    guardClientJwt(strapi);
    gateAdminController(strapi);
    guardAdminStrategy(strapi);
  },
  bootstrap(strapi) {
    assertAdminStrategyGuarded(strapi);
  },
  adapters: (strapi) => ({ staff: staffAdapter(strapi), clients: clientsAdapter(strapi) }),
};
