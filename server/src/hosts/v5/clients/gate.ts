import type { Strapi } from '@strapi/strapi';

import { CLIENT_SIGN_IN_ACTIONS, gateClientSignIns } from '../../clients-gate';
import type { AudienceAdapter } from '../../contract';
import { jwtGateMode } from '../../v4/clients/gate-auth-controller';
import { refreshGateMode } from './refresh-gate-mode';
import { isRefreshMode } from './up-config';

/**
 * Strapi 5 client sign-ins, in both users-permissions modes (chosen per request, as users-permissions does):
 * `legacy-support` signs JWTs as Strapi 4 did, `refresh` opens sessions. `refresh` (the rotation) is gated too: it
 * mints tokens, and a rotation the guard refuses must not answer with one.
 */
export function gateClientSignInsV5(strapi: Strapi, adapter: () => AudienceAdapter): void {
  const jwt = jwtGateMode(strapi);
  const refresh = refreshGateMode(strapi);
  gateClientSignIns(strapi, {
    actions: [...CLIENT_SIGN_IN_ACTIONS, 'refresh'],
    mode: () => (isRefreshMode(strapi) ? refresh : jwt),
    adapter,
  });
}
