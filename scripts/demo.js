#!/usr/bin/env node
'use strict';

/**
 * `npm run demo`: the Strapi 5 playground (playground-v5/) on http://localhost:1337 with the plugin from this working
 * tree, next to an in-process Duo sandbox with a virtual phone; `npm run demo -- --strapi4` (or DEMO_STRAPI=4) starts
 * the Strapi 4 playground (playground/) instead. Builds what is missing or stale, seeds the accounts of
 * scripts/lib/demo-seed.js on first run (kept in <playground>/.tmp/data.db), switches Duo on, prints where
 * everything is and what to click. Ctrl-C stops it all.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { chooseMajor, demoHost, REPO_ROOT } = require('./lib/demo-hosts');
const { knowAdministrator, knowClient, seedAccounts } = require('./lib/demo-seed');
const { printSummary } = require('./lib/demo-summary');

const STRAPI_PORT = Number(process.env.PORT ?? 1337);
const SANDBOX_PORT = Number(process.env.DUO_SANDBOX_PORT ?? 8081);

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
    newestMtimeMs(path.join(REPO_ROOT, 'admin', 'src', 'glue')),
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
  knowAdministrator(sandbox);
  return sandbox;
}

/** `takeOverSignals` runs right after Strapi's constructor, which installs its own exit-on-signal handlers. */
async function startStrapi(host, sandbox, takeOverSignals) {
  Object.assign(process.env, {
    // The playgrounds' config/plugins.js read these three into the plugin's settings (read-only in the page), and
    // config/middlewares.js lets the admin load Duo's QR image from DUO_SANDBOX_URL.
    DUO_SANDBOX_URL: sandbox.url,
    DUO_API_HOSTNAME: sandbox.url,
    DUO_IKEY: sandbox.ikey,
    DUO_SKEY: sandbox.skey,
    PORT: String(STRAPI_PORT),
    STRAPI_TELEMETRY_DISABLED: 'true',
    ...host.env,
  });
  const app = host.create({ appDir: host.appDir, distDir: host.appDir, serveAdminPanel: true, autoReload: false });
  takeOverSignals();
  // start() logs the error and exits the process itself when something goes wrong.
  await app.start();
  return app;
}

function step(message) {
  console.log(`[demo] ${message}`);
}

function fail(message) {
  console.error(`[demo] ${message}`);
  process.exit(1);
}

async function main() {
  let host;
  try {
    host = demoHost(chooseMajor(process.argv.slice(2), process.env));
  } catch (error) {
    fail(error.message);
  }
  step(`${host.label}: ${path.relative(REPO_ROOT, host.appDir)}/`);
  ensurePluginBuild();
  if (host.preparePlugin({ newestMtimeMs })) step('plugin build copied into playground-v5/src/plugins/duo-security');
  const build = await host.ensureAdminBuild();
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

  app = await startStrapi(host, sandbox, () => onStopSignal(stop));
  const created = await seedAccounts(app, STRAPI_PORT);
  const clientDuoName = await knowClient(app, sandbox);
  const settings = await app.plugin('duo-security').service('settings').get();
  printSummary({ host, port: STRAPI_PORT, sandbox, created, clientDuoName, settings });
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
