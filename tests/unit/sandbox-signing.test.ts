import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { canonicalParams, formatRfc2822, sign } from '../../server/src/duo/signing';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';

/*
 * How the sandbox checks requests: each test signs with the project's own signer and breaks one thing.
 */

type Variant = 'v2-sha1' | 'v2-sha512' | 'v5';

interface CallOptions {
  readonly variant?: Variant;
  readonly ikey?: string;
  readonly skey?: string;
  readonly date?: string;
  readonly dateHeader?: 'date' | 'x-duo-date';
  readonly host?: string;
  /** Replaces the body after signing. */
  readonly tamperBody?: string;
  readonly query?: string;
}

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

let sandbox: DuoSandbox;

function signedRequest(
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string>,
  options: CallOptions,
): { url: string; init: RequestInit } {
  const variant = options.variant ?? 'v5';
  const date = options.date ?? formatRfc2822(Date.now());
  const dateHeader = options.dateHeader ?? 'date';
  const headers: Record<string, string> = { [dateHeader]: date };
  let url = `${sandbox.url}${path}`;
  let body: string | undefined;
  let signedParams: Record<string, string> = params;
  if (method === 'GET') {
    const query = options.query ?? canonicalParams(params);
    if (query) url += `?${query}`;
  } else if (variant === 'v5') {
    body = JSON.stringify(params);
    signedParams = {};
    headers['content-type'] = 'application/json';
  } else {
    body = canonicalParams(params);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const xDuoHeaders: Record<string, string> = dateHeader === 'x-duo-date' ? { 'x-duo-date': date } : {};
  const input = {
    date,
    method,
    host: options.host ?? '127.0.0.1',
    path,
    params: signedParams,
    body: body ?? '',
    xDuoHeaders,
    integrationKey: options.ikey ?? sandbox.ikey,
    secretKey: options.skey ?? sandbox.skey,
  };
  const signature = variant === 'v5' ? sign(5, input) : sign(2, input, variant === 'v2-sha1' ? 'sha1' : 'sha512');
  headers['authorization'] = signature.authorization;
  return { url, init: { method, headers, body: options.tamperBody ?? body } };
}

async function duo(
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string> = {},
  options: CallOptions = {},
): Promise<Reply> {
  const { url, init } = signedRequest(method, path, params, options);
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

before(async () => {
  sandbox = await startDuoSandbox({
    integrations: [
      { ikey: 'DIAUTHAUTHAUTHAUTH01', skey: 'a'.repeat(40), type: 'auth' },
      { ikey: 'DIADMINADMINADMIN001', skey: 'b'.repeat(40), type: 'admin' },
      { ikey: 'DIWEBSDKWEBSDKWEB001', skey: 'c'.repeat(40), type: 'websdk' },
    ],
    users: [{ username: 'alice' }],
  });
});

after(() => sandbox.close());

beforeEach(() => {
  sandbox.setSkew(0);
  sandbox.clearFaults();
});

describe('sandbox: signature verification', () => {
  it('exposes the first auth integration keys', () => {
    assert.equal(sandbox.ikey, 'DIAUTHAUTHAUTHAUTH01');
    assert.equal(sandbox.skey, 'a'.repeat(40));
    assert.equal(sandbox.apiHostname, '127.0.0.1');
  });

  for (const variant of ['v2-sha1', 'v2-sha512', 'v5'] as const) {
    it(`accepts a ${variant} signed POST`, async () => {
      const reply = await duo('POST', '/auth/v2/preauth', { username: 'alice' }, { variant });
      assert.equal(reply.status, 200, reply.text);
      assert.equal((reply.json as { response: { result: string } }).response.result, 'auth');
    });

    it(`accepts a ${variant} signed GET with query parameters`, async () => {
      const reply = await duo('GET', '/auth/v2/check', { note: 'a b/c', zeta: '1' }, { variant });
      assert.equal(reply.status, 200, reply.text);
    });
  }

  it('form-decodes a query sent with + for spaces before re-canonicalising it', async () => {
    // Signed over the canonical form (%20); sent as Python's urlencode does (+).
    const reply = await duo('GET', '/auth/v2/check', { note: 'a b' }, { query: 'note=a+b' });
    assert.equal(reply.status, 200, reply.text);
  });

  it('accepts v5 with only an X-Duo-Date header, which is then part of the header hash', async () => {
    const reply = await duo('POST', '/auth/v2/preauth', { username: 'alice' }, { dateHeader: 'x-duo-date' });
    assert.equal(reply.status, 200, reply.text);
  });

  it('refuses a wrong secret with 40103', async () => {
    const reply = await duo('POST', '/auth/v2/preauth', { username: 'alice' }, { skey: 'z'.repeat(40) });
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.json, {
      stat: 'FAIL',
      code: 40103,
      message: 'Invalid signature in request credentials',
    });
  });

  it('refuses a body changed after signing (v5 hashes the raw bytes)', async () => {
    const reply = await duo(
      'POST',
      '/auth/v2/preauth',
      { username: 'alice' },
      { tamperBody: '{"username":"mallory"}' },
    );
    assert.equal(reply.status, 401);
    assert.equal((reply.json as { code: number }).code, 40103);
  });

  it('refuses an unknown integration key with 40102', async () => {
    const reply = await duo('GET', '/auth/v2/check', {}, { ikey: 'DIXXXXXXXXXXXXXXXXXX' });
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.json, {
      stat: 'FAIL',
      code: 40102,
      message: 'Invalid integration key in request credentials',
    });
  });

  it('refuses a request without credentials with 40101', async () => {
    const res = await fetch(`${sandbox.url}/auth/v2/check`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: number }).code, 40101);
  });

  it('refuses a 10-minute-old date with 40105', async () => {
    const reply = await duo('GET', '/auth/v2/check', {}, { date: formatRfc2822(Date.now() - 10 * 60_000) });
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.json, { stat: 'FAIL', code: 40105, message: 'Bad request timestamp' });
  });

  it('refuses a date that is not RFC 2822 with 40105', async () => {
    const reply = await duo('GET', '/auth/v2/check', {}, { date: new Date().toISOString() });
    assert.equal((reply.json as { code: number }).code, 40105);
  });

  it('accepts the Node client date format (toUTCString, GMT)', async () => {
    const reply = await duo('GET', '/auth/v2/check', {}, { date: new Date().toUTCString() });
    assert.equal(reply.status, 200, reply.text);
  });

  it('moves its clock with the skew: ping time shifts and a real-clock date is refused', async () => {
    sandbox.setSkew(3_600_000);
    const ping = (await (await fetch(`${sandbox.url}/auth/v2/ping`)).json()) as { response: { time: number } };
    assert.ok(Math.abs(ping.response.time - (Date.now() / 1000 + 3600)) < 5, `ping time ${ping.response.time}`);
    const stale = await duo('GET', '/auth/v2/check', {});
    assert.equal((stale.json as { code: number }).code, 40105);
    const corrected = await duo('GET', '/auth/v2/check', {}, { date: formatRfc2822(Date.now() + 3_600_000) });
    assert.equal(corrected.status, 200, corrected.text);
    const check = corrected.json as { response: { time: number } };
    assert.ok(Math.abs(check.response.time - ping.response.time) < 5);
  });

  it('answers 40301 to keys of an Admin API or Web SDK application, but not on ping', async () => {
    for (const [ikey, skey] of [
      ['DIADMINADMINADMIN001', 'b'.repeat(40)],
      ['DIWEBSDKWEBSDKWEB001', 'c'.repeat(40)],
    ] as const) {
      const reply = await duo('GET', '/auth/v2/check', {}, { ikey, skey });
      assert.equal(reply.status, 403);
      assert.deepEqual(reply.json, {
        stat: 'FAIL',
        code: 40301,
        message: 'Access forbidden',
        message_detail: 'Wrong integration type for this API.',
      });
    }
    const res = await fetch(`${sandbox.url}/auth/v2/ping`);
    assert.equal(res.status, 200);
  });

  it('serves ping unsigned, signed, and with bogus credentials alike', async () => {
    const signed = await duo('GET', '/auth/v2/ping', {});
    assert.equal(signed.status, 200);
    const bogus = await fetch(`${sandbox.url}/auth/v2/ping`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    assert.equal(bogus.status, 200);
    assert.equal(bogus.headers.get('content-type'), 'application/json');
  });

  it('answers unknown paths with 40401 and wrong methods with a 405', async () => {
    const missing = await fetch(`${sandbox.url}/auth/v2/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { stat: 'FAIL', code: 40401, message: 'Resource not found' });
    const wrongMethod = await fetch(`${sandbox.url}/auth/v2/preauth`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });

  it('refuses a body over 64 KiB with 40002', async () => {
    const reply = await duo('POST', '/auth/v2/preauth', { username: 'alice', pad: 'x'.repeat(70_000) });
    assert.equal(reply.status, 400);
    assert.equal((reply.json as { code: number }).code, 40002);
  });

  it('serves the logo as a PNG', async () => {
    const { url, init } = signedRequest('GET', '/auth/v2/logo', {}, {});
    const res = await fetch(url, init);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('puts everything in Duo envelopes with application/json', async () => {
    const reply = await duo('GET', '/auth/v2/check', {});
    const body = reply.json as { stat: string; response: { time: number } };
    assert.equal(body.stat, 'OK');
    assert.equal(typeof body.response.time, 'number');
    assert.deepEqual(Object.keys(body).sort(), ['response', 'stat']);
  });
});

describe('sandbox: configured API hostname', () => {
  it('signs against the configured host, not the Host header', async () => {
    const other = await startDuoSandbox({ apiHostname: 'API-Test.DuoSecurity.com' });
    const saved = sandbox;
    try {
      sandbox = other;
      assert.equal(other.apiHostname, 'api-test.duosecurity.com');
      const wrongHost = await duo('GET', '/auth/v2/check', {});
      assert.equal((wrongHost.json as { code: number }).code, 40103);
      const rightHost = await duo('GET', '/auth/v2/check', {}, { host: 'api-test.duosecurity.com' });
      assert.equal(rightHost.status, 200, rightHost.text);
    } finally {
      sandbox = saved;
      await other.close();
    }
  });
});
