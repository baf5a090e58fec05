import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { hashStepId } from '../../server/src/engine/step-id';
import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectGraphqlDuoRequired,
  expectToken,
  jwtPayload,
} from '../helpers/client-answers';
import {
  clientDuoUsername,
  createClient,
  enableDuoForClient,
  getManual,
  GQL,
  graphql,
  login,
  loginWithPasscode,
  mintJwt,
  mintPlainJwt,
  newCredentials,
  setEmailConfirmation,
  startClientsHarness,
  step,
  turnOnDuo,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { assertNoSecretsKept, allRows, auditEntries, expireStep } from '../helpers/plugin-rows';
import { startOfflineProvider, socialSignIn, type OfflineProvider } from '../helpers/social-sign-in';
import { duoConfigPath } from '../helpers/strapi';

/**
 * Issue 4, "bypass matrix": for a client who must use Duo, no users-permissions path (REST or GraphQL) yields a
 * usable JWT; the pending step is not a session, dies when used, expired or after too many passcodes; tokens
 * minted without the Duo claim are refused.
 */

let h: ClientsHarness;
let provider: OfflineProvider;

before(async () => {
  h = await startClientsHarness();
  provider = await startOfflineProvider(h.strapi, 'offline');
});
after(async () => {
  await provider?.close();
  await h?.close();
});

interface Subject {
  readonly client: Client;
  /** A session that passed Duo (carries the claim). */
  duoJwt: string;
}

function authorised(path: string, token: string) {
  return h.app.api(path, { token });
}

async function userRow(id: number): Promise<Record<string, unknown>> {
  const row = (await h.strapi.db!.query('plugin::users-permissions.user').findOne({ where: { id } })) as Record<
    string,
    unknown
  > | null;
  assert.ok(row !== null);
  return row;
}

/** forgot-password as a client would use it; the code is read from the user row (and is the one in the email). */
async function resetCode(client: Client, via: 'rest' | 'graphql'): Promise<string> {
  const sent = h.emails.length;
  if (via === 'rest') {
    const response = await h.app.api('/api/auth/forgot-password', { body: { email: client.email } });
    assert.deepEqual(response.body, { ok: true });
  } else {
    const answer = await graphql(h.app, GQL.forgotPassword, { email: client.email });
    assert.deepEqual(answer.data, { forgotPassword: { ok: true } }, JSON.stringify(answer.raw.body));
  }
  const code = (await userRow(client.id)).resetPasswordToken;
  assert.equal(typeof code, 'string');
  assert.ok(h.emails.slice(sent).some((email) => email.to === client.email && email.text?.includes(code as string)));
  return code as string;
}

async function setConfirmationToken(client: Client, token: string): Promise<void> {
  await h.strapi.db!.query('plugin::users-permissions.user').update({
    where: { id: client.id },
    data: { confirmed: false, confirmationToken: token },
  });
}

/** The paths every Duo-required client gets, whatever made Duo required. */
function everyPath(mode: string, setup: () => Promise<Subject>): void {
  describe(mode, () => {
    let s: Subject;
    before(async () => {
      s = await setup();
    });

    it('REST POST /api/auth/local answers with a Duo step, not a token', async () => {
      const required = expectDuoRequired(await login(h.app, s.client.email, s.client.password));
      assert.equal(required.duo.result, 'auth');
      if (required.duo.result === 'auth') {
        assert.ok(required.duo.devices.length > 0);
        for (const device of required.duo.devices) {
          assert.equal(typeof device.id, 'string');
          assert.equal(typeof device.name, 'string');
          assert.ok(Array.isArray(device.capabilities));
        }
        assert.ok(required.duo.factors.includes('push'));
        assert.ok(required.duo.factors.includes('passcode'));
      }
      const ttl = Date.parse(required.expiresAt) - Date.now();
      assert.ok(ttl > 290_000 && ttl <= 300_000, `default lifetime 5 minutes, got ${ttl} ms`);
      // The username works as the identifier too; the password is still checked first.
      expectDuoRequired(await login(h.app, s.client.username, s.client.password));
      const wrong = errorOf(await login(h.app, s.client.email, 'Wrong-Passw0rd'), 400);
      assert.equal(wrong.name, 'ValidationError');
    });

    it('GraphQL login answers with the DuoRequiredError in the extensions, not a token', async () => {
      const answer = await graphql(h.app, GQL.login, {
        input: { identifier: s.client.email, password: s.client.password },
      });
      assert.equal(answer.data, null);
      const required = expectGraphqlDuoRequired(answer, 'graphql login');
      // The step works on the REST step endpoints like a REST login's.
      const status = dataOf(await step(h.app, 'status', { step: required.stepId, wait: false }));
      assert.equal(status.state, 'pending');
    });

    it('the step id is not a session', async () => {
      const { stepId } = expectDuoRequired(await login(h.app, s.client.email, s.client.password));
      assert.equal((await authorised('/api/users/me', stepId)).status, 401);
      assert.equal((await authorised('/api/duo-security/me', stepId)).status, 401);
      // GraphQL refuses a bad bearer token before any resolver runs: HTTP 401, Strapi's envelope.
      const me = await graphql(h.app, GQL.me, {}, stepId);
      assert.equal(errorOf(me.raw, 401).name, 'UnauthorizedError');
    });

    it('a JWT minted by another path (no Duo claim) is refused; the Duo session works', async () => {
      const minted = mintPlainJwt(h.strapi, s.client.id);
      assert.equal((await authorised('/api/users/me', minted)).status, 401);
      assert.equal((await authorised('/api/duo-security/me', minted)).status, 401);
      const me = await graphql(h.app, GQL.me, {}, minted);
      assert.equal(errorOf(me.raw, 401).name, 'UnauthorizedError');

      assert.equal((await authorised('/api/users/me', s.duoJwt)).status, 200);
      const duoMe = await graphql(h.app, GQL.me, {}, s.duoJwt);
      assert.equal((duoMe.data?.me as { id?: string } | undefined)?.id, String(s.client.id));
    });

    it('a forged token whose id is not a number, or whose duo claim has another value, is refused', async () => {
      // users-permissions looks the user up with whatever `id` the token carries: "1", [1] and {"$eq":1} all find
      // client 1. Each must be refused like a claimless token, not waved through because it is not a number.
      const id = s.client.id;
      const forged: Record<string, object> = {
        'id as a string': { id: String(id) },
        'id as a padded string': { id: ` ${id}` },
        'id as an array': { id: [id] },
        'id as an operator object': { id: { $eq: id } },
        'duo claim with another value': { id, duo: 'approved' },
        'duo claim as true': { id, duo: true },
        'duo claim as an array': { id, duo: ['allow'] },
      };
      for (const [what, payload] of Object.entries(forged)) {
        const token = mintJwt(h.strapi, payload);
        assert.equal((await authorised('/api/users/me', token)).status, 401, `${what}: /api/users/me`);
        const me = await graphql(h.app, GQL.me, {}, token);
        assert.equal(errorOf(me.raw, 401).name, 'UnauthorizedError', `${what}: GraphQL me`);
      }
    });

    it('GraphQL aliases, several mutations in one request and batched bodies yield no token', async () => {
      const input = { identifier: s.client.email, password: s.client.password };
      const aliased = await graphql(
        h.app,
        `
          mutation Twice($input: UsersPermissionsLoginInput!) {
            first: login(input: $input) {
              jwt
            }
            second: login(input: $input) {
              jwt
            }
            third: login(input: $input) {
              user {
                id
              }
            }
          }
        `,
        { input },
      );
      assertNoToken(aliased.raw, 'aliases');
      // `login` is non-null: the first refusal nulls the whole answer and the later mutations never run.
      assert.equal(aliased.data, null);
      assert.ok(aliased.errors.length >= 1, JSON.stringify(aliased.raw.body));
      for (const error of aliased.errors) assert.equal(error.extensions?.error?.name, 'DuoRequiredError');

      // Apollo's batching (an array of operations in one body): refused, or each one refused; never a token.
      const batched = await h.app.api('/graphql', {
        body: [
          { query: GQL.login, variables: { input } },
          { query: GQL.login, variables: { input } },
        ],
      });
      assertNoToken(batched, 'batched body');
      assert.ok(batched.status < 500, `batched body: ${batched.status}`);
    });

    it('send-email-confirmation answers as without Duo and carries no token', async () => {
      const response = await h.app.api('/api/auth/send-email-confirmation', { body: { email: s.client.email } });
      assertNoToken(response, 'send-email-confirmation');
      assert.ok(response.status < 500, `send-email-confirmation: ${response.status}`);
    });

    it('REST POST /api/auth/reset-password answers with a Duo step, not a token', async () => {
      const code = await resetCode(s.client, 'rest');
      const password = `${s.client.password}-r`;
      const response = await h.app.api('/api/auth/reset-password', {
        body: { code, password, passwordConfirmation: password },
      });
      expectDuoRequired(response, 'reset-password');
      // Strapi's own step ran: the password changed and the code is spent; signing in still needs Duo.
      s.client.password = password;
      assert.equal((await userRow(s.client.id)).resetPasswordToken, null);
      expectDuoRequired(await login(h.app, s.client.email, s.client.password));
    });

    it('GraphQL resetPassword answers with the DuoRequiredError, not a token', async () => {
      const code = await resetCode(s.client, 'graphql');
      const password = `${s.client.password}-g`;
      const answer = await graphql(h.app, GQL.resetPassword, { code, password, passwordConfirmation: password });
      s.client.password = password;
      assert.equal(answer.data?.resetPassword ?? null, null);
      expectGraphqlDuoRequired(answer, 'graphql resetPassword');
      expectDuoRequired(await login(h.app, s.client.email, s.client.password));
    });

    it('REST change-password: refused (401) without the Duo claim; with it, the new token keeps the claim', async () => {
      const minted = mintPlainJwt(h.strapi, s.client.id);
      const password = `${s.client.password}-c`;
      const body = { currentPassword: s.client.password, password, passwordConfirmation: password };
      const refused = await h.app.api('/api/auth/change-password', { token: minted, body });
      assertNoToken(refused);
      errorOf(refused, 401);
      // Nothing changed: the old password still leads to Duo.
      expectDuoRequired(await login(h.app, s.client.email, s.client.password));

      const claim = jwtPayload(s.duoJwt).duo;
      assert.ok(claim === 'allow' || claim === 'bypass', `the Duo session carries the claim, got ${String(claim)}`);
      const changed = expectToken(await h.app.api('/api/auth/change-password', { token: s.duoJwt, body }));
      assert.equal(jwtPayload(changed.jwt).duo, claim);
      assert.equal(jwtPayload(changed.jwt).id, s.client.id);
      assert.equal((await authorised('/api/users/me', changed.jwt)).status, 200);
      s.client.password = password;
      s.duoJwt = changed.jwt;
    });

    it('GraphQL changePassword: refused without the Duo claim; with it, the new token keeps the claim', async () => {
      const minted = mintPlainJwt(h.strapi, s.client.id);
      const password = `${s.client.password}-C`;
      const variables = { currentPassword: s.client.password, password, passwordConfirmation: password };
      const refused = await graphql(h.app, GQL.changePassword, variables, minted);
      assertNoToken(refused.raw);
      assert.equal(errorOf(refused.raw, 401).name, 'UnauthorizedError');
      expectDuoRequired(await login(h.app, s.client.email, s.client.password));

      const changed = await graphql(h.app, GQL.changePassword, variables, s.duoJwt);
      const jwt = (changed.data?.changePassword as { jwt?: string } | undefined)?.jwt;
      assert.equal(typeof jwt, 'string', JSON.stringify(changed.raw.body));
      assert.equal(jwtPayload(jwt as string).duo, jwtPayload(s.duoJwt).duo);
      s.client.password = password;
      s.duoJwt = jwt as string;
    });

    it('REST GET /api/auth/email-confirmation only redirects; GraphQL emailConfirmation gets the Duo step', async () => {
      await setEmailConfirmation(h.strapi, true);
      try {
        await setConfirmationToken(s.client, `confirm-rest-${s.client.id}`);
        const rest = await getManual(h.app, `/api/auth/email-confirmation?confirmation=confirm-rest-${s.client.id}`);
        assert.ok(rest.status >= 300 && rest.status < 400, `a redirect, got ${rest.status}`);
        assertNoToken(rest, 'email-confirmation redirect');
        assert.equal((await userRow(s.client.id)).confirmed, true);

        await setConfirmationToken(s.client, `confirm-gql-${s.client.id}`);
        const answer = await graphql(h.app, GQL.emailConfirmation, { confirmation: `confirm-gql-${s.client.id}` });
        assert.equal(answer.data?.emailConfirmation ?? null, null);
        expectGraphqlDuoRequired(answer, 'graphql emailConfirmation');
        assert.equal((await userRow(s.client.id)).confirmed, true);
      } finally {
        await setEmailConfirmation(h.strapi, false);
      }
    });
  });
}

everyPath('a client who turned Duo on (enforcement optional)', async () => {
  const client = await createClient(h);
  const plain = expectToken(await login(h.app, client.email, client.password));
  assert.equal(jwtPayload(plain.jwt).duo, undefined, 'a client without Duo gets a plain token');
  const duo = await enableDuoForClient(h, client, plain.jwt);
  // Turning Duo on ended the session from before.
  assert.equal((await authorised('/api/users/me', plain.jwt)).status, 401);
  assert.equal((await authorised('/api/duo-security/me', plain.jwt)).status, 401);
  return { client, duoJwt: duo.jwt };
});

// On Strapi 5 this is `legacy-support` mode (the playground's default); `refresh` mode is in clients-v5-sessions.
describe('social sign-in (GET /api/auth/:provider/callback) of a client who turned Duo on', () => {
  it('answers with a Duo step once Duo is on, and the step finishes with what the callback would give', async () => {
    const { username, email } = newCredentials('social');
    provider.profile('social-token-1', { username, email });
    const first = expectToken(await socialSignIn(h.app, provider, 'social-token-1'));
    assert.equal(first.user.provider, provider.name);
    const duoUsername = clientDuoUsername(Number(first.user.id));
    h.sandbox.addUser({ username: duoUsername });
    await turnOnDuo(h, duoUsername, first.jwt);
    assert.equal((await authorised('/api/users/me', first.jwt)).status, 401, 'turning Duo on ends the session');

    const again = await socialSignIn(h.app, provider, 'social-token-1');
    const required = expectDuoRequired(again, 'provider callback');
    const done = expectToken(
      await step(h.app, 'passcode', {
        step: required.stepId,
        passcode: h.sandbox.currentPasscode(duoUsername),
      }),
    );
    assert.deepEqual(done.user, first.user);
    assert.equal(jwtPayload(done.jwt).duo, 'allow');
  });
});

describe('the Duo step (its id)', () => {
  let client: Client;
  before(async () => {
    client = await createClient(h);
    await enableDuoForClient(h, client, expectToken(await login(h.app, client.email, client.password)).jwt);
  });

  it('is stored only as a hash', async () => {
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    const rows = await allRows(h.strapi, 'plugin::duo-security.transaction');
    assert.ok(rows.length > 0);
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(stepId));
    assert.equal(rows.filter((row) => (row as { idHash: string }).idHash === hashStepId(stepId)).length, 1);
  });

  it('once used, is dead', async () => {
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    const passcode = h.sandbox.currentPasscode(client.duoUsername);
    expectToken(await step(h.app, 'passcode', { step: stepId, passcode }));
    for (const [action, body] of [
      ['passcode', { step: stepId, passcode: h.sandbox.currentPasscode(client.duoUsername) }],
      ['status', { step: stepId }],
      ['push', { step: stepId }],
    ] as const) {
      const response = await step(h.app, action, body);
      assertNoToken(response, action);
      const error = errorOf(response, 400);
      assert.equal(error.name, 'DuoStepError', action);
      assert.deepEqual(error.details, { state: 'consumed' }, action);
    }
  });

  it('expires (lifetime configurable, default 5 minutes), then is dead', async () => {
    h.strapi.config.set(duoConfigPath(h.strapi, 'stepTtlSeconds'), 60);
    let stepId: string;
    try {
      const required = expectDuoRequired(await login(h.app, client.email, client.password));
      const ttl = Date.parse(required.expiresAt) - Date.now();
      assert.ok(ttl > 55_000 && ttl <= 60_000, `configured lifetime 60 s, got ${ttl} ms`);
      stepId = required.stepId;
    } finally {
      h.strapi.config.set(duoConfigPath(h.strapi, 'stepTtlSeconds'), undefined);
    }
    assert.equal(dataOf(await step(h.app, 'status', { step: stepId, wait: false })).state, 'pending');
    await expireStep(h.strapi, hashStepId(stepId));
    for (const [action, body] of [
      ['passcode', { step: stepId, passcode: h.sandbox.currentPasscode(client.duoUsername) }],
      ['status', { step: stepId }],
      ['push', { step: stepId }],
      ['sms', { step: stepId }],
    ] as const) {
      const response = await step(h.app, action, body);
      assertNoToken(response, action);
      const error = errorOf(response, 400);
      assert.equal(error.name, 'DuoStepError', action);
      assert.deepEqual(error.details, { state: 'expired' }, action);
    }
  });

  it('allows five wrong passcodes; then even the right passcode fails', async () => {
    const other = await createClient(h);
    await enableDuoForClient(h, other, expectToken(await login(h.app, other.email, other.password)).jwt);
    const { stepId } = expectDuoRequired(await login(h.app, other.email, other.password));
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const error = errorOf(await step(h.app, 'passcode', { step: stepId, passcode: '00000000' }), 400);
      assert.equal(error.name, 'DuoPasscodeError');
      assert.deepEqual(error.details, { attemptsLeft: 5 - attempt });
    }
    const callsToDuo = h.sandbox.stats().byPath['/auth/v2/auth'] ?? 0;
    const sixth = errorOf(await step(h.app, 'passcode', { step: stepId, passcode: '00000000' }), 400);
    assert.equal(sixth.name, 'DuoStepError');
    assert.deepEqual(sixth.details, { state: 'denied' });
    const right = await step(h.app, 'passcode', {
      step: stepId,
      passcode: h.sandbox.currentPasscode(other.duoUsername),
    });
    assertNoToken(right);
    assert.equal(errorOf(right, 400).name, 'DuoStepError');
    assert.equal(h.sandbox.stats().byPath['/auth/v2/auth'] ?? 0, callsToDuo, 'a dead step never reaches Duo');
    const status = dataOf(await step(h.app, 'status', { step: stepId }));
    assert.equal(status.state, 'denied');
    const audit = await auditEntries(h.strapi, { userId: other.id });
    assert.equal(audit.filter((e) => e.event === 'passcode.failed').length, 5);
    assert.equal(audit.filter((e) => e.event === 'passcode.locked').length, 1);
  });

  it('cancelled, is dead', async () => {
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    assert.deepEqual((await step(h.app, 'cancel', { step: stepId })).body, { data: { state: 'cancelled' } });
    const response = await step(h.app, 'passcode', {
      step: stepId,
      passcode: h.sandbox.currentPasscode(client.duoUsername),
    });
    assertNoToken(response);
    assert.deepEqual(errorOf(response, 400).details, { state: 'cancelled' });
  });

  it('a minted token is only refused for clients who must use Duo', async () => {
    const free = await createClient(h, { duo: false });
    assert.equal((await authorised('/api/users/me', mintPlainJwt(h.strapi, free.id))).status, 200);
  });
});

