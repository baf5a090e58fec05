import type { Strapi } from '@strapi/strapi';

import { pluginService } from '../../plugin-services';
import type { Host } from '../contract';
import { clientsAdapterV5 } from './clients/adapter';
import { gateClientSignInsV5 } from './clients/gate';
import { guardClientTokensV5 } from './clients/guard-jwt';
import { guardSessionManager, refuseUnmarkedSessions } from './sessions';
import type { SessionManager } from './strapi';
import { staffAdapterV5 } from './staff/adapter';
import { gateAdminSignIns } from './staff/gate';

/**
 * Strapi 5: sign-ins are server-side sessions. The gates hold Strapi's session step for a user who must use Duo;
 * the adapters open the session through Strapi's session manager once Duo allows; the session guard refuses rows
 * and tokens of such users that did not pass Duo. users-permissions signs JWTs as on Strapi 4 in its default
 * `legacy-support` mode and opens sessions in `refresh` mode; the client gates follow the mode of each request.
 */
export function createV5Host(): Host {
  const managers = new WeakMap<Strapi, () => SessionManager>();
  const manager = (strapi: Strapi) => (): SessionManager => {
    const found = managers.get(strapi);
    if (found === undefined) throw new Error('duo-security: the Strapi 5 session guard is not installed');
    return found();
  };
  const policy = (strapi: Strapi) => () => pluginService(strapi, 'policy');
  return {
    name: 'v5',
    register(strapi) {
      managers.set(strapi, guardSessionManager(strapi, policy(strapi)));
      gateAdminSignIns(strapi, () => staffAdapterV5(strapi, manager(strapi)), manager(strapi));
      gateClientSignInsV5(strapi, () => clientsAdapterV5(strapi, manager(strapi)));
      guardClientTokensV5(strapi);
    },
    bootstrap(strapi) {
      refuseUnmarkedSessions(strapi, policy(strapi));
    },
    adapters: (strapi) => ({
      staff: staffAdapterV5(strapi, manager(strapi)),
      clients: clientsAdapterV5(strapi, manager(strapi)),
    }),
  };
}
