import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';

import { USER_PASSCODE_LIMIT } from '../../server/src/engine/step/passcode-limit';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectEnabled,
  expectToken,
  isRecord,
  jwtPayload,
  stepFrom,
  type DuoRequired,
  type TokenAnswer,
} from '../helpers/client-answers';
import { eventually, type StepAction } from '../helpers/clients-harness';
import type { AudienceConfig } from '../helpers/duo-setup';
import { printFigure } from '../helpers/figures';
import { DATABASE_NAMES, startDatabase, testDatabaseKind, type TestDatabase } from '../helpers/databases';
import type { ApiResponse } from '../helpers/strapi';
import { startStrapiProcess, type StrapiProcess } from '../helpers/strapi-process';
import { clientDuoUsername } from '../helpers/clients-harness';
import { registerClient, registerFirstAdmin, type ClientCredentials } from '../helpers/users';

/**
 * Issue 6, item 4: two playground Strapi processes ("A" and "B") on one throw-away database and one Duo sandbox, Duo
 * required for clients. The database is PostgreSQL or MySQL (MariaDB): `DUO_TEST_DB` (postgres, mysql) chooses,
 * and scripts/run-suite.js runs this file once for each (issue 14, item 7). A Duo step lives in the database, so it is the same step on every instance:
 * started on one it finishes on the other, used once it is dead everywhere, and an instance dying in the middle
 * of it loses nothing and leaks nothing.
 *
 * Settings: each instance keeps what it read for `settingsCacheSeconds` (default 5 s), and the per-user Duo
 * requirement it caches for token checks is tied to the settings object it was computed from, so it is dropped
 * when the settings are read again. The bound for a change saved on one instance to be applied by another is
 * therefore `settingsCacheSeconds` (not the sum of both caches), for every request that starts after it.
 */

const SETTINGS_CACHE_SECONDS = 5;
/**
 * The gap between two probes: the failing probe before the one that sees the change (a password login hashes the
 * password) and the pause after it, on a busy 2-core machine.
 */
const REQUEST_SLACK_MS = 3000;
/** The shortest Duo step the plugin accepts; test 4 waits for one to expire. */
const TTL_SECONDS = 60;
/** maxPasscodeAttempts (the default): wrong passcodes one step takes. */
const PER_STEP = 5;
/** Steps the guessing client opens, each sent `PER_STEP` wrong passcodes at once: more than the per-user limit. */
const GUESS_STEPS = 6;

const DB_KIND = testDatabaseKind();

let db: TestDatabase;
let sandbox: DuoSandbox;
let a: StrapiProcess;
let b: StrapiProcess;
let adminToken: string;
/** A login opened on A during setup and never finished: the last test sees it expire on both instances. */
let abandoned: DuoRequired;
let abandonedAt: number;
const clients: Record<
  'one' | 'two' | 'race' | 'settings' | 'optin' | 'crash' | 'abandoned' | 'guesser',
  ClientCredentials
> = {
  one: credentials('one'),
  optin: credentials('optin'),
  two: credentials('two'),
  race: credentials('race'),
  settings: credentials('settings'),
  crash: credentials('crash'),
  abandoned: credentials('abandoned'),
  guesser: credentials('guesser'),
};

/** Clients who never used Duo, each finishing two logins at once. */
const twins = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => credentials(`twin${n}`));

function credentials(name: string): ClientCredentials {
  const username = `mi-${name}`;
  return { username, email: `${username}@example.com`, password: `Pw-${username}-1` };
}

/** What Duo knows each client as (the plugin maps clients by id), filled in as they register. */
const duoNames = new Map<string, string>();
function duoName(client: ClientCredentials): string {
  const name = duoNames.get(client.email);
  if (name === undefined) throw new Error(`${client.email} has not registered`);
  return name;
}

const secret = () => randomBytes(24).toString('base64url');

// --- calls ----------------------------------------------------------------------------------------------------