let requiredClientPlainJwt: string;

everyPath('enforcement required, a client who never turned Duo on', async () => {
  const client = await createClient(h);
  requiredClientPlainJwt = expectToken(await login(h.app, client.email, client.password)).jwt;
  await updateClientSettings(h, { enforcement: 'required' });
  const duo = await loginWithPasscode(h, client);
  return { client, duoJwt: duo.jwt };
});

describe('enforcement required: paths for new clients', () => {
  it('a client made from the admin side (Content Manager) meets Duo at their first login', async () => {
    const credentials = newCredentials('cmuser');
    const role = (await h.strapi.db!.query('plugin::users-permissions.role').findOne({
      where: { type: 'authenticated' },
    })) as { id: number };
    const created = await h.app.api('/content-manager/collection-types/plugin::users-permissions.user', {
      token: h.adminToken,
      body: { ...credentials, confirmed: true, blocked: false, role: role.id },
    });
    assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
    assertNoToken(created, 'Content Manager create');
    const required = expectDuoRequired(await login(h.app, credentials.email, credentials.password), 'first login');
    assert.equal(required.duo.result, 'enroll');
  });

  it('the session from before enforcement ends', async () => {
    assert.equal((await authorised('/api/users/me', requiredClientPlainJwt)).status, 401);
  });

  it('REST register answers with a Duo step (enrolment), not a token', async () => {
    const credentials = newCredentials('reg');
    const required = expectDuoRequired(await h.app.api('/api/auth/local/register', { body: credentials }), 'register');
    assert.equal(required.duo.result, 'enroll');
  });

  it('GraphQL register answers with the DuoRequiredError, not a token', async () => {
    const credentials = newCredentials('greg');
    const answer = await graphql(h.app, GQL.register, { input: credentials });
    assert.equal(answer.data, null);
    assert.equal(expectGraphqlDuoRequired(answer, 'graphql register').duo.result, 'enroll');
  });

  it('register with email confirmation: no token; confirming by REST redirects, by GraphQL gets the Duo step', async () => {
    await setEmailConfirmation(h.strapi, true);
    try {
      for (const via of ['rest', 'graphql'] as const) {
        const credentials = newCredentials(`confirm${via}`);
        const registered = await h.app.api('/api/auth/local/register', { body: credentials });
        assertNoToken(registered, 'register with email confirmation');
        assert.equal(registered.status, 200);
        const row = (await h.strapi.db!.query('plugin::users-permissions.user').findOne({
          where: { email: credentials.email },
        })) as { confirmationToken: string; confirmed: boolean };
        assert.equal(row.confirmed, false);
        assert.ok(h.emails.some((e) => e.to === credentials.email && e.text?.includes(row.confirmationToken)));
        if (via === 'rest') {
          const rest = await getManual(h.app, `/api/auth/email-confirmation?confirmation=${row.confirmationToken}`);
          assert.ok(rest.status >= 300 && rest.status < 400, `a redirect, got ${rest.status}`);
          assertNoToken(rest);
        } else {
          const answer = await graphql(h.app, GQL.emailConfirmation, { confirmation: row.confirmationToken });
          assert.equal(answer.data?.emailConfirmation ?? null, null);
          expectGraphqlDuoRequired(answer, 'graphql emailConfirmation after register');
        }
      }
    } finally {
      await setEmailConfirmation(h.strapi, false);
    }
  });

  it('a first social sign-in answers with a Duo step, not a token', async () => {
    const { username, email } = newCredentials('social');
    provider.profile('social-token-2', { username, email });
    const required = expectDuoRequired(await socialSignIn(h.app, provider, 'social-token-2'), 'provider callback');
    assert.equal(required.duo.result, 'enroll');
  });
});

describe('secrets', () => {
  it('no audit row, stored row or log line holds a step id, a passcode or a token; no response a passcode', async () => {
    const checked = await assertNoSecretsKept(h);
    assert.ok(checked.stepIds > 3 && checked.passcodes > 3 && checked.jwts > 3, JSON.stringify(checked));
  });
});
