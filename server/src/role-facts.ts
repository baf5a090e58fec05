import type { Strapi } from '@strapi/strapi';

import type { Audience } from './settings/types';

/** Strapi's user models per audience: admin users have many roles, users-permissions users one. */
const MODELS = {
  staff: { uid: 'admin::user', relation: 'roles' },
  clients: { uid: 'plugin::users-permissions.user', relation: 'role' },
} as const;

/** The ids of a user's roles, read from Strapi's own tables (the same on Strapi 4 and 5); none for an unknown user. */
export async function roleIdsOf(strapi: Strapi, audience: Audience, userId: number): Promise<number[]> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  const { uid, relation } = MODELS[audience];
  const user = (await strapi.db.query(uid).findOne({
    where: { id: userId },
    select: ['id'],
    populate: { [relation]: { select: ['id'] } },
  })) as Record<string, unknown> | null;
  const related = user?.[relation];
  const list = Array.isArray(related) ? related : related === null || related === undefined ? [] : [related];
  return list.flatMap((role: unknown) => {
    const id = role !== null && typeof role === 'object' ? (role as { id?: unknown }).id : undefined;
    return typeof id === 'number' ? [id] : [];
  });
}

/** The roles an audience's overrides can name, for the settings page. */
export async function rolesOf(strapi: Strapi, audience: Audience): Promise<Array<{ id: number; name: string }>> {
  if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
  const uid = audience === 'staff' ? 'admin::role' : 'plugin::users-permissions.role';
  // An app without users-permissions has no client roles.
  if (audience === 'clients' && strapi.plugin('users-permissions') === undefined) return [];
  const rows = (await strapi.db.query(uid).findMany({ select: ['id', 'name'], orderBy: { id: 'asc' } })) as Array<{
    id: number;
    name: string;
  }>;
  return rows.map((row) => ({ id: row.id, name: row.name }));
}
