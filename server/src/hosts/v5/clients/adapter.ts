import { randomUUID } from 'node:crypto';

import type { Strapi } from '@strapi/strapi';

import type { AudienceAdapter } from '../../contract';
import { clientsAdapter } from '../../v4/clients/adapter';
import type { SessionManager } from '../strapi';
import { openClientSession } from './client-session';
import { isRefreshMode, refreshCookieConfigured } from './up-config';

interface ClientFlow {
  readonly action?: string;
  readonly user?: unknown;
  readonly deviceId?: string;
  readonly refreshCookie: boolean;
}

function clientFlow(flow: unknown): ClientFlow {
  const record = flow !== null && typeof flow === 'object' ? (flow as Record<string, unknown>) : {};
  return {
    ...(typeof record.action === 'string' ? { action: record.action } : {}),
    ...(record.user === undefined ? {} : { user: record.user }),
    ...(typeof record.deviceId === 'string' && record.deviceId !== '' ? { deviceId: record.deviceId } : {}),
    refreshCookie: record.refreshCookie === true,
  };
}

// users-permissions gives these sessions a fresh device id when the request named none; sign-in leaves it empty.
const NEW_DEVICE_ACTIONS = new Set(['register', 'resetPassword', 'changePassword']);

/**
 * What a client gets once Duo allows (Strapi 5). `legacy-support`: a JWT with the Duo claim, as on Strapi 4.
 * `refresh`: a marked session opened through Strapi's session manager, answered as users-permissions answers a
 * sign-in: `{ jwt, refreshToken, user }`, or `{ jwt, user }` and the refresh cookie. The mode is read when the
 * step finishes, as users-permissions reads it for each request.
 */
export function clientsAdapterV5(strapi: Strapi, manager: () => SessionManager): AudienceAdapter {
  const jwtAdapter = clientsAdapter(strapi);
  return {
    audience: 'clients',
    async completeLogin(input) {
      if (!isRefreshMode(strapi)) return jwtAdapter.completeLogin(input);
      const flow = clientFlow(input.flow);
      const newDevice = flow.action !== undefined && NEW_DEVICE_ACTIONS.has(flow.action);
      const tokens = await openClientSession(strapi, manager, {
        userId: input.userId,
        deviceId: flow.deviceId ?? (newDevice ? randomUUID() : undefined),
        via: input.via,
        cookie: flow.refreshCookie,
        exchange: input.exchange,
      });
      // A rotation answers no user.
      if (flow.action === 'refresh') return tokens;
      return { ...tokens, user: flow.user ?? { id: input.userId } };
    },
    async completeEnable(input) {
      if (!isRefreshMode(strapi)) return jwtAdapter.completeEnable(input);
      // Turning Duo on leaves the caller's session unmarked, so refused from now on: hand it a marked one. The
      // enable request cannot say where it wants the refresh token: the site's setting decides.
      const tokens = await openClientSession(strapi, manager, {
        userId: input.userId,
        deviceId: randomUUID(),
        via: input.via,
        cookie: refreshCookieConfigured(strapi),
        exchange: input.exchange,
      });
      return { data: { enabled: true, ...tokens } };
    },
  };
}
