import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { assertNoToken, expectDuoRequired, expectToken } from '../helpers/client-answers';
import { createClient, enableDuoForClient, login, type Client, type ClientsHarness } from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { activateDuo } from '../helpers/duo-setup';
import {
  adminLogin,
  adminLoginWithPasscode,
  adminMe,
  createAdmin,
  expectAdminDuoRequired,
  adminTokenDuo,
  expectAdminSession,
  setStaffSettings,
  staffStep,
  turnOnStaffDuo,
  type Admin,
} from '../helpers/staff';
import { bootStrapi, defaultHost, playgroundDir, REPO_ROOT, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

/**
 * Issue 5, break-glass: `npx duo-security reset --admin EMAIL` run in the app's folder against the playground's
 * database (the in-process Strapi closed first, as on a server where the app is stopped or runs elsewhere). It resets
 * exactly one user's Duo, audits it (via: cli), prints what it did; an unknown e-mail changes nothing (exit 1).
 */

let sandbox: DuoSandbox;
let dataDir: string;
let database: string;
let lost: Admin;
let colleague: Admin;
let client: Client;

/** The playground booted in-process on the test's database file (it outlives each boot). */
function boot(): Promise<BootedStrapi> {
  return bootStrapi({ env: { DATABASE_FILENAME: database } });
}

function harness(app: BootedStrapi, adminToken = ''): ClientsHarness {
  return {
    app,
    strapi: app.strapi,
    sandbox,
    adminToken,
    emails: [],
    responses: [],
    passcodes: new Set(),
    close: () => app.close(),
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'duo-security.js'), ...args], {
      cwd: playgroundDir(defaultHost()),
      env: {
        ...process.env,
        DATABASE_FILENAME: database,
        STRAPI_LOG_LEVEL: 'warn',
        STRAPI_TELEMETRY_DISABLED: 'true',
        STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function enrollmentStatus(app: BootedStrapi, audience: string, userId: number): Promise<unknown> {
  const row = (await app.strapi.db!.query('plugin::duo-security.enrollment').findOne({
    where: { audience, userId },
  })) as { status?: string } | null;
  return row?.status;
}

before(async () => {
  sandbox = await startDuoSandbox({ port: 0 });
  dataDir = await mkdtemp(join(tmpdir(), 'duo-break-glass-'));
  database = join(dataDir, 'data.db');
  // The state before the lock-out: Duo on for two administrators and a client; the first lost their phone.
  const app = await boot();
  try {
    const adminToken = await registerFirstAdmin(app.api);
    await activateDuo(app, adminToken, sandbox, {
      staff: { enabled: true, enforcement: 'optional' },
      clients: { enabled: true },
    });
    const h = harness(app, adminToken);
    lost = await createAdmin(h, { prefix: 'lostphone' });
    await turnOnStaffDuo(h, lost, expectAdminSession(app, await adminLogin(app, lost.email, lost.password)).token);
    colleague = await createAdmin(h, { prefix: 'colleague' });
    await turnOnStaffDuo(
      h,
      colleague,
      expectAdminSession(app, await adminLogin(app, colleague.email, colleague.password)).token,
    );
    client = await createClient(h);
    await enableDuoForClient(h, client, expectToken(await login(app, client.email, client.password)).jwt);
    expectAdminDuoRequired(await adminLogin(app, lost.email, lost.password));
  } finally {
    await app.close();
  }
});
after(async () => {
  await sandbox?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('npx duo-security reset', () => {
  it('bad usage: exit 2 with the usage; --help: exit 0', async () => {
    for (const args of [
      [],
      ['reset'],
      ['wipe', '--admin', 'a@example.com'],
      ['reset', '--admin', 'x', '--client', 'y@example.com'],
      ['reset', '--admin', 'not-an-email'],
      ['reset', '--admin', 'a@example.com', '--skip-duo-once', '999'],
      ['backup-code'],
      ['backup-code', '--admin', 'a@example.com', '--skip-duo-once'],
    ]) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /Usage: duo-security reset/);
    }
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--admin EMAIL/);
  });

  it('an unknown e-mail: a clear message, exit 1, nothing changed', async () => {
    const run = await cli(['reset', '--admin', 'nobody@example.com']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /no administrator with the e-mail nobody@example\.com; nothing was changed/);
    // A client's e-mail is not an administrator's.
    const wrongKind = await cli(['reset', '--admin', client.email]);
    assert.equal(wrongKind.code, 1);
    const app = await boot();
    try {
      assert.equal((await auditEntries(app.strapi, { event: 'enroll.reset' })).length, 0);
      assert.equal(await enrollmentStatus(app, 'staff', lost.id), 'active');
    } finally {
      await app.close();
    }
  });

  it('--admin EMAIL (any case): that administrator signs in with the password again; nobody else is weakened', async () => {
    const run = await cli(['reset', '--admin', lost.email.toUpperCase()]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`reset Duo for administrator ${lost.email} \\(id ${lost.id}\\)`));
    // The Duo step opened at the lost phone's last sign-in attempt is ended too.
    assert.match(run.stdout, /active -> disabled; open Duo steps ended: 1/);
    assert.match(run.stdout, /enroll\.reset \(via: cli\)/);
    assert.doesNotMatch(run.stdout + run.stderr, /eyJ|secret/i);

    const app = await boot();
    try {
      const h = harness(app);
      const entries = await auditEntries(app.strapi, { event: 'enroll.reset' });
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.userId, lost.id);
      assert.equal(entries[0]?.audience, 'staff');
      assert.deepEqual(entries[0]?.detail, { via: 'cli', cancelled: 1 });
      // The lost-phone administrator is back in with the password alone (enforcement optional)…
      const back = expectAdminSession(app, await adminLogin(app, lost.email, lost.password), 'after reset');
      assert.equal((await adminMe(app, back.token)).status, 200);
      // …and nobody else's Duo changed.
      assert.equal(await enrollmentStatus(app, 'staff', colleague.id), 'active');
      expectAdminDuoRequired(await adminLogin(app, colleague.email, colleague.password));
      expectDuoRequired(await login(app, client.email, client.password));
      assert.equal((await adminLoginWithPasscode(h, colleague)).user.id, colleague.id);
    } finally {
      await app.close();
    }
  });

  it('--client EMAIL resets that client only', async () => {
    // The client's last sign-in (previous test) left a Duo step open: the reset ends it.
    const run = await cli(['reset', '--client', client.email]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /reset Duo for client/);
    const app = await boot();
    try {
      expectToken(await login(app, client.email, client.password));
      assert.equal(await enrollmentStatus(app, 'staff', colleague.id), 'active');
      const entries = await auditEntries(app.strapi, { event: 'enroll.reset', audience: 'clients' });
      assert.deepEqual(
        entries.map((e) => [e.userId, e.detail]),
        [[client.id, { via: 'cli', cancelled: 1 }]],
      );
    } finally {
      await app.close();
    }
  });

  it('enforcement required and Duo still holds the lost phone: --skip-duo-once lets exactly one sign-in through', async () => {
    let app = await boot();
    try {
      await setStaffSettings(app.strapi, { enforcement: 'required' });
      expectAdminDuoRequired(await adminLogin(app, lost.email, lost.password));
    } finally {
      await app.close();
    }
    const plain = await cli(['reset', '--admin', lost.email]);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /Enforcement requires Duo/);
    assert.match(plain.stdout, /--skip-duo-once/);
    const run = await cli(['reset', '--admin', lost.email, '--skip-duo-once']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /skips Duo, once/);

    app = await boot();
    try {
      const once = expectAdminSession(app, await adminLogin(app, lost.email, lost.password), 'the one sign-in');
      assert.equal(await adminTokenDuo(app, once.token), 'recovery');
      assert.equal((await adminMe(app, once.token)).status, 200);
      // Once only; and not for anyone else.
      expectAdminDuoRequired(await adminLogin(app, lost.email, lost.password));
      expectAdminDuoRequired(await adminLogin(app, colleague.email, colleague.password));
      const used = await auditEntries(app.strapi, { event: 'login.recovery' });
      assert.deepEqual(
        used.map((e) => [e.userId, e.audience]),
        [[lost.id, 'staff']],
      );
      const resets = await auditEntries(app.strapi, { event: 'enroll.reset', userId: lost.id });
      assert.deepEqual(resets.at(-1)?.detail, { via: 'cli', cancelled: 0, skipDuoOnceMinutes: 15 });
    } finally {
      await app.close();
    }
  });

  it('backup-code --admin EMAIL: prints one code, once, that finishes one Duo step in place of Duo and not two', async () => {
    // The lost phone's owner was reset above (Duo off): a backup code would stand in for nothing.
    const refused = await cli(['backup-code', '--admin', lost.email]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /has no Duo turned on.*nothing was changed/);

    const run = await cli(['backup-code', '--admin', colleague.email]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const printed = run.stdout.match(/^ {2}([A-Z0-9]{5}-[A-Z0-9]{5})$/m)?.[1];
    assert.ok(printed !== undefined, run.stdout);
    assert.match(
      run.stdout,
      new RegExp(`one backup code for administrator ${colleague.email} \\(id ${colleague.id}\\)`),
    );
    assert.equal(run.stdout.split(printed).length, 2, 'the code is printed once');
    assert.ok(!run.stderr.includes(printed), 'the code reaches no log line');

    const app = await boot();
    try {
      const entries = await auditEntries(app.strapi, { event: 'backup-codes.issued' });
      assert.deepEqual(
        entries.map((e) => [e.userId, e.audience, e.detail]),
        [[colleague.id, 'staff', { via: 'cli', count: 1 }]],
      );
      // Duo stays on: the password alone still gets a Duo step; the code finishes it, once.
      const required = expectAdminDuoRequired(await adminLogin(app, colleague.email, colleague.password));
      const session = expectAdminSession(
        app,
        await staffStep(app, 'backup-code', { step: required.stepId, code: printed }),
        'the break-glass code',
      );
      assert.equal(await adminTokenDuo(app, session.token), 'backup-code');
      assert.equal((await adminMe(app, session.token)).status, 200);
      const again = expectAdminDuoRequired(await adminLogin(app, colleague.email, colleague.password));
      assertNoToken(await staffStep(app, 'backup-code', { step: again.stepId, code: printed }));
      // Another administrator's step does not take it either.
      const other = expectAdminDuoRequired(await adminLogin(app, lost.email, lost.password));
      assertNoToken(await staffStep(app, 'backup-code', { step: other.stepId, code: printed }));
    } finally {
      await app.close();
    }
  });
});
