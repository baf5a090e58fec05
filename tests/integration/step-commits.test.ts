import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  createClient,
  expectDuoRequired,
  expectToken,
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
  it('password step: one commit, the step row and its audit entry together', async () => {
    const { result, sql } = await sqlOf(() => login(h.app, client.email, client.password));
    expectDuoRequired(result);
    assert.deepEqual(pluginCommits(sql), { commits: 1, writesOutsideTransactions: 0 });
    const inserts = sql.filter((s) => /^\s*insert into [`"]?duo_security_/i.test(s.sql)).map((s) => s.sql);
    assert.equal(inserts.length, 2, 'the step row and the step.started entry');
  });

  it('push: two commits, the prompt taken before Duo is asked, then its transaction id', async () => {
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    const { result, sql } = await sqlOf(() => step(h.app, 'push', { step: stepId }));
    assert.equal(result.status, 200);
    assert.deepEqual(pluginCommits(sql), { commits: 2, writesOutsideTransactions: 2 });
  });

  it('status with the token: one commit; pending → consumed in one conditional update', async () => {
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
  });
});
