import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { SandboxControlError, startDuoSandbox, type DuoSandbox, type Fault } from '../../server/src/sandbox';
import { sandboxControl } from '../helpers/sandbox-calls';

/*
 * Faults the sandbox plays in front of its signature check (proxies, an overloaded Duo), so the unsigned ping is
 * enough to see them.
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
