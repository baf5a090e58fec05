'use strict';

/**
 * Builds playground-v5's admin panel (playground-v5/build) with the plugin's Strapi 5 admin entry, as `strapi build`
 * would. Run `npm run build` at the repository root first (it copies the plugin into src/plugins/duo-security).
 *
 * Why not `strapi build`: Strapi 5's CLI looks for tsconfig.json from the cwd upwards (`ts.findConfigFile`), finds
 * the plugin's own tsconfig.json at the repository root, decides the playground is a TypeScript app and stops at
 * "Compiling TS" (TS18003). The CLI's build command calls `build` from @strapi/strapi's dist/src/node/build.js with
 * the tsconfig it found; this calls it with none. @strapi/strapi exports no build API, so the file is required by
 * its path (checked on 5.54.0; Strapi 4's playground does the same with @strapi/admin/cli).
 *
 * Usage: node playground-v5/scripts/build-admin.js [--force] (without --force only when older than its inputs)
 */

const path = require('node:path');

const { adminBuild, REPO_ROOT } = require('../../scripts/lib/admin-build');

const APP_DIR = path.resolve(__dirname, '..');

// The plugin's admin entry and what it imports (dist/admin-v5 is compiled from admin/v5/src and admin/shared).
const { ensureAdminBuild, staleReason, main } = adminBuild({
  name: 'playground-v5',
  appDir: APP_DIR,
  marker: path.join(APP_DIR, 'build', 'index.html'),
  inputs: [
    path.join(REPO_ROOT, 'admin', 'v5'),
    path.join(REPO_ROOT, 'admin', 'shared'),
    path.join(APP_DIR, 'package-lock.json'),
    path.join(APP_DIR, 'package.json'),
    path.join(APP_DIR, 'config', 'admin.js'),
    path.join(APP_DIR, 'config', 'plugins.js'),
    path.join(APP_DIR, 'config', 'server.js'),
    // The admin customisation (src/admin/app.js: the languages administrators may choose).
    path.join(APP_DIR, 'src', 'admin'),
  ],
  script: module.filename,
});

async function buildAdmin() {
  const strapiDir = path.dirname(require.resolve('@strapi/strapi/package.json', { paths: [APP_DIR] }));
  const { build } = require(path.join(strapiDir, 'dist', 'src', 'node', 'build.js'));
  const { createLogger } = require(path.join(strapiDir, 'dist', 'src', 'cli', 'utils', 'logger.js'));
  process.env.NODE_ENV = process.env.NODE_ENV || 'production';
  // Parts of the build resolve paths against process.cwd(), not the cwd option.
  process.chdir(APP_DIR);
  // The options `strapi build` passes by default (its commander defaults), minus the tsconfig.
  await build({
    cwd: APP_DIR,
    logger: createLogger({ debug: false, silent: false, timestamp: false }),
    tsconfig: undefined,
    bundler: 'vite',
    minify: true,
    sourcemap: false,
    stats: false,
    debug: false,
    silent: false,
    installDeps: false,
  });
}

module.exports = { buildAdmin, ensureAdminBuild, staleReason, APP_DIR };

if (require.main === module) main(buildAdmin);
