import assert from 'node:assert/strict';

import type { Strapi } from '@strapi/strapi';

import { JWT_PATTERN } from './client-answers';
import type { ClientsHarness } from './clients-harness';

/** The plugin's rows as the tests read them: the audit trail, what a table holds, a step made to expire. */

export interface AuditEntry {
  readonly id: number;
  readonly event: string;
  readonly audience: string;
  readonly userId: number | null;
  readonly outcome: string | null;
  readonly ip: string | null;
  readonly detail: Record<string, unknown> | null;
  readonly createdAt: string;
}

export async function auditEntries(strapi: Strapi, where: Record<string, unknown> = {}): Promise<AuditEntry[]> {
  return (await strapi.db!.query('plugin::duo-security.audit-entry').findMany({
    where,
    orderBy: [{ id: 'asc' }],
  })) as AuditEntry[];
}

export async function allRows(strapi: Strapi, uid: string): Promise<unknown[]> {
  return (await strapi.db!.query(uid).findMany({})) as unknown[];
}

/**
 * A passcode as a value of its own: not the same digits by chance inside a random hex hash, UUID or base64 token
 * (six digits turn up in a few thousand random hex characters now and then).
 */
function standalone(code: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_-])${code}(?![A-Za-z0-9_-])`);
}

/**
 * Step ids and tokens the API handed out, passcodes sent to it: none may appear in an audit row, a stored
 * row or a log line; no passcode may appear in any response. Returns how many of each were checked.
 */
export async function assertNoSecretsKept(
  harness: ClientsHarness,
): Promise<{ stepIds: number; passcodes: number; jwts: number }> {
  const responses = harness.responses.join('\n');
  const stepIds = new Set([...responses.matchAll(/"step":\{"id":"([A-Za-z0-9_-]{43})"/g)].map((m) => m[1]));
  const jwts = new Set([...responses.matchAll(new RegExp(JWT_PATTERN.source, 'g'))].map((m) => m[0]));
  const stored = JSON.stringify({
    audit: await allRows(harness.strapi, 'plugin::duo-security.audit-entry'),
    stepIds: await allRows(harness.strapi, 'plugin::duo-security.transaction'),
    enrollments: await allRows(harness.strapi, 'plugin::duo-security.enrollment'),
  });
  const logs = harness.app.logs.map((entry) => entry.message).join('\n');
  assert.ok(logs.includes('/api/duo-security/'), 'request lines are captured, so the log check means something');
  for (const [where, text] of [
    ['the database', stored],
    ['the logs', logs],
  ] as const) {
    for (const id of stepIds) assert.ok(id !== undefined && !text.includes(id), `a step id in ${where}`);
    for (const code of harness.passcodes) {
      const found = standalone(code).exec(text);
      assert.equal(
        found,
        null,
        `the passcode ${code} in ${where}: …${found?.input.slice(Math.max(0, found.index - 80), found.index + 80)}…`,
      );
    }
    for (const jwt of jwts) assert.ok(!text.includes(jwt), `a token in ${where}`);
    assert.doesNotMatch(text, JWT_PATTERN, `something like a JWT in ${where}`);
  }
  for (const code of harness.passcodes)
    assert.doesNotMatch(responses, standalone(code), `the passcode ${code} in a response`);
  return { stepIds: stepIds.size, passcodes: harness.passcodes.size, jwts: jwts.size };
}

/** Pushes a step's expiry into the past, as if its time had run out (no sleeping). */
export async function expireStep(strapi: Strapi, idHash: string): Promise<void> {
  const { count } = await strapi.db!.query('plugin::duo-security.transaction').updateMany({
    where: { idHash },
    data: { expiresAt: new Date(Date.now() - 1000).toISOString() },
  });
  assert.equal(count, 1, 'expected one step to expire');
}
