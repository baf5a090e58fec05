import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { CLIENT_SIGN_IN_ACTIONS } from '../../server/src/hosts/clients-gate';
import { expectToken, stepFrom } from '../helpers/client-answers';
import {
  clientDuoUsername,
  createClient,
  enableDuoForClient,
  getManual,
  GQL,
  newCredentials,
  startClientsHarness,
  turnOnDuo,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { contractCalls, type ContractCalls } from '../helpers/contract-calls';
import { Contract, isObject } from '../helpers/openapi';
import { startOfflineProvider, type OfflineProvider } from '../helpers/social-sign-in';

/**
 * docs/openapi/client-api.json against a real Strapi (the host STRAPI_HOST names; on Strapi 5 users-permissions'
 * default `legacy-support` mode): each users-permissions path the plugin gates, REST and GraphQL, gives every
 * answer the document lists for it (Duo required, denied and unavailable, Strapi's own refusals, the token), each
 * validated against the document; and every users-permissions route of a gated action is in the document. Strapi
 * 5's refresh mode: client-api-contract-sessions.test.ts.
 */

const contract = new Contract();
let h: ClientsHarness;
let provider: OfflineProvider;
let c: ContractCalls;

before(async () => {
  h = await startClientsHarness();
  provider = await startOfflineProvider(h.strapi, 'offline');
  c = contractCalls(h, contract, provider);
});
after(async () => {
  await provider?.close();
  await h?.close();
});

/** A client who must use Duo (turned on in Security Settings), with a session that passed Duo. */
async function duoClient(): Promise<Client & { jwt: string }> {
  const client = await createClient(h);
  const plain = expectToken((await c.local(client)).response);
  return { ...client, jwt: (await enableDuoForClient(h, client, plain.jwt)).jwt };
}

interface UpRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: string;
}

it('every users-permissions route of a gated action is in the document', () => {
  const plugin = h.strapi.plugin('users-permissions') as unknown as { routes: Record<string, { routes: UpRoute[] }> };
  const actions: string[] = [...CLIENT_SIGN_IN_ACTIONS, ...(h.app.host === 'v5' ? ['refresh'] : [])];
  const routes = plugin.routes['content-api']?.routes ?? [];
  const gated = routes.filter((route) => actions.includes(route.handler.replace(/^auth\./, '')));
  assert.ok(gated.length >= actions.length, JSON.stringify(gated));
  for (const route of gated) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const item = (contract.document.paths as Record<string, unknown>)[path];
    assert.ok(
      isObject(item) && isObject(item[route.method.toLowerCase()]),
      `${route.method} ${path} (${route.handler})`,
    );
  }
});

