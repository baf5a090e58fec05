import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { assertNoLeak, HostileClient } from '../helpers/hostile';
import { type HostileRequest } from '../helpers/hostile-encoding';
import { REPO_ROOT } from '../helpers/strapi';

/**
 * The hostile-input suite's findings in Strapi's own code (endpoints.test.ts leaves these inputs out of its
 * properties): each shown next to a route the plugin does not touch, with Strapi still serving after it, and the
 * two the plugin's gates turn into a 400 shown as such.
 */

let h: ClientsHarness;
let notes: HostileClient;
let secrets: string[];

before(async () => {
  const required = { enabled: true, enforcement: 'required', failMode: 'closed' } as const;
  h = await startClientsHarness({ clients: required, staff: required });
  // Strapi logs every body-parser refusal with its stack; captured all the same (HOSTILE_VERBOSE=1 prints them).
  if (process.env.HOSTILE_VERBOSE !== '1') for (const transport of h.strapi.log.transports) transport.silent = true;
  notes = new HostileClient(h.app.baseUrl);
  secrets = [h.sandbox.skey];
});

after(async () => {
  await h?.close();
});

/** Runs a TypeScript file in a child Node (tsx), with the test's environment; its output and exit code. */
function child(file: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
    run.stdout.on('data', collect);
    run.stderr.on('data', collect);
    const timer = setTimeout(() => run.kill('SIGKILL'), 120_000);
    run.on('error', reject);
    run.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? null : 128), output });
    });
  });
}

/**
 * 5xx answers found by this suite in Strapi's own code, before or around the plugin, on every route alike. They are
 * not hidden: each is shown here next to a route the plugin does not touch, and the suite's properties leave out
 * only these inputs. Strapi keeps serving after each.
 */
describe('Strapi core (not the plugin): a 5xx, or an aborted process, for some malformed requests', () => {
  const CORE_ROUTE = '/api/auth/forgot-password';
  const PLUGIN_ROUTE = '/api/duo-security/step/cancel';

  const same = async (what: string, request: Omit<HostileRequest, 'path' | 'method'>): Promise<number> => {
    const core = await notes.send(`POST ${CORE_ROUTE}`, { method: 'POST', path: CORE_ROUTE, ...request });
    const plugin = await notes.send(`POST ${PLUGIN_ROUTE}`, { method: 'POST', path: PLUGIN_ROUTE, ...request });
    assert.equal(plugin.status, core.status, `${what}: the plugin's route answers as Strapi's own`);
    assertNoLeak(core, secrets, what);
    assertNoLeak(plugin, secrets, what);
    await notes.assertHealthy(what);
    console.log(`NOTE Strapi core: ${what} → HTTP ${core.status} on ${CORE_ROUTE} and on the plugin's routes`);
    return core.status;
  };

  it('koa-body: a body that is not what its Content-Encoding says', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      await same(`Content-Encoding: ${encoding}, body not ${encoding}`, {
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: '{}',
      });
    }
  });

  it('koa-body (formidable): multipart/form-data without a boundary', async () => {
    await same('multipart/form-data without a boundary', {
      headers: { 'content-type': 'multipart/form-data' },
      body: '{}',
    });
  });

  it("a password with a lone surrogate (which aborts Strapi's bcryptjs 2.4.3) is a 400 on every gated path", async () => {
    // Without the plugin's guard V8 aborts the whole process, so this runs in a child: a crash fails the test
    // instead of taking this process down. The properties above leave such passwords out of these paths.
    const paths = ['/api/auth/local', '/api/auth/local/register', '/admin/login', '/graphql'];
    const run = await child(join(__dirname, 'lone-surrogate-login.child.ts'), paths);
    const database = /^database (.+)$/m.exec(run.output)?.[1];
    if (database?.includes('duo-strapi-')) await rm(dirname(database), { recursive: true, force: true });
    for (const path of paths) {
      assert.match(run.output, new RegExp(`sending ${path}`), run.output.slice(-2000));
      const answer = new RegExp(`^answered ${path} (\\d+) (\\w+)$`, 'm').exec(run.output);
      assert.ok(answer, `${path}: no answer, the process died (exit ${run.code}): ${run.output.slice(-800)}`);
      assert.equal(answer[2], 'ValidationError', path);
      if (path !== '/graphql') assert.equal(answer[1], '400', path);
    }
    assert.equal(run.code, 0, run.output.slice(-2000));
  });

  it('deeply nested JSON on /api/auth/local is a 400, where Strapi alone answers 500', async () => {
    // users-permissions validates with yup, whose type error prints the value through a recursive JSON.stringify
    // replacer: thousands of levels overflow the stack. The plugin's gate refuses such bodies first.
    for (const body of [
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `{"identifier":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    ]) {
      const response = await notes.send('POST /api/auth/local', {
        method: 'POST',
        path: '/api/auth/local',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(response.status, 400, `deep JSON on /api/auth/local: ${response.status}`);
      assertNoLeak(response, secrets, 'deep JSON on /api/auth/local');
    }
    await notes.assertHealthy('deep JSON on /api/auth/local');
  });
});
