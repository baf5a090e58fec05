import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createClient, login, startClientsHarness, type Client, type ClientsHarness } from '../helpers/clients-harness';
import { adminLogin, createAdmin } from '../helpers/staff';
import {
  captureConsoleOutput,
  databaseFiles,
  dumpDatabase,
  findHits,
  rowText,
  type Haystack,
  type Needle,
} from '../helpers/sweep';
import { expectUniversalRequired, followCallback, throughPrompt, useUniversalPrompt } from '../helpers/universal-flow';

/*
 * The Universal Prompt's secrets, swept after real sign-ins of both audiences (approved, denied, a spoiled id_token,
 * a replay): the Client Secret, every `state` and `duo_code` Duo's redirect carried, every completion code, and the
 * signed request object of every authorize URL appear in no log line, no database row and no database file. The
 * state stays in the database only as a hash: a reader of it cannot take a state to the callback.
 */

let h: ClientsHarness;
const consoleOutput = captureConsoleOutput();
const states = new Set<string>();
const duoCodes = new Set<string>();
const completions = new Set<string>();
const requestObjects = new Set<string>();

async function roundTrip(
  required: { stepId: string; authorizeUrl: string },
  username: string,
  outcome: 'approve' | 'deny' = 'approve',
) {
  const request = new URL(required.authorizeUrl).searchParams.get('request');
  if (request !== null) requestObjects.add(request);
  const callback = await throughPrompt(h.sandbox, required.authorizeUrl, username, outcome);
  const state = callback.searchParams.get('state');
  const code = callback.searchParams.get('duo_code');
  if (state !== null) states.add(state);
  if (code !== null) duoCodes.add(code);
  const answer = await followCallback(callback);
  const completion = answer.fragment.get('duo_completion');
  if (completion !== null) completions.add(completion);
  return { callback, completion };
}

const complete = (path: string, step: string, completion: string) =>
  h.app.api(`${path}/duo-security/step/complete`, { method: 'POST', body: { step, completion } });

before(async () => {
  h = await startClientsHarness({
    clients: { enforcement: 'required' },
    staff: { enabled: true, enforcement: 'required' },
  });
  await useUniversalPrompt(h.strapi, h.sandbox);
  const client: Client = await createClient(h);
  const clientStep = expectUniversalRequired(await login(h.app, client.email, client.password));
  const approved = await roundTrip(clientStep, client.duoUsername);
  assert.ok(approved.completion !== null);
  assert.equal((await complete('/api', clientStep.stepId, approved.completion)).status, 200);
  assert.equal((await complete('/api', clientStep.stepId, approved.completion)).status, 400, 'replayed');
  await followCallback(approved.callback);

  h.sandbox.setOAuthSwitches({ denyRedirect: true });
  await roundTrip(
    expectUniversalRequired(await login(h.app, client.email, client.password)),
    client.duoUsername,
    'deny',
  );
  h.sandbox.setOAuthSwitches({ denyRedirect: false });
  const spoiled = expectUniversalRequired(await login(h.app, client.email, client.password));
  h.sandbox.setFault({ kind: 'token', tamper: 'signature', times: 1 });
  await roundTrip(spoiled, client.duoUsername);

  const admin = await createAdmin(h);
  const staffStep = expectUniversalRequired(await adminLogin(h.app, admin.email, admin.password), 'admin login');
  const staff = await roundTrip(staffStep, admin.email);
  assert.ok(staff.completion !== null);
  assert.equal((await complete('', staffStep.stepId, staff.completion)).status, 200);
});

after(async () => {
  consoleOutput.stop();
  await h?.close();
});

describe('Universal Prompt secrets sweep', () => {
  let logs: Haystack[];
  let stored: Haystack[];

  before(async () => {
    logs = [
      ...h.app.logs.map((entry, i) => ({ where: `log line ${i} (${entry.source})`, text: entry.message })),
      ...consoleOutput.lines.map((text, i) => ({ where: `console line ${i}`, text })),
    ];
    const dump = await dumpDatabase(h.strapi);
    stored = [
      ...dump.flatMap(({ table, rows }) => rows.map((row, i) => ({ where: `${table} row ${i}`, text: rowText(row) }))),
      ...databaseFiles(String(process.env.DATABASE_FILENAME)),
    ];
  });

  const needles = (): Needle[] => [
    { what: 'the Client Secret', find: h.sandbox.clientSecret },
    ...[...states].map((find, i) => ({ what: `state ${i}`, find })),
    ...[...duoCodes].map((find, i) => ({ what: `duo_code ${i}`, find })),
    ...[...completions].map((find, i) => ({ what: `completion code ${i}`, find })),
    ...[...requestObjects].map((find, i) => ({ what: `signed request object ${i}`, find })),
  ];

  it('the sign-ins produced what the sweep looks for', () => {
    assert.ok(states.size >= 4, `states: ${states.size}`);
    assert.ok(duoCodes.size >= 3, `duo_codes: ${duoCodes.size}`);
    assert.equal(completions.size, 2);
    assert.ok(requestObjects.size >= 4);
    assert.ok(
      stored.some((s) => s.where.startsWith('the file')),
      'the database file was read',
    );
  });

  it('no log line holds one of them', () => {
    assert.deepEqual(findHits(logs, needles()), []);
  });

  it('no database row or database file holds one of them', () => {
    assert.deepEqual(findHits(stored, needles()), []);
  });
});
