#!/usr/bin/env node
'use strict';

/**
 * Puts the working tree's plugin build into playground-v5 as real files (no symlinks), after `npm run build`, laid
 * out as the 2.x (Strapi 5) package: its package.json (scripts/lib/package-variants.js), strapi-server.js, dist/ and
 * the Strapi 5 admin entry admin/v5/index.mjs go to playground-v5/src/plugins/duo-security/, the folder
 * playground-v5/config/plugins.js `resolve`s. (Strapi 4's strapi-admin.js would break the playground's admin build.) From there Node finds the plugin's own imports
 * (@strapi/utils, undici, jsonwebtoken) in playground-v5/node_modules (5.54.0), never in the repository root's
 * node_modules (Strapi 4): a symlink or `resolve: '../'` would give the plugin a second copy of @strapi/utils, and
 * `instanceof ApplicationError` would fail across the two.
 *
 * Usage: node scripts/link-playground-v5.js [target folder]
 */

const fs = require('node:fs');
const path = require('node:path');

const { variant } = require('./lib/package-variants');

const REPO_ROOT = path.resolve(__dirname, '..');
const DEFAULT_TARGET = path.join(REPO_ROOT, 'playground-v5', 'src', 'plugins', 'duo-security');
// What the server and the admin build read; not the docs and bin/ the 2.x package also ships.
const ENTRIES = ['strapi-server.js', 'dist', 'admin/v5/index.mjs'];

function link(target = DEFAULT_TARGET) {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'server', 'index.js'))) {
    throw new Error('dist/server/index.js is missing: run `npm run build` first');
  }
  // Stale files of an older build must not survive, so the folder is rebuilt whole.
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(variant(5).manifest(root), null, 2)}\n`);
  for (const entry of ENTRIES) {
    // dereference: a symlink in the working tree is copied as the file it points at.
    fs.cpSync(path.join(REPO_ROOT, entry), path.join(target, entry), { recursive: true, dereference: true });
  }
  return target;
}

if (require.main === module) {
  // The published package and a checkout without the Strapi 5 playground have nothing to link into.
  if (process.argv[2] === undefined && !fs.existsSync(path.join(REPO_ROOT, 'playground-v5', 'package.json'))) {
    process.exit(0);
  }
  try {
    const target = link(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
    console.log(`plugin build copied to ${path.relative(process.cwd(), target) || '.'}`);
  } catch (error) {
    console.error(`link-playground-v5: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

module.exports = { link, DEFAULT_TARGET };