async function putClientSettings(app: StrapiProcess, clientsConfig: AudienceConfig, activate = false): Promise<void> {
  const response = await app.api('/duo-security/settings', {
    token: adminToken,
    method: 'PUT',
    body: {
      ...(activate
        ? { activated: true, integrationKey: sandbox.ikey, secretKey: sandbox.skey, apiHostname: sandbox.url }
        : {}),
      clients: clientsConfig,
    },
  });
  assert.equal(response.status, 200, `settings update on ${app.name}: HTTP ${response.status}`);
}

function login(app: StrapiProcess, client: ClientCredentials): Promise<ApiResponse> {
  return app.api('/api/auth/local', { body: { identifier: client.email, password: client.password } });
}

function step(app: StrapiProcess, action: StepAction, body: Record<string, unknown>): Promise<ApiResponse> {
  return app.api(`/api/duo-security/step/${action}`, { method: 'POST', body });
}

function me(app: StrapiProcess, jwt: string): Promise<ApiResponse> {
  return app.api('/api/users/me', { token: jwt });
}

async function startLogin(app: StrapiProcess, client: ClientCredentials): Promise<DuoRequired> {
  const required = expectDuoRequired(await login(app, client), `password on ${app.name}`);
  assert.equal(required.duo.result, 'auth', 'Duo knows the client and its phone');
  return required;
}

const pushed = new Set<string>();

/** The push Duo holds for this client that no earlier call picked. */
async function newPush(client: ClientCredentials): Promise<string> {
  const push = await eventually(
    () => sandbox.pendingPushes().find((p) => p.username === duoName(client) && !pushed.has(p.txid)),
    5000,
    `a push for ${client.email}`,
  );
  pushed.add(push.txid);
  return push.txid;
}

/** Polls the step's status until it is no longer waiting (the sandbox holds a long-poll 3 s). */
async function statusUntilSettled(app: StrapiProcess, stepId: string): Promise<ApiResponse> {
  for (let round = 0; ; round += 1) {
    const response = await step(app, 'status', { step: stepId });
    const waiting =
      response.status === 200 && isRecord(response.body) && isRecord(response.body.data)
        ? response.body.data.state === 'waiting'
        : false;
    if (!waiting || round >= 5) return response;
  }
}

/** The plugin's refusal of a step that is over: HTTP 400 DuoStepError with the step's state, no token. */
function expectStepError(response: ApiResponse, state: string, what: string): void {
  assertNoToken(response, what);
  const error = errorOf(response, 400);
  assert.equal(error.name, 'DuoStepError', `${what}: ${JSON.stringify(response.body)}`);
  assert.deepEqual(error.details, { state }, what);
}

async function expectSession(app: StrapiProcess, answer: TokenAnswer, client: ClientCredentials): Promise<void> {
  const response = await me(app, answer.jwt);
  assert.equal(response.status, 200, `the token on ${app.name}: HTTP ${response.status}`);
  assert.ok(isRecord(response.body));
  assert.equal(response.body.email, client.email, `the token on ${app.name} is the client's session`);
}

async function stepStates(client: ClientCredentials): Promise<Record<string, number>> {
  const rows = await db.rows(
    `select t.state, count(*) from duo_security_transactions t join up_users u on u.id = t.user_id ` +
      `where u.email = '${client.email}' group by t.state order by t.state`,
  );
  return Object.fromEntries(rows.map(([state = '', count = '0']) => [state, Number(count)]));
}

// --- the tests -------------------------------------------------------------------------------------------------

