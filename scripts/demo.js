#!/usr/bin/env node
'use strict';

/**
 * `npm run demo`: the playground Strapi on http://localhost:1337 with the plugin from this working tree, next to
 * an in-process Duo sandbox with a virtual phone. Builds what is missing or stale, seeds an administrator and a
 * client on first run (kept in playground/.tmp/data.db), prints where everything is. Ctrl-C stops it all.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { ensureAdminBuild, PLAYGROUND_DIR } = require('../playground/scripts/build-admin');

const REPO_ROOT = path.resolve(__dirname, '..');
const STRAPI_PORT = Number(process.env.PORT ?? 1337);
const SANDBOX_PORT = Number(process.env.DUO_SANDBOX_PORT ?? 8081);

const ADMIN = {
  firstname: 'Demo',
  lastname: 'Admin',
  email: process.env.DEMO_ADMIN_EMAIL ?? 'admin@example.com',
  password: process.env.DEMO_ADMIN_PASSWORD ?? 'Demo-Admin-2fa',
};
const CLIENT = {
  username: process.env.DEMO_CLIENT_USERNAME ?? 'client',
  email: process.env.DEMO_CLIENT_EMAIL ?? 'client@example.com',
  password: process.env.DEMO_CLIENT_PASSWORD ?? 'Demo-Client-2fa',
};

function newestMtimeMs(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((newest, entry) => Math.max(newest, newestMtimeMs(path.join(target, entry))), stat.mtimeMs);
}

function ensurePluginBuild() {
  const built = newestMtimeMs(path.join(REPO_ROOT, 'dist', 'server'));
  const sources = Math.max(
    newestMtimeMs(path.join(REPO_ROOT, 'server', 'src')),
    newestMtimeMs(path.join(REPO_ROOT, 'tsconfig.build.json')),
    newestMtimeMs(path.join(REPO_ROOT, 'tsconfig.base.json')),
  );
  const sandboxEntry = path.join(REPO_ROOT, 'dist', 'server', 'sandbox', 'index.js');
  if (built >= sources && fs.existsSync(sandboxEntry)) return;
  step('building the plugin (npm run build)');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) fail('the plugin build failed; fix it and run `npm run demo` again');
  if (!fs.existsSync(sandboxEntry)) fail(`${path.relative(REPO_ROOT, sandboxEntry)} is missing after the build`);
}

async function startSandbox() {
  const { startDuoSandbox } = require('../dist/server/sandbox');
  const sandbox = await startDuoSandbox({
    port: SANDBOX_PORT,
    // Loopback by default; DUO_SANDBOX_HOST=0.0.0.0 makes the virtual phone reachable from another machine.
    ...(process.env.DUO_SANDBOX_HOST ? { host: process.env.DUO_SANDBOX_HOST } : {}),
    logger: {
      info: (message) => console.log(`[duo-sandbox] ${message}`),
      warn: (message) => console.warn(`[duo-sandbox] ${message}`),
    },
  });
  // Staff map to Duo by e-mail; clients by id (added once the client exists, see knowDemoClient). One phone each,
  // answered from the virtual phone page.
  if (!sandbox.user(ADMIN.email)) sandbox.addUser({ username: ADMIN.email });
  return sandbox;
}

/** `takeOverSignals` runs right after Strapi's constructor, which installs its own exit-on-signal handlers. */
async function startStrapi(sandbox, takeOverSignals) {
  Object.assign(process.env, {
    DUO_SANDBOX_URL: sandbox.url,
    DUO_API_HOSTNAME: sandbox.url,
    DUO_IKEY: sandbox.ikey,
    DUO_SKEY: sandbox.skey,
    PORT: String(STRAPI_PORT),
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
  });
  const strapiFactory = require('@strapi/strapi');
  const app = strapiFactory({
    appDir: PLAYGROUND_DIR,
    distDir: PLAYGROUND_DIR,
    serveAdminPanel: true,
    autoReload: false,
  });
  takeOverSignals();
  // start() logs the error and exits the process itself when something goes wrong.
  await app.start();
  return app;
}

