import type { Strapi } from '@strapi/strapi';

import type { DuoVia, StepExchange } from '../../contract';
import { passedDuoMetadata } from '../sessions';
import type { SessionManager } from '../strapi';
import { refreshCookieName, refreshCookieOptions } from './up-config';

export const UP_ORIGIN = 'users-permissions';

/** A users-permissions session's two tokens, as its sign-in answers them. */
export interface ClientTokens {
  readonly jwt: string;
  /** Absent when the refresh token went to the httpOnly cookie. */
  readonly refreshToken?: string;
}

/**
 * Opens a users-permissions session that passed Duo (a row marked as such, see `sessions.ts`) and hands its tokens
 * the way the sign-in asked for: the refresh token in the body, or in the `strapi_up_refresh` cookie on the
 * finishing response.
 */
export async function openClientSession(
  strapi: Strapi,
  manager: () => SessionManager,
  input: {
    readonly userId: number;
    readonly deviceId: string | undefined;
    readonly via: DuoVia;
    readonly cookie: boolean;
    readonly exchange: StepExchange;
  },
): Promise<ClientTokens> {
  const sessions = manager()(UP_ORIGIN);
  const refresh = await sessions.generateRefreshToken(String(input.userId), input.deviceId, {
    type: 'refresh',
    metadata: passedDuoMetadata(input.exchange.userAgent, input.via),
  });
  const access = await sessions.generateAccessToken(refresh.token);
  if ('error' in access) throw new Error('duo-security: Strapi refused an access token for the new session');
  if (!input.cookie) return { jwt: access.token, refreshToken: refresh.token };
  input.exchange.setCookie(refreshCookieName(strapi), refresh.token, refreshCookieOptions(strapi));
  return { jwt: access.token };
}
