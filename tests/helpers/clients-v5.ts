import assert from 'node:assert/strict';

import jwt from 'jsonwebtoken';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { isRecord } from './client-answers';
import { clientDuoUsername, newCredentials, type Client } from './clients-harness';
import type { AudienceConfig } from './duo-setup';
import { bootStrapi, parseBody, type ApiResponse, type BootedStrapi, type StrapiV5 } from './strapi';
import { registerFirstAdmin } from './users';

/** playground-v5 with Duo activated for clients against a fresh sandbox (users-permissions mode from `env`). */
export interface ClientsV5 {
  readonly app: BootedStrapi<StrapiV5>;
  readonly strapi: StrapiV5;
  readonly sandbox: DuoSandbox;
  readonly adminToken: string;
  close(): Promise<void>;
}

export async function startClientsV5(env: Record<string, string>, clients: AudienceConfig): Promise<ClientsV5> {
  const sandbox = await startDuoSandbox({ port: 0 });
  let app: BootedStrapi<StrapiV5> | undefined;
  try {
    app = await bootStrapi({ host: 'v5', env });
    const booted = app;
    const adminToken = await registerFirstAdmin(booted.api);
    const response = await booted.api('/duo-security/settings', {
      token: adminToken,
      method: 'PUT',
      body: {
        activated: true,
        integrationKey: sandbox.ikey,
        secretKey: sandbox.skey,
        apiHostname: sandbox.url,
        clients: { enabled: true, ...clients },
      },
    });
    assert.equal(response.status, 200, `activating Duo: ${JSON.stringify(response.body)}`);
    return {
      app: booted,
      strapi: booted.strapi,
      sandbox,
      adminToken,
      close: async () => {
        try {
          await booted.close();
        } finally {
          await sandbox.close();
        }
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await sandbox.close();
    throw error;
  }
}

interface UpUserService {
  add(values: Record<string, unknown>): Promise<{ id: number }>;
}

interface RowQuery {
  findOne(params: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  update(params: Record<string, unknown>): Promise<unknown>;
}

function query(strapi: StrapiV5, uid: string): RowQuery {
  return strapi.db.query(uid) as unknown as RowQuery;
}

/** A confirmed client made straight in the database (no gated route), known to Duo unless `duo` is false. */
export async function createClientV5(harness: ClientsV5, options: { duo?: boolean } = {}): Promise<Client> {
  const credentials = newCredentials('v5c');
  const role = await query(harness.strapi, 'plugin::users-permissions.role').findOne({
    where: { type: 'authenticated' },
  });
  const users = (harness.strapi.plugin('users-permissions') as { service(name: string): UpUserService }).service(
    'user',
  );
  const user = await users.add({ ...credentials, provider: 'local', confirmed: true, blocked: false, role: role?.id });
  const duoUsername = clientDuoUsername(user.id);
  if (options.duo !== false) harness.sandbox.addUser({ username: duoUsername });
  return { ...credentials, id: user.id, duoUsername };
}

export function updateClientRow(harness: ClientsV5, id: number, data: Record<string, unknown>): Promise<unknown> {
  return query(harness.strapi, 'plugin::users-permissions.user').update({ where: { id }, data });
}

/** The id the next users-permissions user gets (SQLite, one writer: the last id plus one). */
export async function nextClientId(harness: ClientsV5): Promise<number> {
  const rows = await harness.strapi.db
    .query('plugin::users-permissions.user')
    .findMany({ orderBy: { id: 'desc' }, limit: 1 });
  return Number(rows[0]?.id ?? 0) + 1;
}

/** The client's `admin::session` rows of origin users-permissions, read from the table. */
export function clientSessions(harness: ClientsV5, userId: number): Promise<Array<Record<string, unknown>>> {
  return harness.strapi.db
    .query('admin::session')
    .findMany({ where: { userId: String(userId), origin: 'users-permissions' } });
}

export interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** Like `app.api`, with extra request headers (the refresh-cookie header, cookies). */
export async function call(app: BootedStrapi<StrapiV5>, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(new URL(path, app.baseUrl), {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, body: parseBody(await response.text()) };
}

/** The `name=value` pairs a response sets, for a `Cookie` header. */
export function setCookies(response: ApiResponse): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return cookies;
}

export interface SessionAnswer {
  readonly jwt: string;
  readonly refreshToken?: string;
  readonly user?: Record<string, unknown>;
}

/** users-permissions' refresh-mode answer: exactly `keys`, HTTP 200. */
export function expectSession(response: ApiResponse, keys: readonly string[], what: string): SessionAnswer {
  const text = `${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`;
  assert.equal(response.status, 200, text);
  assert.ok(isRecord(response.body), text);
  assert.deepEqual(Object.keys(response.body).sort(), [...keys].sort(), text);
  assert.equal(typeof response.body.jwt, 'string', text);
  return response.body as unknown as SessionAnswer;
}

/** An access token signed with the users-permissions secret for a session that never existed. */
export function forgedAccessToken(strapi: StrapiV5, userId: number): string {
  const secret = strapi.config.get('plugin::users-permissions.jwtSecret');
  assert.equal(typeof secret, 'string');
  return jwt.sign({ userId: String(userId), sessionId: 'abc', type: 'access' }, secret as string, {
    expiresIn: 600,
  });
}

/** Signs any payload with the users-permissions secret (a legacy-mode JWT minted outside the gates). */
export function signedJwt(strapi: StrapiV5, payload: object): string {
  return jwt.sign(payload, strapi.config.get('plugin::users-permissions.jwtSecret') as string);
}