describe(`two Strapi instances on one ${DATABASE_NAMES[DB_KIND]} database`, () => {
  // A failed setup (the database server missing, Strapi not starting) fails every test with its message: a failing hook
  // would only cancel them, and the suite must fail loudly.
  let setupError: unknown;
  before(async () => {
    try {
      const started = Date.now();
      db = await startDatabase(DB_KIND, 'duo_multi_instance');
      sandbox = await startDuoSandbox({ port: 0, longPollMs: 3000 });
      // Both instances share every secret, as instances of one deployment must (the Secret Key sealed by one is
      // opened by the other; a token signed by one is verified by the other).
      const env = {
        ...db.env,
        APP_KEYS: `${secret()},${secret()}`,
        ADMIN_JWT_SECRET: secret(),
        JWT_SECRET: secret(),
        API_TOKEN_SALT: secret(),
        TRANSFER_TOKEN_SALT: secret(),
        DUO_SECURITY_ENCRYPTION_KEY: secret(),
        DUO_STEP_TTL_SECONDS: String(TTL_SECONDS),
      };
      // One at a time: the first boot creates the tables, and Strapi's schema sync is not meant to race itself.
      a = await startStrapiProcess({ name: 'A', env });
      b = await startStrapiProcess({ name: 'B', env });
      printFigure(
        'multi-instance setup',
        `${db.label} server and two Strapi processes ready in ${Date.now() - started} ms`,
      );

      adminToken = await registerFirstAdmin(a.api);
      for (const client of [...Object.values(clients), ...twins]) {
        const registered = await registerClient(a.api, client);
        duoNames.set(client.email, clientDuoUsername(Number(registered.user.id)));
        sandbox.addUser({ username: duoName(client) });
      }
      await putClientSettings(a, { enabled: true, enforcement: 'required', failMode: 'closed' }, true);
      // Opened now, so that its TTL runs out while the other tests run rather than after them.
      abandonedAt = Date.now();
      abandoned = await startLogin(a, clients.abandoned);
    } catch (error) {
      setupError = error;
    }
  });
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });

  after(async () => {
    // Each step runs even if an earlier one fails: nothing may be left running.
    for (const stop of [() => a?.stop(), () => b?.stop(), () => sandbox?.close(), () => db?.stop()]) {
      await Promise.resolve()
        .then(stop)
        .catch((error: unknown) => console.error('multi-instance cleanup:', error));
    }
  });

  it('a login started on A (password) finishes on B (push, status); the token works on both', async () => {
    const { stepId } = await startLogin(a, clients.one);
    const started = dataOf(await step(b, 'push', { step: stepId }), 'push on B');
    assert.deepEqual(started, { state: 'waiting', duoStatus: 'pushed' });
    sandbox.approve(await newPush(clients.one));
    const answer = expectToken(await statusUntilSettled(b, stepId), 'status on B');
    assert.equal(answer.user.email, clients.one.email);
    assert.equal(jwtPayload(answer.jwt).duo, 'allow', 'the token carries the Duo claim');
    await expectSession(a, answer, clients.one);
    await expectSession(b, answer, clients.one);
  });

  it('a step used on A is dead on B: status, passcode and push on B are refused, without asking Duo', async () => {
    const { stepId } = await startLogin(a, clients.two);
    const passcode = sandbox.currentPasscode(duoName(clients.two));
    expectToken(await step(a, 'passcode', { step: stepId, passcode }), 'passcode on A');

    const duoCallsBefore = sandbox.stats().requests;
    expectStepError(await step(b, 'status', { step: stepId }), 'consumed', 'status on B');
    const fresh = sandbox.currentPasscode(duoName(clients.two));
    expectStepError(await step(b, 'passcode', { step: stepId, passcode: fresh }), 'consumed', 'passcode on B');
    expectStepError(await step(b, 'push', { step: stepId }), 'consumed', 'push on B');
    assert.equal(sandbox.stats().requests, duoCallsBefore, 'B refused from the database alone: Duo was not asked');
    // The same holds on A, which consumed it.
    expectStepError(await step(a, 'status', { step: stepId }), 'consumed', 'status on A again');
    assert.deepEqual(await stepStates(clients.two), { consumed: 1 });
  });

  it('an approved push polled on A and B at the same moment gives one token, never two', async () => {
    const rounds = 6;
    let winsA = 0;
    let winsB = 0;
    // A slow database (a test trigger holds "mark the step used" 300 ms) keeps both instances inside the hand-out
    // together: only the conditional update (allowed → consumed) decides, not which request happens to be first.
    const removeSlowdown = await db.slowUpdates('duo_security_transactions', 'state', 'consumed', 0.3);
    try {
      for (let round = 0; round < rounds; round += 1) {
        const { stepId } = await startLogin(a, clients.race);
        dataOf(await step(round % 2 === 0 ? a : b, 'push', { step: stepId }), 'push');
        sandbox.approve(await newPush(clients.race));
        // Both polls are in flight together; which one is sent first alternates.
        const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
        const answers = await Promise.all([statusUntilSettled(first, stepId), statusUntilSettled(second, stepId)]);
        const [onA, onB] = first === a ? answers : [answers[1], answers[0]];
        const winners = [onA, onB].filter(
          (response) => response.status === 200 && isRecord(response.body) && 'jwt' in response.body,
        );
        assert.equal(winners.length, 1, `round ${round}: A ${onA.status}, B ${onB.status}: exactly one token`);
        const loser = winners[0] === onA ? onB : onA;
        expectStepError(loser, 'consumed', `round ${round}: the other instance`);
        if (winners[0] === onA) winsA += 1;
        else winsB += 1;
      }
    } finally {
      await removeSlowdown();
    }
    assert.deepEqual(await stepStates(clients.race), { consumed: rounds });
    printFigure(
      'multi-instance race',
      `${rounds} approved pushes polled on both instances at once (the database slowed 300 ms): ${rounds} single tokens (A won ${winsA}, B won ${winsB}), 0 doubled`,
    );
  });

  it('two logins of one new client finishing at once on A and B enrol it once', async () => {
    for (const twin of twins) {
      const [onA, onB] = [await startLogin(a, twin), await startLogin(b, twin)];
      dataOf(await step(a, 'push', { step: onA.stepId }), 'push on A');
      sandbox.approve(await newPush(twin));
      dataOf(await step(b, 'push', { step: onB.stepId }), 'push on B');
      sandbox.approve(await newPush(twin));
      const answers = await Promise.all([statusUntilSettled(a, onA.stepId), statusUntilSettled(b, onB.stepId)]);
      for (const answer of answers) expectToken(answer, 'each login gets its own token');
      const rows = await db.rows(
        `select e.status from duo_security_enrollments e join up_users u on u.id = e.user_id ` +
          `where e.audience = 'clients' and u.email = '${twin.email}'`,
      );
      assert.deepEqual(rows, [['active']], `${twin.email}: one enrolment row, active`);
    }
    // The database itself keeps it at one row per account, whoever writes.
    await assert.rejects(
      db.rows(
        `insert into duo_security_enrollments (audience, user_id, status) ` +
          `select 'clients', id, 'disabled' from up_users where email = '${twins[0]?.email ?? ''}'`,
      ),
      db.uniqueViolation,
    );
  });

  it(`${GUESS_STEPS * PER_STEP} wrong passcodes at once over ${GUESS_STEPS} steps of one client on A and B: exactly ${USER_PASSCODE_LIMIT} reach Duo`, async () => {
    const client = clients.guesser;
    const steps: string[] = [];
    for (let i = 0; i < GUESS_STEPS; i += 1) steps.push((await startLogin(i % 2 === 0 ? a : b, client)).stepId);
    const wrong = sandbox
      .currentPasscode(duoName(client))
      .replace(/[0-9]/g, (digit) => String((Number(digit) + 1) % 10));
    // Every passcode goes to /auth/v2/auth (the logins above only asked preauth).
    const checkedByDuo = () => sandbox.stats().byPath['/auth/v2/auth'] ?? 0;
    const before = checkedByDuo();
    const responses = await Promise.all(
      steps.flatMap((stepId, i) =>
        Array.from({ length: PER_STEP }, (_, j) =>
          step((i + j) % 2 === 0 ? a : b, 'passcode', { step: stepId, passcode: wrong }),
        ),
      ),
    );
    const reached = checkedByDuo() - before;
    for (const response of responses) {
      assertNoToken(response, 'a wrong passcode');
      const error = errorOf(response, 400);
      assert.ok(['DuoPasscodeError', 'DuoStepError'].includes(error.name), `${error.name}: ${error.message}`);
    }
    // Not one more (the limit holds across instances), and not one fewer (no guess was refused for a try that
    // had not been counted yet).
    assert.equal(reached, USER_PASSCODE_LIMIT, `wrong passcodes Duo checked of ${responses.length} sent at once`);
    const failures = await db.rows(
      `select count(*) from duo_security_audit_entries e join up_users u on u.id = e.user_id ` +
        `where e.event = 'passcode.failed' and u.email = '${client.email}'`,
    );
    assert.deepEqual(failures, [[String(USER_PASSCODE_LIMIT)]], 'each failure Duo saw is recorded once');
    printFigure(
      'multi-instance passcode limit',
      `${responses.length} wrong passcodes at once over ${GUESS_STEPS} steps of one client, sent to A and B ` +
        `(${DATABASE_NAMES[DB_KIND]}): ${reached} reached Duo (limit ${USER_PASSCODE_LIMIT})`,
    );
  });

  it(`a settings change (and a client turning Duo on) at A takes effect on B within settingsCacheSeconds (${SETTINGS_CACHE_SECONDS} s)`, async () => {
    const client = clients.settings;
    const bound = SETTINGS_CACHE_SECONDS * 1000 + REQUEST_SLACK_MS;
    // B has read the settings (required) just now: its cache holds the old ones for up to the full period.
    expectDuoRequired(await login(b, client), 'B before the change');

    // required → optional: a client who never turned Duo on signs in with the password alone.
    // Delays count from A's answer to the change (A answers once it is stored).
    await putClientSettings(a, { enforcement: 'optional' });
    const toOptional = Date.now();
    expectToken(await login(a, client), 'A at once after its own change');
    const optionalOnB = await until(toOptional, bound + 5000, async () => (await login(b, client)).status === 200);
    const plain = expectToken(await login(b, client), 'B after the change');
    assert.equal(jwtPayload(plain.jwt).duo, undefined, 'no Duo claim: Duo was not needed');
    assert.equal((await me(b, plain.jwt)).status, 200, 'the password-only session works on B while optional');

    // While optional: a client turning Duo on at A ends their password-only session on B too.
    const optIn = expectToken(await login(b, clients.optin), 'opt-in client on B');
    assert.equal((await me(b, optIn.jwt)).status, 200, 'B has the password-only session checked and cached');
    const enabling = stepFrom(
      dataOf(await a.api('/api/duo-security/me/enable', { method: 'POST', token: optIn.jwt }), 'enable on A'),
      'enable on A',
    );
    const passcode = sandbox.currentPasscode(duoName(clients.optin));
    expectEnabled(await step(a, 'passcode', { step: enabling.stepId, passcode }), 'enable on A');
    const enabledAt = Date.now();
    assert.equal((await me(a, optIn.jwt)).status, 401, 'A ends the password-only session at once');
    const optInOnB = await until(enabledAt, bound + 5000, async () => (await me(b, optIn.jwt)).status === 401);

    // optional → required: B's login asks for Duo again, and B stops accepting the session without the claim.
    assert.equal((await me(b, plain.jwt)).status, 200, 'B has the optional settings cached');
    await putClientSettings(a, { enforcement: 'required' });
    const toRequired = Date.now();
    assert.equal((await me(a, plain.jwt)).status, 401, 'A refuses the session without the Duo claim at once');
    const [guardOnB, gateOnB] = await Promise.all([
      until(toRequired, bound + 5000, async () => (await me(b, plain.jwt)).status === 401),
      until(toRequired, bound + 5000, async () => (await login(b, client)).status === 400),
    ]);
    expectDuoRequired(await login(b, client), 'B after the change back');

    printFigure(
      'settings propagation',
      `A → B, from A's answer: enforcement required→optional seen by B's login after ${optionalOnB} ms; optional→required seen by ` +
        `B's login after ${gateOnB} ms and by B's token check after ${guardOnB} ms; a client turning Duo on at A ` +
        `lost their password-only session on B after ${optInOnB} ms ` +
        `(bound: settingsCacheSeconds ${SETTINGS_CACHE_SECONDS} s + ${REQUEST_SLACK_MS} ms for the probing requests)`,
    );
    for (const [what, ms] of [
      ['login gate (→ optional)', optionalOnB],
      ['login gate (→ required)', gateOnB],
      ['token check (→ required)', guardOnB],
      ['token check (Duo turned on at A)', optInOnB],
    ] as const) {
      assert.ok(ms <= bound, `${what}: B applied the change after ${ms} ms, beyond the ${bound} ms bound`);
    }
  });

  it('A killed (SIGKILL) mid-login: the login completes on B or expires on time; no token leaks; A serves again', async () => {
    // Two logins are open on A when it dies: one whose push the user approves afterwards, one nobody finishes
    // (opened during setup).
    const expiresAt = Date.parse(abandoned.expiresAt);
    assert.ok(
      expiresAt - abandonedAt <= (TTL_SECONDS + 2) * 1000 && expiresAt - abandonedAt >= (TTL_SECONDS - 2) * 1000,
      `the step is open for stepTtlSeconds (${TTL_SECONDS} s), then ends: ${abandoned.expiresAt}`,
    );
    const crash = await startLogin(a, clients.crash);
    dataOf(await step(a, 'push', { step: crash.stepId }), 'push on A');
    const txid = await newPush(clients.crash);
    // The browser is waiting on A's status long-poll when A dies (Duo answers the first poll at once, holds the next).
    assert.equal(dataOf(await step(a, 'status', { step: crash.stepId })).state, 'waiting');
    const polling = step(a, 'status', { step: crash.stepId }).then(
      (response) => response,
      (error: unknown) => error,
    );
    await sleep(300);
    await a.kill();
    const lost = await polling;
    assert.ok(lost instanceof Error, `the held long-poll is cut off by the crash, not answered: ${String(lost)}`);

    // The user approves on the phone; the client retries against the instance still up.
    sandbox.approve(txid);
    const answer = expectToken(await statusUntilSettled(b, crash.stepId), 'status on B after A died');
    await expectSession(b, answer, clients.crash);
    expectStepError(await step(b, 'status', { step: crash.stepId }), 'consumed', 'used once');
    // The abandoned step is still open on B (nothing of it lived only in A).
    assert.ok(Date.now() < expiresAt - 2000, 'the tests before this one took most of the step TTL: no time to check');
    assert.equal(dataOf(await step(b, 'status', { step: abandoned.stepId, wait: false })).state, 'pending');

    const restartedAt = Date.now();
    await a.restart();
    const restartMs = Date.now() - restartedAt;
    await expectSession(a, answer, clients.crash);
    const again = await startLogin(a, clients.crash);
    const passcode = sandbox.currentPasscode(duoName(clients.crash));
    await expectSession(a, expectToken(await step(a, 'passcode', { step: again.stepId, passcode })), clients.crash);

    // Nobody came back to the abandoned step: once its time is up it is refused everywhere, even with a right
    // passcode, and expires once (one audit entry although both instances saw it end).
    const waitMs = expiresAt - Date.now() + 500;
    if (waitMs > 0) await sleep(waitMs);
    const right = sandbox.currentPasscode(duoName(clients.abandoned));
    expectStepError(
      await step(b, 'passcode', { step: abandoned.stepId, passcode: right }),
      'expired',
      'passcode on B after the step expired',
    );
    expectStepError(await step(a, 'status', { step: abandoned.stepId }), 'expired', 'status on A');
    expectStepError(await step(b, 'push', { step: abandoned.stepId }), 'expired', 'push on B');
    assert.deepEqual(await stepStates(clients.abandoned), { expired: 1 });
    const expiredAudits = await db.rows(
      `select count(*) from duo_security_audit_entries e join up_users u on u.id = e.user_id ` +
        `where e.event = 'step.expired' and u.email = '${clients.abandoned.email}'`,
    );
    assert.deepEqual(expiredAudits, [['1']], 'the expiry is audited once across both instances');
    printFigure(
      'multi-instance restart',
      `A SIGKILLed mid-login: the push approved afterwards finished on B (one token); A back in ${restartMs} ms; ` +
        `the abandoned step refused on both after its ${TTL_SECONDS} s TTL (${Date.now() - abandonedAt} ms after it started)`,
    );
  });
});

/** Polls `probe` until it holds; the milliseconds from `since` to the answer that showed it. */
/**
 * When, after `since`, B first showed the change: the moment the first probe that saw it was sent (not when its
 * answer came back, so the probe's own duration — a password hash on a loaded machine — is not counted).
 */
async function until(since: number, limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  for (;;) {
    const sent = Date.now();
    if (await probe()) return sent - since;
    if (Date.now() - since > limitMs) throw new Error(`B did not apply the change within ${limitMs} ms`);
    await sleep(100);
  }
}
