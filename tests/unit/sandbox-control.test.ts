import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { formatRfc2822, sign } from '../../server/src/duo/signing';
import { SandboxControlError, startDuoSandbox, type DuoSandbox, type Fault } from '../../server/src/sandbox';

/*
 * Faults, counters, the HTTP control API and the virtual phone page. Faults sit in front of the signature check
 * (they play proxies and overloaded Duo), so the unsigned ping is enough to see them.
 */

let sandbox: DuoSandbox;

before(async () => {
  sandbox = await startDuoSandbox();
});

after(() => sandbox.close());

beforeEach(() => {
  sandbox.clearFaults();
});

const ping = (route = '/auth/v2/ping', init?: RequestInit) => fetch(`${sandbox.url}${route}`, init);

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.url}/sandbox/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

describe('sandbox: faults', () => {
  it('latency delays the answer, then the request goes on', async () => {
    sandbox.setFault({ kind: 'latency', ms: 150, times: 1 });
    const started = Date.now();
    const res = await ping();
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  for (const status of [500, 502, 503] as const) {
    it(`status ${status} with a JSON, HTML or empty body`, async () => {
      sandbox.setFault({ kind: 'status', status, times: 1 });
      const json = await ping();
      assert.equal(json.status, status);
      assert.equal(((await json.json()) as { code: number }).code, status * 100);

      sandbox.setFault({ kind: 'status', status, body: 'html', times: 1 });
      const html = await ping();
      assert.equal(html.status, status);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await html.text(), /<html>/);

      sandbox.setFault({ kind: 'status', status, body: 'empty', times: 1 });
      const empty = await ping();
      assert.equal(empty.status, status);
      assert.equal(await empty.text(), '');
    });
  }

  it('rate-limit: 429 42901 with Retry-After, X-Retry-After, or no header', async () => {
    const body = { stat: 'FAIL', code: 42901, message: 'Too Many Requests' };
    sandbox.setFault({ kind: 'rate-limit', retryAfter: 3, times: 1 });
    const first = await ping();
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '3');
    assert.deepEqual(await first.json(), body);

    sandbox.setFault({ kind: 'rate-limit', retryAfter: 2, header: 'X-Retry-After', times: 1 });
    const second = await ping();
    assert.equal(second.headers.get('x-retry-after'), '2');
    assert.equal(second.headers.get('retry-after'), null);

    sandbox.setFault({ kind: 'rate-limit', times: 1 });
    const third = await ping();
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), null);
    assert.equal((await ping()).status, 200, 'times: 1 means once');
  });

  it('garbage, html and empty bodies come with HTTP 200', async () => {
    sandbox.setFault({ kind: 'garbage', times: 1 });
    const garbage = await ping();
    assert.equal(garbage.status, 200);
    const text = await garbage.text();
    assert.throws(() => JSON.parse(text));

    sandbox.setFault({ kind: 'html', times: 1 });
    const html = await ping();
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);

    sandbox.setFault({ kind: 'empty', times: 1 });
    const empty = await ping();
    assert.equal(empty.status, 200);
    assert.equal(await empty.text(), '');
  });

  it('wrong-app-type answers 403 40301', async () => {
    sandbox.setFault({ kind: 'wrong-app-type', times: 1 });
    const res = await ping();
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      stat: 'FAIL',
      code: 40301,
      message: 'Access forbidden',
      message_detail: 'Wrong integration type for this API.',
    });
  });

  it('hang never answers; close drops the connection', async () => {
    sandbox.setFault({ kind: 'hang', times: 1 });
    await assert.rejects(ping('/auth/v2/ping', { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    sandbox.setFault({ kind: 'close', times: 1 });
    await assert.rejects(ping(), TypeError);
    assert.equal((await ping()).status, 200);
  });

  it('trickle answers 200 at once, then drips whitespace and never ends the body', async () => {
    sandbox.setFault({ kind: 'trickle', intervalMs: 20, times: 1 });
    const controller = new AbortController();
    const res = await ping('/auth/v2/ping', { signal: controller.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.ok(res.body !== null);
    const reader = res.body.getReader();
    let received = '';
    while (received.length < 3) {
      const { value, done } = await reader.read();
      assert.equal(done, false, 'the body never ends');
      received += Buffer.from(value ?? new Uint8Array()).toString('utf8');
    }
    assert.match(received, /^ +$/);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    assert.throws(() => sandbox.setFault({ kind: 'trickle', intervalMs: 0 }), /intervalMs/);
    assert.equal((await ping()).status, 200);
  });

  it('faults apply in order, one answering fault per request; latency adds to the next', async () => {
    sandbox.setFault({ kind: 'latency', ms: 100, times: 1 });
    sandbox.setFault({ kind: 'status', status: 503, times: 1 });
    sandbox.setFault({ kind: 'status', status: 502, times: 1 });
    const started = Date.now();
    assert.equal((await ping()).status, 503);
    assert.ok(Date.now() - started >= 90);
    assert.equal((await ping()).status, 502);
    assert.equal((await ping()).status, 200);
  });

  it('a path-scoped fault only hits that path; unscoped faults spare the control API', async () => {
    sandbox.setFault({ kind: 'status', status: 503, path: '/auth/v2/preauth' });
    assert.equal((await ping()).status, 200);
    assert.equal((await ping('/auth/v2/preauth', { method: 'POST' })).status, 503);
    sandbox.setFault({ kind: 'status', status: 500 });
    assert.equal((await control('GET', 'stats')).status, 200);
    sandbox.clearFaults();
    assert.equal((await ping()).status, 200);
  });

  it('faults set over HTTP behave the same; bad faults are refused', async () => {
    const set = await control('POST', 'faults', { kind: 'status', status: 502, times: 2 });
    assert.equal(set.status, 201);
    assert.deepEqual(set.json, { faults: [{ kind: 'status', status: 502, times: 2 }] });
    assert.equal((await ping()).status, 502);
    assert.deepEqual(sandbox.faults(), [{ kind: 'status', status: 502, times: 1 }]);
    assert.equal((await control('DELETE', 'faults')).status, 200);
    assert.equal((await ping()).status, 200);

    assert.equal((await control('POST', 'faults', { kind: 'explode' })).status, 400);
    assert.throws(() => sandbox.setFault({ kind: 'status', status: 404 } as unknown as Fault), SandboxControlError);
  });
});

describe('sandbox: counters', () => {
  it('N requests over one keep-alive agent are one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${sandbox.url}${path}`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      sandbox.resetStats();
      for (let i = 0; i < 5; i += 1) assert.equal(await get('/auth/v2/ping'), 200);
      await get('/auth/v2/check');
      await get('/sandbox/state');
      const stats = sandbox.stats();
      assert.equal(stats.connections, 1);
      assert.equal(stats.requests, 6, 'control requests are not Auth API requests');
      assert.deepEqual(stats.byPath, { '/auth/v2/ping': 5, '/auth/v2/check': 1 });
      assert.equal(stats.controlRequests, 1);
    } finally {
      agent.destroy();
    }
    const fresh = new Agent({ keepAlive: false });
    try {
      sandbox.resetStats();
      for (let i = 0; i < 3; i += 1) {
        await new Promise<void>((resolve, reject) => {
          request(`${sandbox.url}/auth/v2/ping`, { agent: fresh }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
            .on('error', reject)
            .end();
        });
      }
      assert.equal(sandbox.stats().connections, 3, 'without keep-alive every request is a connection');
    } finally {
      fresh.destroy();
    }
  });

  it('reads and resets over HTTP', async () => {
    await ping();
    const read = (await control('GET', 'stats')).json as { requests: number };
    assert.ok(read.requests >= 1);
    const reset = (await control('POST', 'stats/reset')).json as { requests: number; byPath: object };
    assert.equal(reset.requests, 0);
    assert.deepEqual(reset.byPath, {});
  });
});

describe('sandbox: HTTP control API', () => {
  it('creates, reads, updates and removes users', async () => {
    const created = await control('POST', 'users', {
      username: 'carol',
      devices: [{ type: 'phone', number: '+15550009999' }, { type: 'token' }],
      bypassCodes: ['111222333'],
    });
    assert.equal(created.status, 201);
    const user = created.json as { user_id: string; devices: Array<{ device: string; display_name: string }> };
    assert.match(user.user_id, /^DU[A-Z0-9]{18}$/);
    assert.equal(user.devices[0]?.display_name, 'iOS (XXX-XXX-9999)');
    assert.equal((await control('POST', 'users', { username: 'carol' })).status, 409);
    assert.equal((await control('POST', 'users', { username: 'dave', colour: 'blue' })).status, 400);

    const patched = await control('PATCH', 'users/carol', { status: 'locked_out' });
    assert.equal((patched.json as { status: string }).status, 'locked_out');
    assert.equal(sandbox.user('carol')?.status, 'locked_out');

    const passcode = await control('GET', `users/carol/passcode?device=${user.devices[1]?.device ?? ''}`);
    assert.match((passcode.json as { passcode: string }).passcode, /^\d{6}$/);
    assert.equal((await control('GET', 'users/carol/sms')).status, 404);
    assert.equal((await control('GET', 'users/nobody/passcode')).status, 404);

    assert.equal((await control('DELETE', 'users/carol')).status, 200);
    assert.equal(sandbox.user('carol'), undefined);
  });

  it('sets the skew', async () => {
    const set = await control('POST', 'skew', { ms: -120_000 });
    assert.deepEqual(set.json, { ms: -120_000 });
    const time = ((await (await ping()).json()) as { response: { time: number } }).response.time;
    assert.ok(Math.abs(time - (Date.now() / 1000 - 120)) < 5);
    await control('POST', 'skew', { ms: 0 });
    assert.equal(sandbox.skew(), 0);
  });

  it('completes activations by code over HTTP', async () => {
    const date = formatRfc2822(Date.now());
    const body = JSON.stringify({ username: 'frank' });
    const { authorization } = sign(5, {
      date,
      method: 'POST',
      host: '127.0.0.1',
      path: '/auth/v2/enroll',
      params: {},
      body,
      integrationKey: sandbox.ikey,
      secretKey: sandbox.skey,
    });
    const enrolled = await fetch(`${sandbox.url}/auth/v2/enroll`, {
      method: 'POST',
      headers: { date, authorization, 'content-type': 'application/json' },
      body,
    });
    const { response } = (await enrolled.json()) as { response: { activation_code: string } };
    const pending = (await control('GET', 'activations')).json as { activations: Array<{ code: string }> };
    assert.ok(pending.activations.some((a) => a.code === response.activation_code));

    const done = await control('POST', `activations/${encodeURIComponent(response.activation_code)}/complete`);
    assert.equal(done.status, 200);
    assert.equal((done.json as { devices: unknown[] }).devices.length, 1);
    assert.equal((await control('POST', 'activations/nothing-here/complete')).status, 404);
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    assert.equal((await control('GET', 'nope')).status, 404);
    assert.equal((await control('PUT', 'state')).status, 405);
  });

  it('state is a JSON snapshot for the phone page', async () => {
    sandbox.addUser({ username: 'erin' });
    const { json } = await control('GET', 'state');
    const state = json as { time: number; users: Array<{ username: string }>; pendingPushes: unknown[] };
    assert.ok(Math.abs(state.time - Date.now() / 1000) < 5);
    assert.ok(state.users.some((u) => u.username === 'erin'));
    assert.ok(Array.isArray(state.pendingPushes));
  });
});

describe('sandbox: virtual phone page', () => {
  it('is served at /phone and /, self-contained, with stable test ids', async () => {
    for (const path of ['/phone', '/']) {
      const res = await fetch(`${sandbox.url}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      const html = await res.text();
      assert.match(html, /\/sandbox\/state/);
      for (const id of [
        'approve-push',
        'deny-push',
        'report-fraud',
        'verification-code',
        'passcode',
        'sms',
        'complete-activation',
        'answer-call',
      ]) {
        assert.ok(html.includes(`'${id}'`), `test id ${id}`);
      }
      assert.doesNotMatch(html, /(src|href)=["']https?:/, 'no external assets');
    }
  });
});

describe('sandbox: start-up', () => {
  it('refuses NODE_ENV=production unless forced', async () => {
    const saved = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      // A sandbox that starts by mistake is closed again, so the failure cannot hang the run.
      const attempt = startDuoSandbox().then(async (started) => {
        await started.close();
        return started;
      });
      await assert.rejects(attempt, /NODE_ENV=production/);
      const forced = await startDuoSandbox({ force: true });
      await forced.close();
    } finally {
      if (saved === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = saved;
    }
  });

  it('generates Duo-shaped keys and takes the ikey/skey shorthand', async () => {
    const generated = await startDuoSandbox();
    const given = await startDuoSandbox({ ikey: 'DIGIVENGIVENGIVEN001', skey: 's'.repeat(40) });
    try {
      assert.match(generated.ikey, /^DI[A-Z0-9]{18}$/);
      assert.match(generated.skey, /^[A-Za-z0-9]{40}$/);
      assert.match(generated.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(given.ikey, 'DIGIVENGIVENGIVEN001');
      assert.equal(given.skey, 's'.repeat(40));
    } finally {
      await Promise.all([generated.close(), given.close()]);
    }
  });

  it('serves HTTPS when given a key and certificate (needs the openssl command; CI installs it)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'duo-sandbox-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(path.join(dir, 'cert.pem'));
      const box = await startDuoSandbox({ tls: { key: readFileSync(path.join(dir, 'key.pem')), cert } });
      try {
        assert.match(box.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          httpsGet(`${box.url}/auth/v2/ping`, { ca: cert }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          }).on('error', reject);
        });
        assert.equal((JSON.parse(body) as { stat: string }).stat, 'OK');
        assert.equal(box.stats().connections, 1);
      } finally {
        await box.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() is idempotent and frees the port', async () => {
    const box = await startDuoSandbox();
    await Promise.all([box.close(), box.close()]);
    await assert.rejects(fetch(`${box.url}/auth/v2/ping`));
  });
});
