import type { Strapi } from '@strapi/strapi';

import { UIDS } from './engine/db';

interface ShadowCrud {
  disable(): void;
}

/**
 * @strapi/plugin-graphql generates queries and mutations for every content type, the plugin's hidden tables included.
 * Duo steps, enrolments and the audit log must never be reachable that way, whatever a role is granted.
 */
export function hideFromGraphql(strapi: Strapi): void {
  if (strapi.plugins.graphql === undefined) return;
  const extension = strapi.plugin('graphql').service('extension') as { shadowCRUD(uid: string): ShadowCrud };
  for (const uid of Object.values(UIDS)) extension.shadowCRUD(uid).disable();
}
