import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  dataOf,
  errorOf,
  expectDuoRequired,
  expectEnabled,
  expectGraphqlDuoRequired,
  expectToken,
  isRecord,
  JWT_PATTERN,
  jwtPayload,
  stepFrom,
} from '../helpers/client-answers';
import {
  createClient,
  eventually,
  GQL,
  graphql,
  login,
  startClientsHarness,
  step,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { printFigure } from '../helpers/figures';
import {
  adminLogin,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  expectStaffEnabled,
  renewAdminSession,
  setCookie,
  staffStep,
  type Admin,
} from '../helpers/staff';
import { playgroundDir, REPO_ROOT } from '../helpers/strapi';
import {
  captureConsoleOutput,
  databaseFiles,
  dumpDatabase,
  findHits,
  ResponseRecorder,
  rowText,
  standalone,
  type Haystack,
  type Needle,
} from '../helpers/sweep';

/**
 * Issue 6, secrets: every flow driven with a known Duo Secret Key and known passcodes (settings save and test
 * connection, client logins with push, passcode, SMS, phone call, enrolment, cancel and denial, GraphQL, self-service
 * on and off, staff logins through the admin step, Two-factor (Duo), renew-token, Reset Duo, the break-glass
 * command), then every HTTP answer (bodies and headers), every log line (Strapi's logger, console, process
 * warnings, the command's output) and every row of every table is searched:
 * - the Secret Key and the Universal Prompt's Client Secret (and wrong ones typed into Test connection): nowhere;
 * - each passcode sent: nowhere;
 * - each token issued: in no log line and no row (answers carry them by design);
 * - each step id: in no log line and no row (rows keep its SHA-256 only);
 * - each Duo Mobile activation code: in no log line and no row (kept sealed).
 * The stored Secret Key and Client Secret must be ciphertext that the settings service opens.
 */

const SECRET = 'SweepKnownSecretKeyForTheSandbox00000001';
const WRONG_SECRET = 'WrongSecretKeyTypedIntoTestConnection001';
const CLIENT_ID = 'DISWEEPWEBSDKCLIENT1';
const CLIENT_SECRET = 'SweepKnownClientSecretOfTheWebSdkApp0001';
const WRONG_CLIENT_SECRET = 'WrongClientSecretTypedIntoTestConnectio1';
// Duo Mobile's first passcodes on each phone: known in advance (they rotate after each use).
const FIRST_PASSCODES = ['246813', '975310', '864202', '531975'];

let h: ClientsHarness;
const recorder = new ResponseRecorder();
/** Bodies of the harness's own calls before the recorder existed (first administrator, activation). */
let setupAnswers: string[] = [];
let consoleOutput: ReturnType<typeof captureConsoleOutput>;
/** Output of the break-glass command (its own Strapi logs included). */
const commandOutput: string[] = [];
/** Each Duo Mobile activation handed out: its code, link and QR image address (any of them activates). */
const activations = new Set<string>();

before(async () => {
  assert.equal(SECRET.length, 40);
  assert.equal(WRONG_SECRET.length, 40);
  consoleOutput = captureConsoleOutput();
  const harness = await startClientsHarness({
    sandbox: { skey: SECRET, phoneRingMs: 50 },
    clients: { enabled: true, enforcement: 'optional' },
    staff: { enabled: true, enforcement: 'optional' },
  });
  setupAnswers = harness.responses.slice();
  h = { ...harness, app: recorder.wrap(harness.app) };
});

after(async () => {
  consoleOutput?.stop();
  await h?.close();
});

const api = (path: string, request?: Parameters<ClientsHarness['app']['api']>[1]) => h.app.api(path, request);
const pendingPush = (username: string, factor: 'push' | 'phone', status = 'pushed') =>
  eventually(
    () => h.sandbox.pendingPushes().find((p) => p.username === username && p.factor === factor && p.status === status),
    5000,
    `${factor} for ${username}`,
  );
const phones = (passcode: string) => ({ devices: [{ passcode }] });

type Who = 'client' | 'admin';
const BASE: Record<Who, string> = { client: '/api/duo-security', admin: '/duo-security' };

/** Starts self-service on or off (`/me/enable`, `/me/disable`) for the signed-in user: the Duo step it opens. */
async function selfService(who: Who, action: 'enable' | 'disable', token: string) {
  return stepFrom(dataOf(await api(`${BASE[who]}/me/${action}`, { method: 'POST', token }), action), action);
}

/** Answers a step with a passcode (by default Duo Mobile's current one for `username`). */
function answerWithPasscode(who: Who, stepId: string, username: string, passcode?: string) {
  const body = { step: stepId, passcode: passcode ?? h.sandbox.currentPasscode(username) };
  return who === 'client' ? step(h.app, 'passcode', body) : staffStep(h.app, 'passcode', body);
}

/** Client flows: self-service on, logins with every factor, denial, cancel, GraphQL, enrolment, self-service off. */
async function clientFlows(): Promise<Client> {
  const client = await createClient(h, { prefix: 'sweep', duo: phones(FIRST_PASSCODES[0]!) });
  const plain = expectToken(await login(h.app, client.email, client.password)).jwt;
  assert.equal((await api('/api/duo-security/me', { token: plain })).status, 200);

  // On: the first passcode, known in advance.
  const enabling = await selfService('client', 'enable', plain);
  assert.equal(h.sandbox.currentPasscode(client.duoUsername), FIRST_PASSCODES[0]);
  expectEnabled(await answerWithPasscode('client', enabling.stepId, client.duoUsername, FIRST_PASSCODES[0]));

  // A wrong passcode, then the right one.
  let t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
  errorOf(await step(h.app, 'passcode', { step: t, passcode: '13572468' }), 400);
  expectToken(await step(h.app, 'passcode', { step: t, passcode: h.sandbox.currentPasscode(client.duoUsername) }));

  // Push, approved.
  t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
  dataOf(await step(h.app, 'push', { step: t }));
  h.sandbox.approve((await pendingPush(client.duoUsername, 'push')).txid);
  const session = expectToken(await step(h.app, 'status', { step: t }), 'push');

  // Push, denied (the step stays open), then reported as fraud (the step ends).
  t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
  dataOf(await step(h.app, 'push', { step: t }));
  h.sandbox.deny((await pendingPush(client.duoUsername, 'push')).txid);
  assert.equal(dataOf(await step(h.app, 'status', { step: t })).state, 'pending');
  dataOf(await step(h.app, 'push', { step: t }));
  h.sandbox.deny((await pendingPush(client.duoUsername, 'push')).txid, { fraud: true });
  assert.equal(dataOf(await step(h.app, 'status', { step: t })).state, 'denied');

  // SMS passcodes.
  t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
  dataOf(await step(h.app, 'sms', { step: t }));
  const [sms] = h.sandbox.smsPasscodes(client.duoUsername);
  expectToken(await step(h.app, 'passcode', { step: t, passcode: sms! }), 'sms');

  // A phone call, answered and approved.
  t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
  dataOf(await step(h.app, 'phone', { step: t }));
  h.sandbox.approve((await pendingPush(client.duoUsername, 'phone', 'answered')).txid);
  let answer = await step(h.app, 'status', { step: t });
  const waiting = (body: unknown) => isRecord(body) && isRecord(body.data) && body.data.state === 'waiting';
  while (waiting(answer.body)) answer = await step(h.app, 'status', { step: t });
  expectToken(answer, 'phone');

  // Cancelled.
  t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
  dataOf(await step(h.app, 'cancel', { step: t }));

  // GraphQL login, finished on the step.
  const gql = await graphql(h.app, GQL.login, { input: { identifier: client.email, password: client.password } });
  t = expectGraphqlDuoRequired(gql, 'graphql login').stepId;
  expectToken(await step(h.app, 'passcode', { step: t, passcode: h.sandbox.currentPasscode(client.duoUsername) }));

  // Off: a fresh verification.
  const disabling = await selfService('client', 'disable', session.jwt);
  dataOf(await answerWithPasscode('client', disabling.stepId, client.duoUsername), 'off');
  return client;
}

interface Activated {
  readonly activation: { readonly activationCode: string; readonly activationUrl: string; readonly qrCodeUrl: string };
}

function keepActivation({ activation }: Activated): void {
  for (const value of [activation.activationCode, activation.activationUrl, activation.qrCodeUrl]) {
    assert.ok(typeof value === 'string' && value.length > 10, 'an activation code, link and QR address');
    activations.add(value);
  }
}

/** Enrolment: a client Duo does not know turns Duo on (QR, activation, push); another one walks away mid-way. */
async function enrolmentFlows(): Promise<void> {
  const enrolling = await createClient(h, { prefix: 'sweepenrol', duo: false });
  const jwt = expectToken(await login(h.app, enrolling.email, enrolling.password)).jwt;
  const started = await selfService('client', 'enable', jwt);
  assert.equal(started.duo.result, 'enroll');
  const view = dataOf(await step(h.app, 'enroll', { step: started.stepId })).duo as Activated;
  keepActivation(view);
  h.sandbox.completeActivation(view.activation.activationCode);
  assert.equal(dataOf(await step(h.app, 'status', { step: started.stepId, wait: false })).state, 'pending');
  dataOf(await step(h.app, 'push', { step: started.stepId }));
  h.sandbox.approve((await pendingPush(enrolling.duoUsername, 'push')).txid);
  expectEnabled(await step(h.app, 'status', { step: started.stepId }), 'enrolled');

  const leaving = await createClient(h, { prefix: 'sweepleave', duo: false });
  const other = expectToken(await login(h.app, leaving.email, leaving.password)).jwt;
  const left = await selfService('client', 'enable', other);
  keepActivation(dataOf(await step(h.app, 'enroll', { step: left.stepId })).duo as Activated);
  dataOf(await step(h.app, 'cancel', { step: left.stepId }));
}

/** Staff: Two-factor (Duo) on, admin logins through the step (passcode, push), session renewal, off. */
async function staffFlows(): Promise<Admin> {
  const admin = await createAdmin(h, { prefix: 'sweepstaff', duo: phones(FIRST_PASSCODES[1]!) });
  const plain = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password)).token;
  const enabling = await selfService('admin', 'enable', plain);
  const token = await expectStaffEnabled(
    h.app,
    await answerWithPasscode('admin', enabling.stepId, admin.email, FIRST_PASSCODES[1]),
  );
  assert.equal((await api('/duo-security/me', { token })).status, 200);

  let t = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password)).stepId;
  const passcode = h.sandbox.currentPasscode(admin.email);
  expectAdminSession(h.app, await staffStep(h.app, 'passcode', { step: t, passcode }), 'admin passcode');

  t = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password)).stepId;
  dataOf(await staffStep(h.app, 'push', { step: t }));
  h.sandbox.approve((await pendingPush(admin.email, 'push')).txid);
  const session = expectAdminSession(h.app, await staffStep(h.app, 'status', { step: t }), 'admin push');

  // Strapi's own renewal on each host: renew-token (4), the refresh cookie at /admin/access-token (5).
  const renewed = await renewAdminSession(h.app, session);
  assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
  assert.equal((await api('/duo-security/login')).status, 200);

  const disabling = await selfService('admin', 'disable', session.token);
  dataOf(await answerWithPasscode('admin', disabling.stepId, admin.email), 'off');
  return admin;
}

