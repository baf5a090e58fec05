import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { startDuoSandbox } from '../../server/src/sandbox';
import { isRecord, JWT_PATTERN, jwtPayload } from '../helpers/client-answers';
import {
  addOfflineProvider,
  clientDuoUsername,
  getManual,
  GQL,
  graphql,
  recordEmails,
  setEmailConfirmation,
} from '../helpers/clients-harness';
import { activateDuo } from '../helpers/duo-setup';
import { bootStrapi, defaultHost, type ApiResponse, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

/**
 * Issue 4: a client who needs no Duo (plugin activated, Enable for Clients on, enforcement optional, the client never
 * turned Duo on) sees exactly what the same app without the plugin answers, on every users-permissions path,
 * REST and GraphQL. Tokens differ only in their signature and times: same claims.
 */

interface Exchange {
  readonly what: string;
  readonly status: number;
  readonly body: unknown;
  readonly location?: string | null;
}

// documentId: Strapi 5 gives every row a random one. stacktrace: Strapi 5's GraphQL errors carry the server's
// stack outside production, which names the functions the error passed through (the plugin's wrappers among them).
const VOLATILE_KEYS = new Set(['createdAt', 'updatedAt', 'publishedAt', 'lastLogin', 'documentId', 'stacktrace']);

/** Tokens become the list of their claims (a Duo claim would show); timestamps become placeholders. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string' && JWT_PATTERN.test(value)) {
    return `<token ${Object.keys(jwtPayload(value)).sort().join(',')}>`;
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, VOLATILE_KEYS.has(key) ? '<volatile>' : normalise(child)]),
    );
  }
  return value;
}

const PASSWORD = 'Client-Passw0rd';

async function clientJourneys(withPlugin: boolean): Promise<{ exchanges: Exchange[]; duoCalls: number }> {
  const sandbox = withPlugin ? await startDuoSandbox({ port: 0 }) : undefined;
  const app = await bootStrapi({ env: { DUO_PLUGIN_ENABLED: String(withPlugin) } });
  const exchanges: Exchange[] = [];
  const record = (what: string, response: ApiResponse): ApiResponse => {
    exchanges.push({ what, status: response.status, body: normalise(response.body) });
    return response;
  };
  const userRow = async (email: string) =>
    (await app.strapi.db!.query('plugin::users-permissions.user').findOne({ where: { email } })) as {
      resetPasswordToken: string | null;
      confirmationToken: string | null;
    };
  try {
    assert.equal(app.strapi.plugins['duo-security'] !== undefined, withPlugin);
    recordEmails(app.strapi);
    const adminToken = await registerFirstAdmin(app.api);
    if (sandbox !== undefined) {
      await activateDuo(app, adminToken, sandbox, { clients: { enabled: true, enforcement: 'optional' } });
      // Duo knows the clients, so only the plugin's policy (not Duo) can be what keeps them out of the step.
      // (By id, as the plugin maps clients: the journeys' clients are the first ones in a fresh database.)
      for (let id = 1; id <= 10; id += 1) sandbox.addUser({ username: clientDuoUsername(id) });
      sandbox.resetStats();
    }
    await restJourney(app, record, userRow);
    await graphqlJourney(app, record, userRow);
    // Strapi 4 only: Strapi 5's provider callback needs the provider's OAuth session (see clients-bypass-matrix).
    if (app.host === 'v4') await socialJourney(app, record);
    return { exchanges, duoCalls: sandbox?.stats().requests ?? 0 };
  } finally {
    await app.close();
    await sandbox?.close();
  }
}

type Recorder = (what: string, response: ApiResponse) => ApiResponse;
type UserRow = (email: string) => Promise<{ resetPasswordToken: string | null; confirmationToken: string | null }>;

async function restJourney(app: BootedStrapi, record: Recorder, userRow: UserRow): Promise<void> {
  const alice = { username: 'alice', email: 'alice@example.com', password: PASSWORD };
  record('register', await app.api('/api/auth/local/register', { body: alice }));
  record('register again', await app.api('/api/auth/local/register', { body: alice }));
  record(
    'login, wrong password',
    await app.api('/api/auth/local', { body: { identifier: alice.email, password: 'x' } }),
  );
  const login = record(
    'login',
    await app.api('/api/auth/local', { body: { identifier: alice.email, password: PASSWORD } }),
  );
  const jwt = (login.body as { jwt: string }).jwt;
  record('users/me', await app.api('/api/users/me', { token: jwt }));
  record(
    'change-password, wrong current',
    await app.api('/api/auth/change-password', {
      token: jwt,
      body: { currentPassword: 'nope', password: 'New-Passw0rd', passwordConfirmation: 'New-Passw0rd' },
    }),
  );
  const changed = record(
    'change-password',
    await app.api('/api/auth/change-password', {
      token: jwt,
      body: { currentPassword: PASSWORD, password: 'New-Passw0rd', passwordConfirmation: 'New-Passw0rd' },
    }),
  );
  record(
    'users/me with the new token',
    await app.api('/api/users/me', { token: (changed.body as { jwt: string }).jwt }),
  );
  record(
    'login, new password',
    await app.api('/api/auth/local', { body: { identifier: 'alice', password: 'New-Passw0rd' } }),
  );
  record('forgot-password', await app.api('/api/auth/forgot-password', { body: { email: alice.email } }));
  const code = (await userRow(alice.email)).resetPasswordToken;
  record(
    'reset-password',
    await app.api('/api/auth/reset-password', {
      body: { code, password: 'Reset-Passw0rd', passwordConfirmation: 'Reset-Passw0rd' },
    }),
  );
  record(
    'reset-password, code spent',
    await app.api('/api/auth/reset-password', {
      body: { code, password: 'Reset-Passw0rd', passwordConfirmation: 'Reset-Passw0rd' },
    }),
  );

  await setEmailConfirmation(app.strapi, true);
  try {
    const bob = { username: 'bob', email: 'bob@example.com', password: PASSWORD };
    record('register with email confirmation', await app.api('/api/auth/local/register', { body: bob }));
    record(
      'login before confirming',
      await app.api('/api/auth/local', { body: { identifier: bob.email, password: PASSWORD } }),
    );
    const confirmation = (await userRow(bob.email)).confirmationToken;
    const confirmed = await getManual(app, `/api/auth/email-confirmation?confirmation=${confirmation}`);
    recordRedirect(record, 'email-confirmation', confirmed);
    record(
      'login after confirming',
      await app.api('/api/auth/local', { body: { identifier: bob.email, password: PASSWORD } }),
    );
  } finally {
    await setEmailConfirmation(app.strapi, false);
  }
}

/** A redirect: its status and target, no body. */
function recordRedirect(record: Recorder, what: string, response: ApiResponse): void {
  record(what, { ...response, body: { location: response.headers.get('location') } });
}

async function graphqlJourney(app: BootedStrapi, record: Recorder, userRow: UserRow): Promise<void> {
  const gql = async (what: string, query: string, variables: Record<string, unknown> = {}, token?: string) =>
    record(what, (await graphql(app, query, variables, token)).raw);
  await gql('graphql register', GQL.register, {
    input: { username: 'carol', email: 'carol@example.com', password: PASSWORD },
  });
  const login = await gql('graphql login', GQL.login, {
    input: { identifier: 'carol@example.com', password: PASSWORD },
  });
  const jwt = (login.body as { data: { login: { jwt: string } } }).data.login.jwt;
  await gql('graphql me', GQL.me, {}, jwt);
  await gql(
    'graphql changePassword',
    GQL.changePassword,
    { currentPassword: PASSWORD, password: 'New-Passw0rd', passwordConfirmation: 'New-Passw0rd' },
    jwt,
  );
  await gql('graphql forgotPassword', GQL.forgotPassword, { email: 'carol@example.com' });
  const code = (await userRow('carol@example.com')).resetPasswordToken;
  await gql('graphql resetPassword', GQL.resetPassword, {
    code,
    password: 'Reset-Passw0rd',
    passwordConfirmation: 'Reset-Passw0rd',
  });
  await gql('graphql login, wrong password', GQL.login, { input: { identifier: 'carol', password: PASSWORD } });

  await setEmailConfirmation(app.strapi, true);
  try {
    await gql('graphql register with email confirmation', GQL.register, {
      input: { username: 'dave', email: 'dave@example.com', password: PASSWORD },
    });
    const confirmation = (await userRow('dave@example.com')).confirmationToken;
    await gql('graphql emailConfirmation', GQL.emailConfirmation, { confirmation });
  } finally {
    await setEmailConfirmation(app.strapi, false);
  }
}

async function socialJourney(app: BootedStrapi, record: Recorder): Promise<void> {
  const profile = await addOfflineProvider(app.strapi, 'offline');
  profile('token-1', { username: 'social', email: 'social@example.com' });
  record('provider callback, first sign-in', await app.api('/api/auth/offline/callback?access_token=token-1'));
  record('provider callback, again', await app.api('/api/auth/offline/callback?access_token=token-1'));
  record('provider callback, unknown token', await app.api('/api/auth/offline/callback?access_token=token-2'));
}

describe('a client who needs no Duo', () => {
  it('gets the same answers as from the same app without the plugin, REST, GraphQL and social', async () => {
    const withPlugin = await clientJourneys(true);
    const withoutPlugin = await clientJourneys(false);
    assert.equal(withPlugin.exchanges.length, defaultHost() === 'v4' ? 28 : 25);
    assert.deepEqual(withPlugin.exchanges, withoutPlugin.exchanges);
    assert.equal(withPlugin.duoCalls, 0, 'Duo is not even asked');
    // The journeys really signed in: plain tokens (no Duo claim) in both runs.
    const tokens = JSON.stringify(withPlugin.exchanges).match(/<token [^>]*>/g) ?? [];
    assert.ok(tokens.length >= 10, `tokens issued: ${tokens.length}`);
    assert.deepEqual([...new Set(tokens)], ['<token exp,iat,id>']);
  });
});
