import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectGraphqlDuoRequired,
  isRecord,
  jwtPayload,
  stepFrom,
  type GraphqlAnswer,
} from '../helpers/client-answers';
import { clientDuoUsername, GQL, newCredentials, type Client } from '../helpers/clients-harness';
import {
  call,
  clientSessions,
  createClientV5,
  expectSession,
  forgedAccessToken,
  nextClientId,
  setCookies,
  signedJwt,
  startClientsV5,
  updateClientRow,
  type CallOptions,
  type ClientsV5,
  type SessionAnswer,
} from '../helpers/clients-v5';
import { socialSignIn, startOfflineProvider, type OfflineProvider } from '../helpers/social-sign-in';
import { describeOnV5 } from '../helpers/strapi';

/**
 * Strapi 5 users-permissions with Duo for clients. `refresh` mode: a sign-in is an `admin::session` row, so a
 * client who must use Duo gets no row, no refresh token, no cookie and no access token until Duo allows; then a
 * marked session answered as users-permissions answers; tokens of unmarked or non-existent sessions are refused for
 * such a client. `legacy-support` mode (same app, switched at run time): the Strapi 4 design (the claim in the JWT).
 */

const TOKEN_ANSWER = ['jwt', 'refreshToken', 'user'];

describeOnV5('clients on Strapi 5: users-permissions sessions (refresh) and JWTs (legacy-support)', () => {
  let h: ClientsV5;
  let provider: OfflineProvider;
  before(async () => {
    h = await startClientsV5({ UP_JWT_MANAGEMENT: 'refresh' }, { enforcement: 'optional' });
    provider = await startOfflineProvider(h.strapi, 'offline');
  });
  after(async () => {
    await provider?.close();
    await h?.close();
  });

  const api = (path: string, options?: CallOptions) => call(h.app, path, options);
  const me = (token: string) => api('/api/users/me', { token });
  const login = (client: Client, headers?: Record<string, string>) =>
    api('/api/auth/local', {
      body: { identifier: client.email, password: client.password },
      ...(headers ? { headers } : {}),
    });
  const passcode = (stepId: string, duoUsername: string) =>
    api('/api/duo-security/step/passcode', {
      body: { step: stepId, passcode: h.sandbox.currentPasscode(duoUsername) },
    });
  const gql = async (query: string, variables: Record<string, unknown>, token?: string): Promise<GraphqlAnswer> => {
    const raw = await api('/graphql', { body: { query, variables }, ...(token === undefined ? {} : { token }) });
    assert.ok(isRecord(raw.body), `graphql ${query.slice(0, 30)}: HTTP ${raw.status} ${JSON.stringify(raw.body)}`);
    const { data, errors } = raw.body;
    return {
      status: raw.status,
      data: isRecord(data) ? data : null,
      errors: Array.isArray(errors) ? (errors as GraphqlAnswer['errors']) : [],
      raw,
    };
  };
  const rows = async (client: Pick<Client, 'id'>) => (await clientSessions(h, client.id)).length;
  /** The Duo step's answer in refresh mode: no new row for the client, no refresh token, no cookie. */
  const expectHeld = async (
    response: Awaited<ReturnType<typeof api>>,
    client: Pick<Client, 'id'>,
    what: string,
    rowsBefore = 0,
  ) => {
    const step = expectDuoRequired(response, what);
    assert.deepEqual(response.headers.getSetCookie(), [], `${what}: no cookie`);
    assert.doesNotMatch(JSON.stringify(response.body), /refreshToken/, what);
    assert.equal(await rows(client), rowsBefore, `${what}: no users-permissions session row before Duo`);
    return step;
  };
  /** Self-service "turn Duo on" from a session that needs no Duo yet; the marked session it answers. */
  const turnOnDuo = async (jwt: string, duoUsername: string) => {
    const started = stepFrom(
      dataOf(await api('/api/duo-security/me/enable', { method: 'POST', token: jwt })),
      'enable',
    );
    return dataOf(await passcode(started.stepId, duoUsername), 'enable passcode');
  };
  const loginWithDuo = async (client: Client): Promise<SessionAnswer> => {
    const step = await expectHeld(await login(client), client, 'login');
    return expectSession(await passcode(step.stepId, client.duoUsername), TOKEN_ANSWER, 'passcode');
  };

  // Optional enforcement: a client needs Duo once it turned Duo on; `free` never does.
  let enrolled: Client;
  let free: Client;
  let freeSession: SessionAnswer;

  it('turning Duo on answers a marked session; the sessions from before stop working and cannot be refreshed', async () => {
    enrolled = await createClientV5(h);
    const before = expectSession(await login(enrolled), TOKEN_ANSWER, 'login before Duo');
    assert.equal((await me(before.jwt)).status, 200);
    const enabled = await turnOnDuo(before.jwt, enrolled.duoUsername);
    assert.deepEqual(Object.keys(enabled).sort(), ['backupCodes', 'enabled', 'jwt', 'refreshToken']);
    assert.equal((await me(String(enabled.jwt))).status, 200, 'the marked session works');
    assert.equal((await me(before.jwt)).status, 401, 'the unmarked session is refused');
    const refreshed = await api('/api/auth/refresh', { body: { refreshToken: before.refreshToken } });
    assert.equal(refreshed.status, 401, `pre-Duo refresh token: ${JSON.stringify(refreshed.body)}`);
  });

  it('social sign-in: a session at first; once Duo is on, the Duo step and no session until it finishes', async () => {
    provider.profile('social-token-v5', newCredentials('v5soc'));
    const first = expectSession(await socialSignIn(h.app, provider, 'social-token-v5'), TOKEN_ANSWER, 'social');
    assert.equal(first.user?.provider, provider.name);
    const id = Number(first.user?.id);
    const duoUsername = clientDuoUsername(id);
    assert.equal(await rows({ id }), 1, 'without Duo, Strapi opens its session');
    h.sandbox.addUser({ username: duoUsername });
    await turnOnDuo(first.jwt, duoUsername);
    assert.equal((await me(first.jwt)).status, 401, 'turning Duo on ends the session');

    const opened = await rows({ id });
    const again = await socialSignIn(h.app, provider, 'social-token-v5');
    const step = await expectHeld(again, { id }, 'social sign-in with Duo on', opened);
    const done = expectSession(await passcode(step.stepId, duoUsername), TOKEN_ANSWER, 'social passcode');
    assert.deepEqual(done.user, first.user);
    assert.equal(await rows({ id }), opened + 1);
    assert.equal((await me(done.jwt)).status, 200);
    const rotated = expectSession(
      await api('/api/auth/refresh', { body: { refreshToken: done.refreshToken } }),
      ['jwt', 'refreshToken'],
      'refresh after social sign-in',
    );
    assert.equal((await me(rotated.jwt)).status, 200);
  });

  it('a forged access token (session "abc") is refused for a client who must use Duo, accepted for one who need not', async () => {
    free = await createClientV5(h);
    freeSession = expectSession(await login(free), TOKEN_ANSWER, 'login, no Duo needed');
    assert.equal((await me(freeSession.jwt)).status, 200);
    assert.equal((await me(forgedAccessToken(h.strapi, enrolled.id))).status, 401);
    assert.equal((await me(forgedAccessToken(h.strapi, free.id))).status, 200, 'Strapi unchanged without Duo');
  });

  it('with Duo required, a session opened before is refused, its refresh token too, and forged tokens', async () => {
    const put = await api('/duo-security/settings', {
      method: 'PUT',
      token: h.adminToken,
      body: { clients: { enforcement: 'required' } },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await me(freeSession.jwt)).status, 401);
    assert.equal((await api('/api/auth/refresh', { body: { refreshToken: freeSession.refreshToken } })).status, 401);
    assert.equal((await me(forgedAccessToken(h.strapi, free.id))).status, 401);
  });

  it('REST sign-in: the Duo step, then {jwt, refreshToken, user}; refresh rotates; logout ends the session', async () => {
    const client = await createClientV5(h);
    const session = await loginWithDuo(client);
    assert.equal(session.user?.id, client.id);
    assert.equal(session.user?.password, undefined, 'the user is sanitized');
    const [row] = await clientSessions(h, client.id);
    assert.ok(isRecord(row?.metadata) && row.metadata.duoSecurity === 'allow', 'the row carries the Duo mark');
    assert.equal((await me(session.jwt)).status, 200);

    const rotated = expectSession(
      await api('/api/auth/refresh', { body: { refreshToken: session.refreshToken } }),
      ['jwt', 'refreshToken'],
      'refresh',
    );
    assert.notEqual(rotated.refreshToken, session.refreshToken);
    assert.equal((await me(rotated.jwt)).status, 200, 'the rotated session keeps the mark');

    const out = await api('/api/auth/logout', { token: rotated.jwt, body: { refreshToken: rotated.refreshToken } });
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.equal((await me(rotated.jwt)).status, 401, 'a revoked session refuses its access token');
  });

  it('the httpOnly cookie variant: no cookie before Duo; after it {jwt, user} and strapi_up_refresh', async () => {
    const client = await createClientV5(h);
    const header = { 'x-strapi-refresh-cookie': 'httpOnly' };
    const step = await expectHeld(await login(client, header), client, 'login (cookie)');
    const done = await passcode(step.stepId, client.duoUsername);
    const session = expectSession(done, ['jwt', 'user'], 'passcode (cookie)');
    const cookies = setCookies(done);
    assert.ok(cookies.has('strapi_up_refresh'), `set-cookie: ${done.headers.getSetCookie().join(' | ')}`);
    assert.match(done.headers.getSetCookie().join(';'), /strapi_up_refresh=[^;]+;.*httponly/i);
    assert.equal((await me(session.jwt)).status, 200);
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    expectSession(
      await api('/api/auth/refresh', { method: 'POST', headers: { cookie, ...header } }),
      ['jwt'],
      'refresh',
    );
  });

  it('register, reset-password and change-password in refresh mode', async () => {
    const credentials = newCredentials('v5reg');
    const id = await nextClientId(h);
    h.sandbox.addUser({ username: `strapi-client-${id}` });
    const registered = await api('/api/auth/local/register', { body: credentials });
    const step = await expectHeld(registered, { id }, 'register');
    expectSession(await passcode(step.stepId, `strapi-client-${id}`), TOKEN_ANSWER, 'register passcode');

    const reset = await createClientV5(h);
    await updateClientRow(h, reset.id, { resetPasswordToken: 'reset-code-v5' });
    const password = 'New-Passw0rd-v5';
    const resetStep = await expectHeld(
      await api('/api/auth/reset-password', {
        body: { code: 'reset-code-v5', password, passwordConfirmation: password },
      }),
      reset,
      'reset-password',
    );
    expectSession(await passcode(resetStep.stepId, reset.duoUsername), TOKEN_ANSWER, 'reset passcode');

    // A caller whose session passed Duo keeps it: a new marked session at once, the old ones end (as in Strapi).
    const changer = await createClientV5(h);
    const session = await loginWithDuo(changer);
    const changed = expectSession(
      await api('/api/auth/change-password', {
        token: session.jwt,
        body: { currentPassword: changer.password, password, passwordConfirmation: password },
      }),
      TOKEN_ANSWER,
      'change-password',
    );
    assert.equal((await me(changed.jwt)).status, 200);
    assert.equal((await me(session.jwt)).status, 401, 'the sessions before the change end');
    assert.equal(await rows(changer), 1);
  });

  it('GraphQL login, register and email confirmation answer the Duo step and open no session', async () => {
    const client = await createClientV5(h);
    const loginStep = expectGraphqlDuoRequired(
      await gql(GQL.login, { input: { identifier: client.email, password: client.password } }),
      'gql login',
    );
    assert.equal(await rows(client), 0);
    expectSession(await passcode(loginStep.stepId, client.duoUsername), TOKEN_ANSWER, 'gql login passcode');

    const id = await nextClientId(h);
    expectGraphqlDuoRequired(await gql(GQL.register, { input: newCredentials('v5gql') }), 'gql register');
    assert.equal(await rows({ id }), 0);

    const unconfirmed = await createClientV5(h);
    await updateClientRow(h, unconfirmed.id, { confirmed: false, confirmationToken: 'confirm-v5' });
    expectGraphqlDuoRequired(await gql(GQL.emailConfirmation, { confirmation: 'confirm-v5' }), 'gql confirmation');
    assert.equal(await rows(unconfirmed), 0);
    const unhandled = h.app.logs.filter((entry) => /unhandled/i.test(JSON.stringify(entry)));
    assert.deepEqual(unhandled, []);
  });

  it('GraphQL resetPassword answers the Duo step and opens no session; changePassword needs a Duo session', async () => {
    const reset = await createClientV5(h);
    await updateClientRow(h, reset.id, { resetPasswordToken: 'reset-gql-v5' });
    const password = 'New-Passw0rd-gql';
    const resetStep = expectGraphqlDuoRequired(
      await gql(GQL.resetPassword, { code: 'reset-gql-v5', password, passwordConfirmation: password }),
      'gql resetPassword',
    );
    assert.equal(await rows(reset), 0, 'gql resetPassword: no session row before Duo');
    expectSession(await passcode(resetStep.stepId, reset.duoUsername), TOKEN_ANSWER, 'gql reset passcode');
    assert.equal(await rows(reset), 1);

    const changer = await createClientV5(h);
    const variables = { currentPassword: changer.password, password, passwordConfirmation: password };
    const forged = await gql(GQL.changePassword, variables, forgedAccessToken(h.strapi, changer.id));
    assertNoToken(forged.raw, 'gql changePassword, forged session');
    assert.equal(errorOf(forged.raw, 401).name, 'UnauthorizedError');
    // The password is unchanged, and the sign-in with it still meets Duo before any session.
    const session = await loginWithDuo(changer);

    const changed = await gql(GQL.changePassword, variables, session.jwt);
    const jwt: unknown = isRecord(changed.data?.changePassword) ? changed.data.changePassword.jwt : undefined;
    assert.ok(typeof jwt === 'string', `gql changePassword: ${JSON.stringify(changed.raw.body)}`);
    assert.equal((await me(jwt)).status, 200, 'the new session passed Duo with the old one');
    assert.equal((await me(session.jwt)).status, 401, 'the sessions before the change end');
    const [row, ...more] = await clientSessions(h, changer.id);
    assert.equal(more.length, 0);
    assert.ok(isRecord(row?.metadata) && row.metadata.duoSecurity === 'allow', 'the new row carries the Duo mark');
  });

  it('an abandoned step leaves no session row', async () => {
    const client = await createClientV5(h);
    const step = await expectHeld(await login(client), client, 'login');
    const cancelled = await api('/api/duo-security/step/cancel', { body: { step: step.stepId } });
    assert.ok(cancelled.status < 500, JSON.stringify(cancelled.body));
    assert.equal(await rows(client), 0);
  });

  it('legacy-support mode (switched at run time): the Duo step, a JWT with the claim, the claim rule', async () => {
    h.strapi.config.set('plugin::users-permissions.jwtManagement', 'legacy-support');
    const client = await createClientV5(h);
    const step = expectDuoRequired(await login(client), 'legacy login');
    const done = await passcode(step.stepId, client.duoUsername);
    const answer = expectSession(done, ['jwt', 'user'], 'legacy passcode');
    assert.equal(jwtPayload(answer.jwt).duo, 'allow');
    assert.equal((await me(answer.jwt)).status, 200);
    assert.equal(await rows(client), 0, 'legacy mode opens no session');

    assert.equal((await me(signedJwt(h.strapi, { id: client.id }))).status, 401, 'claimless token');
    assert.equal((await me(signedJwt(h.strapi, { id: String(client.id) }))).status, 401, 'string id');
    assert.equal((await me(signedJwt(h.strapi, { id: [client.id] }))).status, 401, 'array id');

    expectDuoRequired(await api('/api/auth/local/register', { body: newCredentials('v5leg') }), 'legacy register');
    const reset = await createClientV5(h);
    await updateClientRow(h, reset.id, { resetPasswordToken: 'reset-code-legacy' });
    const password = 'New-Passw0rd-legacy';
    expectDuoRequired(
      await api('/api/auth/reset-password', {
        body: { code: 'reset-code-legacy', password, passwordConfirmation: password },
      }),
      'legacy reset-password',
    );
    const other = await createClientV5(h);
    expectGraphqlDuoRequired(
      await gql(GQL.login, { input: { identifier: other.email, password: other.password } }),
      'legacy gql login',
    );
    expectGraphqlDuoRequired(await gql(GQL.register, { input: newCredentials('v5lgq') }), 'legacy gql register');
    const unconfirmed = await createClientV5(h);
    await updateClientRow(h, unconfirmed.id, { confirmed: false, confirmationToken: 'confirm-legacy' });
    expectGraphqlDuoRequired(
      await gql(GQL.emailConfirmation, { confirmation: 'confirm-legacy' }),
      'legacy gql confirmation',
    );
  });
});
