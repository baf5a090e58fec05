import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

/*
 * The command line: `node bin/duo-sandbox.js` runs the compiled sandbox from dist/, so the build comes first.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'duo-sandbox.js');
const BUILT_CLI = path.join(ROOT, 'dist', 'server', 'sandbox', 'cli.js');
const SOURCES = path.join(ROOT, 'server', 'src', 'sandbox');

function newestSource(): number {
  const files = [
    ...readdirSync(SOURCES).map((file) => path.join(SOURCES, file)),
    path.join(ROOT, 'server', 'src', 'duo', 'signing.ts'),
  ];
  return Math.max(...files.map((file) => statSync(file).mtimeMs));
}

before(() => {
  if (existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= newestSource()) return;
  // Type errors elsewhere in the tree do not stop tsc from emitting; what matters is the sandbox output.
  spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  assert.ok(existsSync(BUILT_CLI), 'the build produced dist/server/sandbox/cli.js');
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_ENV: 'test', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the CLI, waits for `ready` in stdout, hands the output to `use`, then sends SIGTERM. */
async function withRunning(
  args: readonly string[],
  ready: RegExp,
  use: (stdout: string) => Promise<void>,
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_ENV: 'test' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${stderr}`)), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (ready.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('close', () => reject(new Error(`exited early; stderr: ${stderr}`)));
    });
    await use(stdout);
  } finally {
    child.kill('SIGTERM');
  }
  return { code: await exited, stdout, stderr };
}

describe('sandbox: command line', () => {
  it('starts, prints what it uses, serves the API and the seeded users, and stops on SIGTERM', async () => {
    const result = await withRunning(
      ['--port', '0', '--ikey', 'DICLICLICLICLICLI001', '--skey', 'k'.repeat(40), '--user', 'alice', '--user', 'bob'],
      /Press Ctrl\+C/,
      async (stdout) => {
        assert.match(stdout, /Integration key:\s+DICLICLICLICLICLI001/);
        assert.match(stdout, new RegExp(`Secret key:\\s+${'k'.repeat(40)} \\(a sandbox test key`));
        assert.match(stdout, /Virtual phone:\s+http:\/\/127\.0\.0\.1:\d+\/phone/);
        const url = /API URL:\s+(\S+)/.exec(stdout)?.[1] ?? '';
        assert.equal((await fetch(`${url}/auth/v2/ping`)).status, 200);
        const users = (await (await fetch(`${url}/sandbox/users`)).json()) as { users: Array<{ username: string }> };
        assert.deepEqual(
          users.users.map((u) => u.username),
          ['alice', 'bob'],
        );
      },
    );
    assert.equal(result.code, 0, result.stderr);
  });

  it('prints one JSON line with --json', async () => {
    await withRunning(['--json'], /\n/, async (stdout) => {
      const info = JSON.parse(stdout.trim()) as {
        url: string;
        ikey: string;
        skey: string;
        clientId: string;
        clientSecret: string;
        phoneUrl: string;
      };
      assert.match(info.ikey, /^DI[A-Z0-9]{18}$/);
      assert.equal(info.skey.length, 40);
      assert.equal(info.clientId.length, 20, 'the Universal Prompt client');
      assert.equal(info.clientSecret.length, 40);
      assert.notEqual(info.clientId, info.ikey);
      assert.equal(info.phoneUrl, `${info.url}/phone`);
    });
  });

  it('refuses NODE_ENV=production unless --force', async () => {
    const refused = await run(['--port', '0'], { NODE_ENV: 'production' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /NODE_ENV=production/);
    assert.equal(refused.stdout, '');
  });

  it('prints help, and refuses unknown flags with exit code 2', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: duo-sandbox/);
    const bad = await run(['--nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Usage: duo-sandbox/);
  });
});
