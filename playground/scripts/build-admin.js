'use strict';

/**
 * Builds the playground's admin panel (playground/build) only when it is missing or older than its inputs.
 *
 * Why not `strapi build`: Strapi 4's CLI looks for tsconfig.json from the cwd upwards, finds the plugin's own
 * tsconfig.json at the repository root, decides the playground is a TypeScript app and crashes compiling it.
 * `@strapi/admin/cli`'s `build` is the same function the CLI calls, without that lookup.
 *
 * Usage: node playground/scripts/build-admin.js [--force]
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PLAYGROUND_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PLAYGROUND_DIR, '..');
const BUILD_MARKER = path.join(PLAYGROUND_DIR, 'build', 'index.html');

// What ends up in the admin bundle: the plugin's admin entry and sources, the app's admin-facing config, Strapi itself.
const INPUTS = [
  path.join(REPO_ROOT, 'admin', 'src'),
  path.join(REPO_ROOT, 'strapi-admin.js'),
  path.join(REPO_ROOT, 'package-lock.json'),
  path.join(PLAYGROUND_DIR, 'package.json'),
  path.join(PLAYGROUND_DIR, 'config', 'admin.js'),
  path.join(PLAYGROUND_DIR, 'config', 'plugins.js'),
  path.join(PLAYGROUND_DIR, 'config', 'server.js'),
  path.join(PLAYGROUND_DIR, 'src', 'admin'),
];

function newestMtimeMs(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtimeMs(path.join(target, entry)));
  }
  return newest;
}

/** Why the build must run, or null when playground/build is up to date. */
function staleReason() {
  if (!fs.existsSync(BUILD_MARKER)) return 'no admin build yet';
  const builtAt = fs.statSync(BUILD_MARKER).mtimeMs;
  const newer = INPUTS.find((input) => newestMtimeMs(input) > builtAt);
  return newer ? `${path.relative(REPO_ROOT, newer)} changed since the last build` : null;
}

/**
 * Runs the build in a child process: webpack is memory hungry and the build sets NODE_ENV=production,
 * neither of which should leak into a test process that boots Strapi afterwards.
 */
function ensureAdminBuild({ force = false, stdio = 'inherit' } = {}) {
  const reason = force ? 'forced' : staleReason();
  if (reason === null) return Promise.resolve({ built: false, reason: 'up to date', ms: 0 });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [module.filename, '--force'], {
      cwd: PLAYGROUND_DIR,
      stdio: ['ignore', stdio, stdio],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        STRAPI_TELEMETRY_DISABLED: 'true',
        STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
      },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve({ built: true, reason, ms: Date.now() - started });
      else
        reject(
          new Error(
            `admin build failed (${signal ?? `exit ${code}`}); run: node playground/scripts/build-admin.js --force`,
          ),
        );
    });
  });
}

function createLogger() {
  const print =
    (stream, label) =>
    (...args) =>
      stream(label, ...args);
  return {
    warnings: 0,
    errors: 0,
    debug: () => {},
    info: print(console.info, '[INFO]'),
    log: print(console.log, ''),
    warn: print(console.warn, '[WARN]'),
    error: print(console.error, '[ERROR]'),
    spinner(text) {
      return {
        text,
        isSpinning: false,
        start() {
          return this;
        },
        succeed() {
          console.info('[OK]', this.text);
          return this;
        },
        fail() {
          console.error('[FAILED]', this.text);
          return this;
        },
      };
    },
  };
}

async function buildNow() {
  process.env.NODE_ENV = process.env.NODE_ENV || 'production';
  // Parts of the webpack config resolve the entry against process.cwd(), not the cwd option.
  process.chdir(PLAYGROUND_DIR);
  const { build } = require('@strapi/admin/cli');
  await build({
    cwd: PLAYGROUND_DIR,
    logger: createLogger(),
    tsconfig: undefined,
    ignorePrompts: true,
    bundler: 'webpack',
    minify: true,
    sourcemaps: false,
    stats: false,
  });
}

module.exports = { ensureAdminBuild, staleReason, PLAYGROUND_DIR };

if (require.main === module) {
  const force = process.argv.includes('--force');
  const reason = force ? 'forced' : staleReason();
  if (reason === null) {
    console.info('[OK] playground admin build is up to date');
  } else {
    const started = Date.now();
    console.info(`[INFO] building the playground admin (${reason})`);
    buildNow().then(
      () => console.info(`[OK] playground admin built in ${((Date.now() - started) / 1000).toFixed(1)} s`),
      (error) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  }
}
