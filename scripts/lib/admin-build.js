'use strict';

/**
 * Rebuilds a playground's admin panel only when it is missing or older than its inputs, in a child process (the
 * bundlers are memory hungry and set NODE_ENV=production, neither of which should leak into a test process that
 * boots Strapi afterwards). Shared by playground/scripts/build-admin.js (Strapi 4, webpack) and
 * playground-v5/scripts/build-admin.js (Strapi 5, Vite).
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

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

/**
 * `marker`: a file the build writes (its index.html); `inputs`: files and folders it is built from; `script`: the
 * playground's build-admin.js, run with `--force`.
 */
function adminBuild({ name, appDir, marker, inputs, script }) {
  /** Why the build must run, or null when it is up to date. */
  function staleReason() {
    if (!fs.existsSync(marker)) return 'no admin build yet';
    const builtAt = fs.statSync(marker).mtimeMs;
    const newer = inputs.find((input) => newestMtimeMs(input) > builtAt);
    return newer ? `${path.relative(REPO_ROOT, newer)} changed since the last build` : null;
  }

  function ensureAdminBuild({ force = false, stdio = 'inherit' } = {}) {
    const reason = force ? 'forced' : staleReason();
    if (reason === null) return Promise.resolve({ built: false, reason: 'up to date', ms: 0 });
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, '--force'], {
        cwd: appDir,
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
              `${name} admin build failed (${signal ?? `exit ${code}`}); run: node ${path.relative(REPO_ROOT, script)} --force`,
            ),
          );
      });
    });
  }

  /** The script's command line: builds with --force, or when stale. */
  function main(buildNow) {
    const force = process.argv.includes('--force');
    const reason = force ? 'forced' : staleReason();
    if (reason === null) {
      console.info(`[OK] ${name} admin build is up to date`);
      return;
    }
    const started = Date.now();
    console.info(`[INFO] building the ${name} admin (${reason})`);
    buildNow().then(
      () => console.info(`[OK] ${name} admin built in ${((Date.now() - started) / 1000).toFixed(1)} s`),
      (error) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  }

  return { staleReason, ensureAdminBuild, main };
}

module.exports = { adminBuild, REPO_ROOT };
