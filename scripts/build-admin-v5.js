#!/usr/bin/env node
'use strict';

/**
 * Builds the Strapi 5 admin (admin/v5/src and the admin/shared code it imports) into dist/admin-v5 with
 * tsconfig.admin-v5.json, from scratch (a file deleted from the sources must not ship from a stale build), and marks
 * the folder as ES modules: the plugin's package.json has no "type", so Node (the pack check imports the admin entry)
 * would otherwise guess the module kind of every file and warn. Vite, which bundles it in a Strapi 5 app, reads the
 * files as ES modules either way. Used by `npm run build` and scripts/pack.js.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(REPO_ROOT, 'dist', 'admin-v5');

function buildAdminV5() {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // A git worktree whose node_modules is a symlink to another checkout's install (see scripts/pack.js).
  const preserve = fs.lstatSync(path.join(REPO_ROOT, 'node_modules')).isSymbolicLink() ? ['--preserveSymlinks'] : [];
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.admin-v5.json', ...preserve], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.admin-v5.json failed (exit ${result.status})`);
  fs.writeFileSync(path.join(OUT_DIR, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
}

module.exports = { buildAdminV5 };

if (require.main === module) {
  try {
    buildAdminV5();
    console.log('built dist/admin-v5');
  } catch (error) {
    console.error(`build-admin-v5: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
