import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { expectDuoRequired, expectToken } from '../helpers/client-answers';
import {
  createClient,
  login,
  startClientsHarness,
  step,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';

/**
 * Issue 14, item 8: what a Duo push login costs the database. On SQLite every commit is a synchronous fsync, so
 * the plugin writes each step request's rows in one transaction: the password step (step row, audit entry) and the
 * status request that hands out the token (step consumed, last use, audit entry) commit once each, and the push
 * twice (its prompt taken before Duo is asked, then Duo's transaction id). The step goes from pending to consumed in
 * one conditional update. Counted from the SQL the query engine sends, not from timings.
 */

interface Statement {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

interface KnexEvents {
  on(event: 'query', listener: (query: { sql: string; bindings?: unknown[] }) => void): void;
  off(event: 'query', listener: (query: { sql: string; bindings?: unknown[] }) => void): void;
}

const PLUGIN_TABLE = /(insert into|update|delete from) [`"]?duo_security_/i;
const WRITE = /^\s*(insert|update|delete)\b/i;

/** The commits that wrote the plugin's tables: a transaction with such a write, or such a write on its own. */
function pluginCommits(statements: readonly Statement[]): { commits: number; writesOutsideTransactions: number } {
  let inTransaction = false;
  let wroteInTransaction = false;
  let commits = 0;
  let writesOutsideTransactions = 0;
  for (const { sql } of statements) {
    const trimmed = sql.trim().replace(/;$/, '').toUpperCase();
    if (trimmed === 'BEGIN' || trimmed.startsWith('BEGIN ') || trimmed === 'START TRANSACTION') {
      inTransaction = true;
      wroteInTransaction = false;
    } else if (trimmed === 'COMMIT' || trimmed === 'ROLLBACK') {
      if (trimmed === 'COMMIT' && wroteInTransaction) commits += 1;
      inTransaction = false;
    } else if (WRITE.test(sql) && PLUGIN_TABLE.test(sql)) {
      if (inTransaction) wroteInTransaction = true;
      else {
        commits += 1;
        writesOutsideTransactions += 1;
      }
    }
  }
  return { commits, writesOutsideTransactions };
}

/**
 * The statements on the plugin's tables: bench/measures/duo-login.ts prices the protocol's floor with this count
 * (7 + 3 + 6), so a statement more here shows in that bench row too.
 */
const pluginStatements = (statements: readonly Statement[]): number =>
  statements.filter((s) => /[`"]?duo_security_/i.test(s.sql)).length;

let h: ClientsHarness;
let client: Client;
const statements: Statement[] = [];
const record = (query: { sql: string; bindings?: unknown[] }) =>
  void statements.push({ sql: query.sql, bindings: query.bindings ?? [] });

function knexOf(harness: ClientsHarness): KnexEvents {
  const connection = (harness.strapi.db as unknown as { connection?: KnexEvents } | undefined)?.connection;
  if (connection === undefined) throw new Error('no database connection');
  return connection;
}

/** The statements one request sends. */
async function sqlOf<T>(request: () => Promise<T>): Promise<{ result: T; sql: Statement[] }> {
  statements.length = 0;
  const result = await request();
  return { result, sql: [...statements] };
}

before(async () => {
  h = await startClientsHarness({ clients: { enforcement: 'required' } });
  client = await createClient(h, { duo: { pushResponse: 'approve' } });
  knexOf(h).on('query', record);
  // A first login enrols the client (turning Duo on is written after the step's commit): the next ones are the
  // everyday case measured here.
  const first = expectDuoRequired(await login(h.app, client.email, client.password));
  await step(h.app, 'push', { step: first.stepId });
  expectToken(await step(h.app, 'status', { step: first.stepId, wait: true }));
});

after(async () => {
  if (h !== undefined) knexOf(h).off('query', record);
  await h?.close();
});

describe('the database commits of a Duo push login (Duo already on)', () => {
  it('password step: one commit, the step row and its audit entry together; the enrolment read twice', async () => {
    const { result, sql } = await sqlOf(() => login(h.app, client.email, client.password));
    expectDuoRequired(result);
    assert.deepEqual(pluginCommits(sql), { commits: 1, writesOutsideTransactions: 0 });
    const inserts = sql.filter((s) => /^\s*insert into [`"]?duo_security_/i.test(s.sql)).map((s) => s.sql);
    assert.equal(inserts.length, 2, 'the step row and the step.started entry');
    // Whether Duo is required (the gate), then the break-glass pass and the grace period from one read (the step).
    const enrolmentReads = sql.filter((s) => /^\s*select .* from [`"]?duo_security_enrollments\b/i.test(s.sql));
    assert.equal(enrolmentReads.length, 2, 'the enrolment read by the gate and once by the step');
    assert.equal(
      pluginStatements(sql),
      7,
      'enrolment ×2, backup codes left, the step and its entry (each written, read back)',
    );
  });

  it('push: two commits, the prompt taken before Duo is asked, then its transaction id', async () => {
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    const { result, sql } = await sqlOf(() => step(h.app, 'push', { step: stepId }));
    assert.equal(result.status, 200);
    assert.deepEqual(pluginCommits(sql), { commits: 2, writesOutsideTransactions: 2 });
    assert.equal(pluginStatements(sql), 3, 'the step read, the prompt taken, the transaction id recorded');
  });

  it('status with the token: one commit; pending → consumed, and the last use, each in one conditional update', async () => {
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    await step(h.app, 'push', { step: stepId });
    const { result, sql } = await sqlOf(() => step(h.app, 'status', { step: stepId, wait: true }));
    expectToken(result);
    assert.deepEqual(pluginCommits(sql), { commits: 1, writesOutsideTransactions: 0 });
    const stepUpdates = sql.filter((s) => /^\s*update [`"]?duo_security_transactions/i.test(s.sql));
    assert.equal(stepUpdates.length, 1, 'one update of the step row');
    const [only] = stepUpdates;
    assert.ok(only !== undefined && /where .*state/i.test(only.sql), 'conditional on the state it starts from');
    assert.ok(only.bindings.includes('consumed') && only.bindings.includes('pending'), 'from pending to consumed');
    assert.ok(!only.bindings.includes('allowed'), 'no allowed state in between');
    // The last use: one statement, conditional on Duo being on for the account, not a read and then a write.
    const enrolment = sql.filter((s) =>
      /\bfrom [`"]?duo_security_enrollments\b|^\s*update [`"]?duo_security_enrollments/i.test(s.sql),
    );
    assert.equal(enrolment.length, 1, `one statement on the enrolment: ${enrolment.map((s) => s.sql).join('; ')}`);
    assert.equal(
      pluginStatements(sql),
      6,
      'the step read (before and after Duo), consumed, last use, its entry (written, read back)',
    );
    const [touch] = enrolment;
    assert.ok(
      touch !== undefined && /^\s*update/i.test(touch.sql) && touch.bindings.includes('active'),
      'an update where Duo is on',
    );
  });
});
