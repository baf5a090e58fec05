import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { formatRfc2822, sign } from '../../server/src/duo/signing';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { DuoApiError } from '../../server/src/sandbox/errors';
import { verifyRequest, type SignedRequest } from '../../server/src/sandbox/verify-request';

/* What the sandbox refuses because Duo refuses it: requests signed by the client's signer, then bent one way. */

const IKEY = 'DIRULESRULESRULESRUL';
const SKEY = 'r'.repeat(40);
const HOST = 'api-rules.duosecurity.com';
/** A whole second, so a date header can name "now" exactly. */
const NOW_SEC = 1_800_000_000;
const context = (nowMs: number, dateToleranceSec = 300) => ({
  integrations: new Map([[IKEY, { ikey: IKEY, skey: SKEY, type: 'auth' as const }]]),
  nowMs,
  dateToleranceSec,
});

interface Build {
  readonly version?: 2 | 5;
  readonly method?: 'GET' | 'POST';
  readonly dateSec?: number;
  readonly dateHeaders?: readonly ('date' | 'x-duo-date')[];
  /** Parameters the signature covers. */
  readonly signed?: Record<string, string>;
  /** What goes on the wire, with its content type. */
  readonly body?: { readonly text: string; readonly type: string };
}

function request(build: Build = {}): SignedRequest {
  const method = build.method ?? 'GET';
  const date = formatRfc2822((build.dateSec ?? NOW_SEC) * 1000);
  const dateHeaders = build.dateHeaders ?? ['date'];
  const headers: Record<string, string[]> = {};
  for (const name of dateHeaders) headers[name] = [date];
  const xDuoHeaders: Record<string, string> = dateHeaders.includes('x-duo-date') ? { 'x-duo-date': date } : {};
  const body = build.body?.text ?? '';
  const input = { date, method, host: HOST, path: '/auth/v2/check', params: build.signed ?? {}, body, xDuoHeaders };
  const signature =
    build.version === 5
      ? sign(5, { ...input, integrationKey: IKEY, secretKey: SKEY })
      : sign(2, { ...input, integrationKey: IKEY, secretKey: SKEY });
  headers.authorization = [signature.authorization];
  if (build.body) headers['content-type'] = [build.body.type];
  return { method, path: '/auth/v2/check', host: HOST, headers, query: '', rawBody: Buffer.from(body, 'utf8') };
}

function outcome(req: SignedRequest, nowMs = NOW_SEC * 1000): number | 'ok' {
  try {
    verifyRequest(req, context(nowMs));
    return 'ok';
  } catch (error) {
    if (error instanceof DuoApiError) return error.code;
    throw error;
  }
}

describe('sandbox verifier: date tolerance, to the second', () => {
  // The sandbox's own clock at a whole second and at its last millisecond: the header only has whole seconds.
  for (const nowMs of [NOW_SEC * 1000, NOW_SEC * 1000 + 999]) {
    it(`accepts exactly ±300 s and refuses ±301 s with 40105 (clock at +${nowMs % 1000} ms)`, () => {
      assert.equal(outcome(request({ dateSec: NOW_SEC - 300 }), nowMs), 'ok');
      assert.equal(outcome(request({ dateSec: NOW_SEC + 300 }), nowMs), 'ok');
      assert.equal(outcome(request({ dateSec: NOW_SEC - 301 }), nowMs), 40105);
      assert.equal(outcome(request({ dateSec: NOW_SEC + 301 }), nowMs), 40105);
    });
  }

  it('uses the configured tolerance, not a fixed one', () => {
    const req = request({ dateSec: NOW_SEC - 31 });
    assert.throws(() => verifyRequest(req, context(NOW_SEC * 1000, 30)), { code: 40105 });
    assert.equal(verifyRequest(request({ dateSec: NOW_SEC - 30 }), context(NOW_SEC * 1000, 30)).ikey, IKEY);
  });

  it('refuses a missing, unparseable or doubled date with 40105', () => {
    const req = request();
    assert.equal(outcome({ ...req, headers: { authorization: req.headers.authorization } }), 40105);
    assert.equal(outcome({ ...req, headers: { ...req.headers, date: ['2027-01-15T08:00:00Z'] } }), 40105);
    assert.equal(outcome({ ...req, headers: { ...req.headers, date: [...(req.headers.date ?? []), 'x'] } }), 40105);
  });
});

describe('sandbox verifier: which signature goes with which request', () => {
  const json = { text: '{"username":"alice"}', type: 'application/json' };
  const form = { text: 'username=alice', type: 'application/x-www-form-urlencoded' };

  it('refuses a v2 signature over a JSON body (v2 does not cover the body) with 40103', () => {
    assert.equal(outcome(request({ method: 'POST', body: json })), 40103);
    // Not even when the signature names the body's parameters: v2 parameters travel in a form body or the query.
    assert.equal(outcome(request({ method: 'POST', body: json, signed: { username: 'alice' } })), 40103);
  });

  it('refuses a v5 signature over a form body with 40103', () => {
    assert.equal(outcome(request({ version: 5, method: 'POST', body: form })), 40103);
  });

  it('accepts v2 over a form body and v5 over a JSON body', () => {
    assert.equal(outcome(request({ method: 'POST', body: form, signed: { username: 'alice' } })), 'ok');
    assert.equal(outcome(request({ version: 5, method: 'POST', body: json })), 'ok');
  });

  it('accepts v2 signed with X-Duo-Date (duo_unix sends that, §1.1), and prefers it over Date', () => {
    assert.equal(outcome(request({ dateHeaders: ['x-duo-date'] })), 'ok');
    const req = request({ dateHeaders: ['x-duo-date'] });
    const withOtherDate = { ...req, headers: { ...req.headers, date: [formatRfc2822((NOW_SEC - 7) * 1000)] } };
    assert.equal(outcome(withOtherDate), 'ok');
  });

  it('answers 40101 without credentials and 40102 for an unknown integration key', () => {
    const req = request();
    assert.equal(outcome({ ...req, headers: { date: req.headers.date } }), 40101);
    const stranger = `Basic ${Buffer.from(`DISTRANGERSTRANGER00:${'0'.repeat(128)}`).toString('base64')}`;
    assert.equal(outcome({ ...req, headers: { ...req.headers, authorization: [stranger] } }), 40102);
  });

  it("shares no code with the client's signer", () => {
    const dir = join(__dirname, '..', '..', 'server', 'src', 'sandbox');
    for (const file of ['verify-request.ts', 'duo-canonical.ts', 'rfc2822.ts']) {
      assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /from '\.\.\/duo/, file);
    }
  });
});

describe('sandbox over HTTP: a v2 signature over a JSON body', () => {
  let sandbox: DuoSandbox;
  before(async () => {
    sandbox = await startDuoSandbox({ users: [{ username: 'alice' }] });
  });
  after(() => sandbox.close());

  it('is refused with 40103, so a body swapped on the way cannot pass', async () => {
    const date = formatRfc2822(Date.now());
    const input = { date, method: 'POST', host: '127.0.0.1', path: '/auth/v2/preauth', params: {} };
    const { authorization } = sign(2, { ...input, integrationKey: sandbox.ikey, secretKey: sandbox.skey });
    const res = await fetch(`${sandbox.url}/auth/v2/preauth`, {
      method: 'POST',
      headers: { date, authorization, 'content-type': 'application/json' },
      body: '{"username":"alice"}',
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      stat: 'FAIL',
      code: 40103,
      message: 'Invalid signature in request credentials',
    });
  });
});
