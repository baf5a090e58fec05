import type { Strapi } from '@strapi/strapi';

import { pluginService } from '../../../plugin-services';
import { plainUserId } from '../../../utils/user-id';
import { registry } from '../../registries';
import { refuseClaimlessToken } from '../../v4/clients/guard-jwt';
import type { UpJwtService } from '../../v4/clients/up-services';
import { v5, type SessionManager } from '../strapi';
import { UP_ORIGIN } from './client-session';
import { isRefreshMode } from './up-config';

/**
 * users-permissions token verification on Strapi 5, in the mode of the request. `legacy-support`: the Strapi 4
 * rule (the Duo claim). `refresh`: Strapi checks only the access token's signature, not its session, so a token
 * whose session was revoked, or one signed with the secret for a session that never existed, passes; for a client
 * who must use Duo the session must exist, be active, belong to the token's user and carry the Duo mark.
 */
export function guardClientTokensV5(strapi: Strapi): void {
  registry<UpJwtService>(strapi, 'services').extend('plugin::users-permissions.jwt', (service) => ({
    ...service,
    async verify(token: string) {
      const payload = await service.verify(token);
      if (!isRefreshMode(strapi)) return refuseClaimlessToken(strapi, payload);
      await requireDuoSession(strapi, payload);
      return payload;
    },
  }));
}

async function requireDuoSession(strapi: Strapi, payload: Record<string, unknown>): Promise<void> {
  const policy = pluginService(strapi, 'policy');
  if (!(await policy.audienceEnabled('clients'))) return;
  const id = plainUserId(payload.id);
  if (id === undefined) throw new Error('Invalid token.');
  if (!(await policy.cachedRequirement('clients', id)).needed) return;
  const { sessionId } = payload;
  if (typeof sessionId !== 'string' || sessionId === '') throw new Error('Invalid token.');
  const row = await v5(strapi)
    .db.query('admin::session')
    .findOne({ where: { sessionId }, select: ['userId', 'origin'] });
  if (row === null || row.origin !== UP_ORIGIN || plainUserId(row.userId) !== id) throw new Error('Invalid token.');
  // The guarded manager: active (not expired, not revoked) and, for this client, marked as Duo-passed.
  const guarded = v5(strapi).sessionManager as SessionManager | null | undefined;
  if (guarded === null || guarded === undefined || !(await guarded(UP_ORIGIN).isSessionActive(sessionId)))
    throw new Error('Invalid token.');
}
