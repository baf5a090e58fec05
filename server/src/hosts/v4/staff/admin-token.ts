import type { Strapi } from '@strapi/strapi';
import jwt from 'jsonwebtoken';

import { DUO_CLAIM, type DuoClaimValue } from '../../../engine/claim';
import { adminTokenService } from './admin-services';

/**
 * An admin session token that passed Duo: what `admin::token.createJwtToken` signs (`{ id }`, the admin secret and
 * options, 30 days by default), plus the Duo claim. Strapi ignores the extra claim; the plugin's guard requires it.
 */
export function issueAdminToken(strapi: Strapi, userId: number, claim: DuoClaimValue): string {
  const { secret, options } = adminTokenService(strapi).getTokenOptions();
  return jwt.sign({ id: userId, [DUO_CLAIM]: claim }, secret, options as jwt.SignOptions);
}
