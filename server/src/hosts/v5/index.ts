import type { Strapi } from '@strapi/strapi';

import { pluginService } from '../../plugin-services';
import type { Host } from '../contract';
import { clientsAdapter } from '../v4/clients/adapter';
import { gateAuthController } from '../v4/clients/gate-auth-controller';
import { guardClientJwt } from '../v4/clients/guard-jwt';
import { guardSessionManager, refuseUnmarkedSessions } from './sessions';
import type { SessionManager } from './strapi';
import { staffAdapterV5 } from './staff/adapter';
import { gateAdminSignIns } from './staff/gate';

/**
 * Strapi 5: sign-ins are server-side sessions. The gates hold Strapi's session step for a user who must use Duo;
 * the adapters open the session through Strapi's session manager once Duo allows; the session guard refuses rows
 * and tokens of such users that did not pass Duo. users-permissions in its default `legacy-support` mode signs
 * JWTs as on Strapi 4, so clients keep the Strapi 4 gates there.
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
      gateAuthController(strapi, () => clientsAdapter(strapi));
      guardClientJwt(strapi);
    },
    bootstrap(strapi) {
      refuseUnmarkedSessions(strapi, policy(strapi));
    },
    adapters: (strapi) => ({ staff: staffAdapterV5(strapi, manager(strapi)), clients: clientsAdapter(strapi) }),
  };
}
