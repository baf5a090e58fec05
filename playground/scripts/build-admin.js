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

const path = require('node:path');

const { adminBuild, REPO_ROOT } = require('../../scripts/lib/admin-build');

const PLAYGROUND_DIR = path.resolve(__dirname, '..');

const { ensureAdminBuild, staleReason, main } = adminBuild({
  name: 'playground',
  appDir: PLAYGROUND_DIR,
  marker: path.join(PLAYGROUND_DIR, 'build', 'index.html'),
  inputs: [
    path.join(REPO_ROOT, 'admin', 'src'),
    path.join(REPO_ROOT, 'admin', 'shared'),
    path.join(REPO_ROOT, 'strapi-admin.js'),
    path.join(REPO_ROOT, 'package-lock.json'),
    path.join(PLAYGROUND_DIR, 'package.json'),
    path.join(PLAYGROUND_DIR, 'config', 'admin.js'),
    path.join(PLAYGROUND_DIR, 'config', 'plugins.js'),
    path.join(PLAYGROUND_DIR, 'config', 'server.js'),
    path.join(PLAYGROUND_DIR, 'src', 'admin'),
  ],
  script: module.filename,
});

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

if (require.main === module) main(buildNow);