/**
 * Remembered devices (Duo's policy on in the sandbox for this flow only): a client app and a staff browser pass a
 * step, keep what the answer handed them (the body's `duoRememberToken`, the `duo_remember` cookie) and sign in with
 * it without a prompt. Those sealed tokens are secrets like session tokens: kept out of logs and tables.
 */
async function rememberedFlows(): Promise<void> {
  h.sandbox.setRememberedDevices(86_400);
  try {
    const client = await createClient(h, { prefix: 'sweepremember' });
    const plain = expectToken(await login(h.app, client.email, client.password)).jwt;
    const on = await selfService('client', 'enable', plain);
    expectEnabled(await answerWithPasscode('client', on.stepId, client.duoUsername));
    const t = expectDuoRequired(await login(h.app, client.email, client.password)).stepId;
    const done = await answerWithPasscode('client', t, client.duoUsername);
    const remember = String((done.body as { duoRememberToken?: unknown }).duoRememberToken);
    const again = await api('/api/auth/local', {
      body: { identifier: client.email, password: client.password },
      headers: { 'x-duo-remember': remember },
    });
    assert.equal(jwtPayload(expectToken(again, 'remembered client').jwt).duo, 'bypass');

    const admin = await createAdmin(h, { prefix: 'sweepremember' });
    const session = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password)).token;
    const enabling = await selfService('admin', 'enable', session);
    await expectStaffEnabled(h.app, await answerWithPasscode('admin', enabling.stepId, admin.email));
    const s = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password)).stepId;
    const cookie = setCookie(await answerWithPasscode('admin', s, admin.email), 'duo_remember');
    assert.ok(cookie !== undefined, 'the remembered-device cookie');
    const body = { email: admin.email, password: admin.password };
    const remembered = await api('/admin/login', { body, headers: { cookie: cookie.split(';')[0]! } });
    expectAdminSession(h.app, remembered, 'remembered admin');
  } finally {
    h.sandbox.setRememberedDevices(null);
  }
}

