import { ROLES_PATH, type Envelope, type RolesResponse } from './types.ts';

/**
 * The admin's fetch client's GET (helper-plugin's useFetchClient in Strapi 4, @strapi/strapi/admin's in Strapi 5):
 * both answer `{ data }`, so one loader serves both admins while each keeps its own way of caching the answer.
 */
export type GetJson = <T>(url: string) => Promise<{ data: T }>;

/** GET /duo-security/settings/roles: the roles of each audience, for enforcement per role. */
export async function loadRoleOptions(get: GetJson): Promise<RolesResponse> {
  return (await get<Envelope<RolesResponse>>(ROLES_PATH)).data.data;
}
