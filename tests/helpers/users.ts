import type { ApiResponse, BootedStrapi } from './strapi';

type Api = BootedStrapi['api'];

export interface AdminCredentials {
  firstname: string;
  lastname: string;
  email: string;
  password: string;
}

export interface ClientCredentials {
  username: string;
  email: string;
  password: string;
}

// Strapi's admin password rule: 8+ characters with a lower-case letter, an upper-case letter and a digit.
export const DEFAULT_ADMIN: AdminCredentials = {
  firstname: 'Ada',
  lastname: 'Admin',
  email: 'admin@example.com',
  password: 'Admin-Passw0rd',
};

export const DEFAULT_CLIENT: ClientCredentials = {
  username: 'client',
  email: 'client@example.com',
  password: 'Client-Passw0rd',
};

export class UnexpectedResponseError extends Error {
  constructor(
    what: string,
    readonly response: ApiResponse,
  ) {
    super(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    this.name = 'UnexpectedResponseError';
  }
}

function expectStatus(what: string, response: ApiResponse, status: number): Record<string, unknown> {
  if (response.status !== status || !isRecord(response.body)) throw new UnexpectedResponseError(what, response);
  return response.body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringAt(what: string, response: ApiResponse, record: unknown, key: string): string {
  const value = isRecord(record) ? record[key] : undefined;
  if (typeof value !== 'string' || value === '') throw new UnexpectedResponseError(`${what}: no ${key}`, response);
  return value;
}

/** Registers the super admin; only possible while no administrator exists. Returns the admin JWT. */
export async function registerFirstAdmin(api: Api, admin: AdminCredentials = DEFAULT_ADMIN): Promise<string> {
  const response = await api('/admin/register-admin', { body: admin });
  const body = expectStatus('register-admin', response, 200);
  return stringAt('register-admin', response, body.data, 'token');
}

/** POST /admin/login; returns the admin JWT. */
export async function adminLogin(
  api: Api,
  credentials: Pick<AdminCredentials, 'email' | 'password'> = DEFAULT_ADMIN,
): Promise<string> {
  const response = await api('/admin/login', { body: { email: credentials.email, password: credentials.password } });
  const body = expectStatus('admin login', response, 200);
  return stringAt('admin login', response, body.data, 'token');
}

export interface ClientSession {
  jwt: string;
  user: Record<string, unknown>;
}

function toSession(what: string, response: ApiResponse): ClientSession {
  const body = expectStatus(what, response, 200);
  const jwt = stringAt(what, response, body, 'jwt');
  if (!isRecord(body.user)) throw new UnexpectedResponseError(`${what}: no user`, response);
  return { jwt, user: body.user };
}

/** users-permissions registration (public role). */
export async function registerClient(api: Api, client: ClientCredentials = DEFAULT_CLIENT): Promise<ClientSession> {
  return toSession('client register', await api('/api/auth/local/register', { body: client }));
}

/** users-permissions login with email or username as `identifier`. */
export async function clientLogin(
  api: Api,
  credentials: { identifier: string; password: string } = {
    identifier: DEFAULT_CLIENT.email,
    password: DEFAULT_CLIENT.password,
  },
): Promise<ClientSession> {
  return toSession('client login', await api('/api/auth/local', { body: credentials }));
}
