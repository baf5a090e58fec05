import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { formatRfc2822, sign } from '../../server/src/duo/signing';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { sandboxControl } from '../helpers/sandbox-calls';

/*
 * The sandbox's counters, its HTTP control API and the virtual phone page.
 */

let sandbox: DuoSandbox;
const { ping, control } = sandboxControl(() => sandbox);

before(async () => {
  sandbox = await startDuoSandbox();
});

after(() => sandbox.close());

beforeEach(() => {
  sandbox.clearFaults();
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
