import { at, isRecord, stringAt, type AppClient } from '../lib/http';
import type { Credentials } from '../lib/flows';

export const ADMIN = { firstname: 'Bench', lastname: 'Admin', email: 'admin@bench.test', password: 'Bench-Admin-1' };
const EDITOR = { firstname: 'Bench', lastname: 'Editor', email: 'editor@bench.test', password: 'Bench-Editor-1' };
const CLIENT_PASSWORD = 'Bench-Client-1';

export interface SeedPlan {
  /** Clients who never use Duo. */
  readonly plain: number;
  /** Clients with Duo on whose pushes the sandbox approves at once. */
  readonly duoFast: number;
  /** Clients with Duo on whose pushes wait for the bench (the "many waiting logins" measurement). */
  readonly duoWait: number;
}

export interface SeededUsers {
  readonly plain: Credentials[];
  readonly duoFast: Credentials[];
  readonly duoWait: Credentials[];
}

export function usersOf(plan: SeedPlan): SeededUsers {
  const make = (prefix: string, count: number): Credentials[] =>
    Array.from({ length: count }, (_, i) => ({ email: `${prefix}-${i}@bench.test`, password: CLIENT_PASSWORD }));
  return {
    plain: make('plain', plan.plain),
    duoFast: make('duo-fast', plan.duoFast),
    duoWait: make('duo-wait', plan.duoWait),
  };
}

/** Lets `roleType` (public / authenticated) call find and findOne on articles. */
async function allowArticles(app: AppClient, token: string, roleType: string): Promise<void> {
  const list = await app.expect('/users-permissions/roles', 200, { token });
  const roles = at(list, 'roles');
  const role = Array.isArray(roles) ? roles.find((r: unknown) => at(r, 'type') === roleType) : undefined;
  const id = at(role, 'id');
  if (typeof id !== 'number') throw new Error(`no ${roleType} role`);
  const detail = at(await app.expect(`/users-permissions/roles/${id}`, 200, { token }), 'role');
  const permissions = at(detail, 'permissions');
  if (!isRecord(detail) || !isRecord(permissions)) throw new Error(`no permissions on the ${roleType} role`);
  const actions = at(permissions, 'api::article', 'controllers', 'article');
  if (!isRecord(actions)) throw new Error('the article controller has no permissions entry');
  for (const name of ['find', 'findOne']) {
    const action = actions[name];
    if (isRecord(action)) action.enabled = true;
  }
  await app.expect(`/users-permissions/roles/${id}`, 200, {
    method: 'PUT',
    token,
    body: { name: detail.name, description: detail.description, type: detail.type, permissions },
  });
}

/**
 * The same data in either app, through the same HTTP APIs an operator would use: the first administrator, public
 * and authenticated read access to articles, ten articles, an Editor, and the clients. Returns the admin tokens.
 */
export interface SeededApp {
  readonly adminToken: string;
  /** An administrator of Strapi's Editor role, which holds none of the plugin's permissions. */
  readonly editorToken: string;
  /** The Duo username the plugin gives each client (its default client mapping, by id), by e-mail. */
  readonly duoUsernames: ReadonlyMap<string, string>;
}

export async function seedApp(app: AppClient, users: SeededUsers): Promise<SeededApp> {
  const token = stringAt(await app.expect('/admin/register-admin', 200, { body: ADMIN }), 'data', 'token');
  await allowArticles(app, token, 'public');
  await allowArticles(app, token, 'authenticated');
  for (let i = 0; i < 10; i++) {
    const created = await app.call('/content-manager/collection-types/api::article.article', {
      token,
      body: { title: `Article ${i}`, body: `Body of article ${i}. `.repeat(20) },
    });
    // Strapi 4 answers 200, Strapi 5 201 Created.
    if (created.status !== 200 && created.status !== 201)
      throw new Error(`creating an article: HTTP ${created.status}`);
  }
  const duoUsernames = new Map<string, string>();
  for (const user of [...users.plain, ...users.duoFast, ...users.duoWait]) {
    const registered = await app.expect('/api/auth/local/register', 200, {
      body: { username: user.email.split('@')[0], email: user.email, password: user.password },
    });
    duoUsernames.set(user.email, `strapi-client-${String(at(registered, 'user', 'id'))}`);
  }
  return { adminToken: token, editorToken: await inviteEditor(app, token), duoUsernames };
}

/** Invites an administrator with Strapi's Editor role and registers them as the invitation's link would. */
async function inviteEditor(app: AppClient, token: string): Promise<string> {
  const roles = at(await app.expect('/admin/roles', 200, { token }), 'data');
  const editor = Array.isArray(roles) ? roles.find((r: unknown) => at(r, 'code') === 'strapi-editor') : undefined;
  const roleId = at(editor, 'id');
  if (typeof roleId !== 'number') throw new Error('no Editor role');
  const { password, ...identity } = EDITOR;
  const invited = await app.call('/admin/users', { token, body: { ...identity, roles: [roleId] } });
  if (invited.status !== 200 && invited.status !== 201) throw new Error(`inviting the editor: HTTP ${invited.status}`);
  const registrationToken = stringAt(invited.body, 'data', 'registrationToken');
  const registered = await app.expect('/admin/register', 200, {
    body: { registrationToken, userInfo: { firstname: identity.firstname, lastname: identity.lastname, password } },
  });
  return stringAt(registered, 'data', 'token');
}