async function post(pathname, body) {
  const response = await fetch(`http://127.0.0.1:${STRAPI_PORT}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${pathname}: HTTP ${response.status} ${await response.text()}`);
}

/** Duo knows the demo client under the plugin's default client mapping, `strapi-client-<id>`. */
async function knowDemoClient(app, sandbox) {
  const client = await app.db.query('plugin::users-permissions.user').findOne({ where: { email: CLIENT.email } });
  const username = `strapi-client-${client.id}`;
  if (!sandbox.user(username)) sandbox.addUser({ username });
  return username;
}

/** Returns what was created, so the summary can say which accounts already existed. */
async function seedAccounts(app) {
  const created = [];
  if (!(await app.admin.services.user.exists())) {
    await post('/admin/register-admin', ADMIN);
    created.push('administrator');
  }
  const existingClient = await app.db
    .query('plugin::users-permissions.user')
    .findOne({ where: { $or: [{ email: CLIENT.email }, { username: CLIENT.username }] } });
  if (!existingClient) {
    await post('/api/auth/local/register', CLIENT);
    created.push('client');
  }
  if (created.includes('administrator')) {
    // First run: Duo on for clients (optional: the client turns it on from the client page), tested against the
    // sandbox like Save Changes would. Staff stay off (no lock-out surprise): the page turns them on.
    await app
      .plugin('duo-security')
      .service('settings')
      .update({ activated: true, clients: { enabled: true } });
    created.push('duo');
  }
  return created;
}

function printSummary(sandbox, created, clientDuoName) {
  const note = (who) => (created.includes(who) ? '(created now)' : '(existing account; password as first seeded)');
  console.log(`
────────────────────────────────────────────────────────────────────────
 Duo Security demo

 Strapi admin       http://localhost:${STRAPI_PORT}/admin
   administrator    ${ADMIN.email} / ${ADMIN.password} ${note('administrator')}
 Client login       POST http://localhost:${STRAPI_PORT}/api/auth/local
   client           ${CLIENT.username} (${CLIENT.email}) / ${CLIENT.password} ${note('client')}

 Duo sandbox        ${sandbox.url}
   API hostname     ${sandbox.apiHostname}
   integration key  ${sandbox.ikey}
   secret key       ${sandbox.skey}   (throw-away test key)
   Duo users        ${ADMIN.email} (the administrator), ${clientDuoName} (the client, by id)
 Virtual phone      ${sandbox.url}/phone
 Client page        http://localhost:${STRAPI_PORT}/client/   (sign in, Security Settings → enable Duo)

 Passed to Strapi as DUO_SANDBOX_URL, DUO_API_HOSTNAME, DUO_IKEY, DUO_SKEY.
 Ctrl-C stops everything.
────────────────────────────────────────────────────────────────────────`);
}

function step(message) {
  console.log(`[demo] ${message}`);
}

function fail(message) {
  console.error(`[demo] ${message}`);
  process.exit(1);
}

async function main() {
  ensurePluginBuild();
  const build = await ensureAdminBuild();
  if (build.built) step(`admin panel built in ${(build.ms / 1000).toFixed(1)} s (${build.reason})`);

  const sandbox = await startSandbox();
  step(`Duo sandbox listening on ${sandbox.url}`);
  let app;
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    step(`${signal}: stopping`);
    await app?.destroy().catch((error) => console.error(error));
    await sandbox.close().catch((error) => console.error(error));
    process.exit(0);
  };
  onStopSignal(stop);

  app = await startStrapi(sandbox, () => onStopSignal(stop));
  const created = await seedAccounts(app);
  const clientDuoName = await knowDemoClient(app, sandbox);
  printSummary(sandbox, created, clientDuoName);
}

function onStopSignal(stop) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.removeAllListeners(signal);
    process.once(signal, () => void stop(signal));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