/** `npx duo-security reset` against the running app's database, as an operator would on the server. */
function breakGlass(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'duo-security.js'), ...args], {
      cwd: playgroundDir(h.app.host),
      env: { ...process.env, STRAPI_LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => commandOutput.push(...chunk.toString('utf8').split('\n'));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('every flow, with a known Secret Key and known passcodes', () => {
  let client: Client;

  it('settings: save with the Secret Key, read back, Test connection (right and wrong key)', async () => {
    const saved = await api('/duo-security/settings', {
      method: 'PUT',
      token: h.adminToken,
      body: { secretKey: SECRET, clients: { enabled: true } },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(dataOf(await api('/duo-security/settings', { token: h.adminToken })).settings !== undefined, true);
    const check = dataOf(await api('/duo-security/settings/check', { method: 'POST', token: h.adminToken, body: {} }));
    assert.equal(check.ok, true);
    const wrong = dataOf(
      await api('/duo-security/settings/check', {
        method: 'POST',
        token: h.adminToken,
        body: { secretKey: WRONG_SECRET },
      }),
    );
    assert.equal(wrong.ok, false);
    // The Universal Prompt's Client Secret: tested (right and wrong) and stored beside the Auth API's keys.
    h.sandbox.addOAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, type: 'websdk' });
    for (const [clientSecret, ok] of [
      [CLIENT_SECRET, true],
      [WRONG_CLIENT_SECRET, false],
    ] as const) {
      const body = { integration: 'universal', clientId: CLIENT_ID, clientSecret };
      const result = dataOf(await api('/duo-security/settings/check', { method: 'POST', token: h.adminToken, body }));
      assert.equal(result.ok, ok, JSON.stringify(result));
    }
    const stored = await api('/duo-security/settings', {
      method: 'PUT',
      token: h.adminToken,
      body: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
  });

  it('clients: on, passcode (wrong and right), push (approved, denied), SMS, phone, cancel, GraphQL, off', async () => {
    client = await clientFlows();
  });

  it('clients: enrolment (finished, and abandoned after the QR code)', async () => {
    await enrolmentFlows();
  });

  it('staff: Two-factor (Duo) on, logins through the step, renew-token, the step page, off', async () => {
    const admin = await staffFlows();
    // Reset Duo and the list of Duo users, as an administrator with the permissions.
    await updateClientSettings(h, { enforcement: 'optional' });
    const users = await api('/duo-security/users?audience=clients', { token: h.adminToken });
    assert.equal(users.status, 200);
    const reset = await api('/duo-security/users/reset', {
      method: 'POST',
      token: h.adminToken,
      body: { audience: 'staff', userId: admin.id },
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
  });

  it('remembered devices: a client app and a staff browser, remembered and signed in again without a prompt', async () => {
    await rememberedFlows();
  });

  it('break-glass: npx duo-security reset --client --skip-duo-once, then the one sign-in it allows', async () => {
    // Turn the client's Duo on again (Duo Mobile's next passcode), so the command has something to reset.
    const plain = expectToken(await login(h.app, client.email, client.password)).jwt;
    const on = await selfService('client', 'enable', plain);
    expectEnabled(await answerWithPasscode('client', on.stepId, client.duoUsername));
    await updateClientSettings(h, { enforcement: 'required' });
    assert.equal(await breakGlass(['reset', '--client', client.email, '--skip-duo-once']), 0, commandOutput.join('\n'));
    const once = expectToken(await login(h.app, client.email, client.password), 'the one sign-in');
    assert.equal(jwtPayload(once.jwt).duo, 'recovery');
    await updateClientSettings(h, { enforcement: 'optional' });
  });
});

describe('the sweep', () => {
  let responses: Haystack[];
  let logLines: Haystack[];
  let rows: Haystack[];
  let files: Haystack[];
  let tokens: Set<string>;
  let stepIds: Set<string>;
  let backupCodes: Set<string>;
  let remembered: Set<string>;

  before(async () => {
    responses = [...recorder.haystacks(), ...setupAnswers.map((text, i) => ({ where: `setup answer ${i}`, text }))];
    logLines = [
      ...h.app.logs.map((entry, i) => ({
        where: `log line ${i} (${entry.source} ${entry.level})`,
        text: entry.message,
      })),
      ...consoleOutput.lines.map((text, i) => ({ where: `console line ${i}`, text })),
      ...commandOutput.map((text, i) => ({ where: `break-glass output line ${i}`, text })),
    ];
    const dump = await dumpDatabase(h.strapi);
    rows = dump.flatMap(({ table, rows: tableRows }) =>
      tableRows.map((row, i) => ({ where: `${table} row ${i}`, text: rowText(row) })),
    );
    files = databaseFiles(String(process.env.DATABASE_FILENAME));
    const everything = responses.map((r) => r.text).join('\n');
    tokens = new Set([...everything.matchAll(new RegExp(JWT_PATTERN.source, 'g'))].map((m) => m[0]));
    stepIds = new Set([...everything.matchAll(/"step":\{"id":"([A-Za-z0-9_-]{43})"/g)].map((m) => m[1]!));
    // Remembered-device tokens: in the step's answer (clients) or its Set-Cookie (staff), never anywhere else.
    remembered = new Set(
      [...everything.matchAll(/"duoRememberToken":"([^"]+)"|duo_remember=([^;\s]+)/g)].map((m) => (m[1] ?? m[2])!),
    );
    // Backup codes appear in the answers that show them, once; never anywhere else.
    backupCodes = new Set(
      [...everything.matchAll(/"backupCodes":\[([^\]]*)\]/g)].flatMap((m) =>
        m[1]!.split(',').map((c) => c.replace(/"/g, '')),
      ),
    );
  });

  const secrets = (): Needle[] => [
    { what: 'the Secret Key', find: SECRET },
    { what: 'the wrong Secret Key', find: WRONG_SECRET },
    { what: 'the Client Secret', find: CLIENT_SECRET },
    { what: 'the wrong Client Secret', find: WRONG_CLIENT_SECRET },
  ];
  const passcodes = (): Needle[] =>
    [...recorder.passcodes].map((code) => ({ what: `the passcode ${code}`, find: standalone(code) }));
  const kept = (): Needle[] => [
    ...[...tokens].map((token, i) => ({ what: `token ${i}`, find: token })),
    { what: 'something like a JWT', find: JWT_PATTERN },
    ...[...stepIds].map((id, i) => ({ what: `step id ${i}`, find: id })),
    ...[...activations].map((value, i) => ({ what: `activation ${i} (code, link or QR address)`, find: value })),
    ...[...backupCodes].map((code, i) => ({ what: `backup code ${i}`, find: code })),
    ...[...remembered].map((value, i) => ({ what: `remembered-device token ${i}`, find: value })),
  ];

  it('the flows produced what the sweep looks for', () => {
    assert.ok(recorder.passcodes.size >= 8, `passcodes sent: ${recorder.passcodes.size}`);
    for (const code of FIRST_PASSCODES.slice(0, 2)) assert.ok(recorder.passcodes.has(code), code);
    assert.ok(tokens.size >= 8, `tokens issued: ${tokens.size}`);
    assert.ok(stepIds.size >= 10, `step ids: ${stepIds.size}`);
    assert.equal(activations.size, 6);
    assert.ok(backupCodes.size >= 10, `backup codes shown: ${backupCodes.size}`);
    assert.equal(remembered.size, 2, 'one remembered client app, one remembered staff browser');
    assert.ok(logLines.length > 50, `log lines: ${logLines.length}`);
    assert.ok(
      logLines.some((l) => l.text.includes('/api/duo-security/step/passcode')),
      'request lines are captured',
    );
    assert.ok(
      commandOutput.some((l) => l.includes('reset Duo for client')),
      'the command output is captured',
    );
  });

  it('the search finds what is there (a self-check with planted values)', () => {
    const planted: Haystack[] = [
      { where: 'planted', text: `x ${SECRET} y` },
      { where: 'planted', text: `x ${CLIENT_SECRET} y` },
      { where: 'planted', text: `code=${[...recorder.passcodes][0]}&` },
      { where: 'planted', text: `Bearer ${[...tokens][0]}` },
    ];
    const hits = findHits(planted, [...secrets(), ...passcodes(), ...kept()]);
    assert.deepEqual(
      new Set(hits.map((hit) => hit.what.replace(/ \d+$/, ''))),
      new Set(['the Secret Key', 'the Client Secret', `the passcode`, 'token', 'something like a JWT']),
    );
    // …and no chance digits inside a hash.
    assert.deepEqual(findHits([{ where: 'hash', text: `a1${FIRST_PASSCODES[0]}b2` }], passcodes()), []);
  });

  it('no answer holds the Secret Key or a passcode', () => {
    assert.deepEqual(findHits(responses, [...secrets(), ...passcodes()]), []);
  });

  it('no log line holds the Secret Key, a passcode, a token, a step id, an activation or a backup code', () => {
    assert.deepEqual(findHits(logLines, [...secrets(), ...passcodes(), ...kept()]), []);
  });

  it('no row of any table holds any of them, nor do the database files', () => {
    assert.deepEqual(findHits([...rows, ...files], [...secrets(), ...passcodes(), ...kept()]), []);
  });

  it('the stored Secret Key is ciphertext that the settings service opens; step ids are stored hashed', async () => {
    const store = rows.filter(
      (r) => r.where.startsWith('strapi_core_store_settings') && r.text.includes('duo-security'),
    );
    const sealed = store.map((r) => /"secretKeyCiphertext":"(duo1:[^"]+)"/.exec(r.text)?.[1]).find(Boolean);
    assert.ok(sealed !== undefined, 'the plugin settings row keeps a sealed Secret Key');
    const settings = h.strapi.plugin('duo-security').service('settings') as { open(s: string): string | undefined };
    assert.equal(settings.open(sealed), SECRET, 'it opens to the Secret Key');
    const sealedClient = store.map((r) => /"clientSecretCiphertext":"(duo1:[^"]+)"/.exec(r.text)?.[1]).find(Boolean);
    assert.ok(sealedClient !== undefined, 'the plugin settings row keeps a sealed Client Secret');
    assert.equal(settings.open(sealedClient), CLIENT_SECRET, 'it opens to the Client Secret');
    const { createHash } = await import('node:crypto');
    const hashed = [...stepIds].filter((id) =>
      rows.some((r) => r.text.includes(createHash('sha256').update(id).digest('hex'))),
    );
    assert.equal(hashed.length, stepIds.size, 'each step id is stored as its SHA-256');
  });

  it('prints the figure (after searching everything once more)', () => {
    const needles = [...secrets(), ...passcodes()];
    const all = [
      ...findHits(responses, needles),
      ...findHits([...logLines, ...rows, ...files], [...needles, ...kept()]),
    ];
    assert.deepEqual(all, []);
    printFigure(
      'secrets sweep',
      `${responses.length} responses, ${logLines.length} log lines, ${rows.length} rows searched: 0 hits`,
    );
  });
});
