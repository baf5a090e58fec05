import type { Strapi } from '@strapi/strapi';

import { DUO_CLAIM, readDuoClaim, type DuoClaimValue } from '../../../engine/claim';
import { pluginService } from '../../../plugin-services';
import { CLIENT_SIGN_IN_ACTIONS, gateClientSignIns, type ClientGateMode } from '../../clients-gate';
import type { AudienceAdapter } from '../../contract';
import { clientTokenPayload, upJwt } from './up-services';

interface TokenResponse {
  jwt: string;
  user: { id: number; email?: string | null; username?: string | null } & Record<string, unknown>;
}

function isTokenResponse(body: unknown): body is TokenResponse {
  if (body === null || typeof body !== 'object') return false;
  const { jwt, user } = body as Record<string, unknown>;
  return (
    typeof jwt === 'string' &&
    user !== null &&
    typeof user === 'object' &&
    typeof (user as { id?: unknown }).id === 'number'
  );
}

/**
 * users-permissions signing JWTs (Strapi 4; Strapi 5 in `legacy-support` mode): the action signs its token, which
 * the client has not seen yet; for a client who must use Duo it is dropped. A Duo-passed token carries the claim.
 */
export function jwtGateMode(strapi: Strapi): ClientGateMode {
  return {
    async run(ctx, action) {
      const result = await action();
      if (!isTokenResponse(ctx.body)) return { result };
      const { user } = ctx.body;
      if (!(await pluginService(strapi, 'policy').requirement('clients', user.id)).needed) return { result };
      return { result, held: { user, sanitized: user } };
    },
    async callerVia(ctx) {
      return readDuoClaim(await clientTokenPayload(strapi, ctx));
    },
    flow: () => ({}),
  };
}

/** Strapi 4: every sign-in action, gated with JWTs. */
export function gateAuthController(strapi: Strapi, adapter: () => AudienceAdapter): void {
  const mode = jwtGateMode(strapi);
  gateClientSignIns(strapi, { actions: CLIENT_SIGN_IN_ACTIONS, mode: () => mode, adapter });
}

export function issueClientToken(strapi: Strapi, userId: number, claim: DuoClaimValue): string {
  return upJwt(strapi).issue({ id: userId, [DUO_CLAIM]: claim });
}
