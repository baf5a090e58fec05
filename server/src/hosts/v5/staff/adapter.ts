import type { Strapi } from '@strapi/strapi';
import { errors } from '../../../utils/strapi-utils';

import type { AudienceAdapter } from '../../contract';
import type { SessionManager } from '../strapi';
import { accessCookie, deviceParams, openAdminSession } from './admin-session';
import type { StaffFlow } from './gate';

interface AdminUserRow {
  readonly id: number;
  readonly isActive?: boolean | null;
}

function staffFlow(flow: unknown): StaffFlow {
  const action = flow !== null && typeof flow === 'object' ? (flow as { action?: unknown }).action : undefined;
  return {
    action: action === 'resetPassword' || action === 'register' || action === 'registerAdmin' ? action : 'login',
    ...deviceParams(flow),
  };
}

/**
 * What an administrator gets once Duo allows (Strapi 5): the session Strapi's own action would have opened (the
 * refresh cookie, remember me and device id honoured; without remember me also the access cookie the admin app
 * reads, see `accessCookie`) and its answer, `{ data: { token, accessToken, user } }`
 * (`{ data: { token, user } }` after a password reset, as Strapi answers there).
 */
export function staffAdapterV5(strapi: Strapi, manager: () => SessionManager): AudienceAdapter {
  const activeUser = async (userId: number): Promise<AdminUserRow> => {
    // Read again: the administrator may have been deactivated while the Duo step was open.
    const user = (await strapi.db?.query('admin::user').findOne({ where: { id: userId } })) as AdminUserRow | null;
    if (user === null || user === undefined || user.isActive !== true)
      throw new errors.ApplicationError('User not active');
    return user;
  };
  const sanitize = (user: AdminUserRow): unknown =>
    (strapi.service('admin::user') as unknown as { sanitizeUser(user: unknown): unknown }).sanitizeUser(user);

  return {
    audience: 'staff',
    async completeLogin({ userId, flow, via, exchange }) {
      const user = await activeUser(userId);
      const { action, ...device } = staffFlow(flow);
      // A reset password opens a browser-session cookie with a new device, as Strapi does.
      const session = action === 'resetPassword' ? { rememberMe: false } : device;
      const token = await openAdminSession(strapi, manager, { userId, device: session, via, exchange });
      if (!session.rememberMe) {
        const cookie = accessCookie(strapi, exchange.secure);
        exchange.setCookie(cookie.name, token, cookie.options);
      }
      const data = action === 'resetPassword' ? { token } : { token, accessToken: token };
      return { data: { ...data, user: sanitize(user) } };
    },
    async completeEnable({ userId, via, exchange }) {
      await activeUser(userId);
      // Turning Duo on ends the sessions without the mark, the caller's included: hand it a marked one.
      const token = await openAdminSession(strapi, manager, { userId, device: { rememberMe: false }, via, exchange });
      return { data: { enabled: true, token } };
    },
  };
}