describe('REST sign-in paths', () => {
  it('POST /auth/local', async () => {
    const free = await createClient(h);
    assert.equal((await c.local(free)).kind, 'SignInToken');
    assert.equal((await c.local({ ...free, password: 'wrong' })).kind, 'StrapiSignInError');
    const client = await duoClient();
    assert.equal((await c.local(client)).kind, 'DuoRequiredError');
    assert.equal((await c.whileRefused(client.duoUsername, () => c.local(client))).kind, 'DuoDeniedError');
    assert.equal((await c.whileDuoDown(() => c.local(client))).kind, 'DuoUnavailableError');
  });

  it('POST /auth/local/register (enforcement optional, then required)', async () => {
    const register = (body: object) => c.kindOf('post', '/auth/local/register', { body });
    const taken = newCredentials('reg');
    assert.equal(await register(taken), 'SignInToken');
    assert.equal(await register(taken), 'StrapiSignInError');
    await updateClientSettings(h, { enforcement: 'required' });
    try {
      assert.equal(await register(newCredentials('reg')), 'DuoRequiredError');
      h.sandbox.addUser({ username: clientDuoUsername(await c.nextUserId()), status: 'disabled' });
      assert.equal(await register(newCredentials('reg')), 'DuoDeniedError');
      assert.equal(await c.whileDuoDown(() => register(newCredentials('reg'))), 'DuoUnavailableError');
    } finally {
      await updateClientSettings(h, { enforcement: 'optional' });
    }
  });

  it('POST /auth/reset-password, POST /auth/change-password, GET /auth/email-confirmation', async () => {
    assert.equal(await c.reset(await createClient(h), 'code-free'), 'SignInToken');
    const client = await duoClient();
    assert.equal(await c.reset(client, 'code-duo'), 'DuoRequiredError');
    const wrongCode = { code: 'nope', password: 'Abc-12345', passwordConfirmation: 'Abc-12345' };
    assert.equal(await c.kindOf('post', '/auth/reset-password', { body: wrongCode }), 'StrapiSignInError');
    assert.equal(await c.whileRefused(client.duoUsername, () => c.reset(client, 'code-refused')), 'DuoDeniedError');
    assert.equal(await c.whileDuoDown(() => c.reset(client, 'code-down')), 'DuoUnavailableError');

    const change = (currentPassword: string) =>
      c.kindOf('post', '/auth/change-password', {
        token: client.jwt,
        body: { currentPassword, password: 'Changed-Pw-2', passwordConfirmation: 'Changed-Pw-2' },
      });
    assert.equal(await change('wrong-password'), 'StrapiSignInError');
    // The password the resets above set; the caller's session passed Duo, so the new token comes at once.
    assert.equal(await change('New-Passw0rd-1'), 'SignInToken');

    await c.setUser(client.id, { confirmed: false, confirmationToken: 'confirm-me' });
    const confirm = async (code: string) =>
      contract.check(
        'get',
        '/auth/email-confirmation',
        await getManual(h.app, `/api/auth/email-confirmation?confirmation=${code}`),
      );
    assert.equal(await confirm('confirm-me'), '-');
    assert.equal(await confirm('unknown-code'), 'StrapiSignInError');
  });

  it('GET /auth/{provider}/callback', async () => {
    provider.profile('social-1', newCredentials('soc'));
    const first = await c.social('social-1');
    assert.equal(first.kind, 'SignInToken');
    const { jwt, user } = first.response.body as { jwt: string; user: { id: number } };
    const duoUsername = clientDuoUsername(user.id);
    h.sandbox.addUser({ username: duoUsername });
    await turnOnDuo(h, duoUsername, jwt);
    assert.equal((await c.social('social-1')).kind, 'DuoRequiredError');
    assert.equal((await c.whileRefused(duoUsername, () => c.social('social-1'))).kind, 'DuoDeniedError');
    assert.equal((await c.whileDuoDown(() => c.social('social-1'))).kind, 'DuoUnavailableError');
    const unknown = '/api/auth/no-such-provider/callback';
    assert.equal(await c.kindOf('get', '/auth/{provider}/callback', {}, unknown), 'StrapiSignInError');
  });
});

it('GraphQL login, register and resetPassword; the step answers the REST token', async () => {
  const free = await createClient(h);
  const login = (client: Pick<Client, 'email' | 'password'>) =>
    c.gql(GQL.login, { input: { identifier: client.email, password: client.password } });
  assert.equal((await login(free)).kind, 'GraphqlSignInData');
  assert.equal((await login({ ...free, password: 'wrong' })).kind, 'GraphqlOtherError');
  const client = await duoClient();
  const required = await login(client);
  assert.equal(required.kind, 'GraphqlDuoRefusal');
  const { errors } = required.response.body as { errors: Array<{ extensions: { error: { details: unknown } } }> };
  const stepId = stepFrom(errors[0]?.extensions.error.details, 'gql login').stepId;
  assert.equal((await c.passcode(stepId, client.duoUsername)).kind, 'SignInToken');
  assert.equal((await c.whileRefused(client.duoUsername, () => login(client))).kind, 'GraphqlDuoRefusal');
  assert.equal((await c.whileDuoDown(() => login(client))).kind, 'GraphqlDuoRefusal');
  await c.setUser(client.id, { resetPasswordToken: 'gql-code' });
  const password = 'Gql-Passw0rd-1';
  const reset = await c.gql(GQL.resetPassword, { code: 'gql-code', password, passwordConfirmation: password });
  assert.equal(reset.kind, 'GraphqlDuoRefusal');
  await updateClientSettings(h, { enforcement: 'required' });
  try {
    assert.equal((await c.gql(GQL.register, { input: newCredentials('gqlreg') })).kind, 'GraphqlDuoRefusal');
  } finally {
    await updateClientSettings(h, { enforcement: 'optional' });
  }
});

it('every answer the document lists for the sign-in paths and GraphQL was produced and matched', () => {
  const selected = (answer: string) => / \/(auth|graphql)/.test(answer);
  const exempt = new Map<string, string>();
  for (const answer of contract.documented().filter(selected)) {
    if (answer.includes('SignInSession') || answer.includes(' /auth/refresh ')) {
      exempt.set(answer, 'users-permissions sessions: client-api-contract-sessions.test.ts (Strapi 5)');
    }
  }
  contract.assertCovered(`sign-in paths and GraphQL on ${h.app.host}`, selected, exempt);
});
