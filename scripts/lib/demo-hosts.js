'use strict';

/**
 * The two Strapi apps `npm run demo` can start: playground-v5/ (Strapi 5.54, the default: it is what new installs
 * get) and playground/ (Strapi 4.26, with `--strapi4` or DEMO_STRAPI=4). Each knows how to build its admin panel
 * when stale and how to make its Strapi instance; everything else in the demo is the same on both.
 */

const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

const USAGE = 'usage: npm run demo [-- --strapi4 | --strapi5]   (or DEMO_STRAPI=4 / DEMO_STRAPI=5)';

/** 5 unless `--strapi4` or DEMO_STRAPI=4 says otherwise; anything unknown stops with the usage line. */
function chooseMajor(argv, env) {
  const flags = argv.filter((arg) => arg !== '--');
  const unknown = flags.filter((arg) => arg !== '--strapi4' && arg !== '--strapi5');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}\n${USAGE}`);
  if (flags.includes('--strapi4') && flags.includes('--strapi5')) throw new Error(`choose one Strapi\n${USAGE}`);
  if (flags.includes('--strapi4')) return 4;
  if (flags.includes('--strapi5')) return 5;
  const fromEnv = env.DEMO_STRAPI;
  if (fromEnv === undefined || fromEnv === '') return 5;
  if (fromEnv === '4' || fromEnv === '5') return Number(fromEnv);
  throw new Error(`DEMO_STRAPI must be 4 or 5, not "${fromEnv}"\n${USAGE}`);
}

const V4 = {
  major: 4,
  label: 'Strapi 4.26',
  appDir: path.join(REPO_ROOT, 'playground'),
  ensureAdminBuild: () => require('../../playground/scripts/build-admin').ensureAdminBuild(),
  // Strapi 4 still reads this variable; Strapi 5 replaced it with a server setting (and warns when it is set).
  env: { STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true' },
  /** Strapi 4's factory from the repository root's node_modules, where the plugin's own imports resolve too. */
  create(options) {
    return require('@strapi/strapi')(options);
  },
  /** Strapi 4 loads the plugin from the repository root (`resolve: '../..'`): nothing to copy. */
  preparePlugin() {},
};

const V5_DIR = path.join(REPO_ROOT, 'playground-v5');

const V5 = {
  major: 5,
  label: 'Strapi 5.54',
  appDir: V5_DIR,
  ensureAdminBuild: () => require('../../playground-v5/scripts/build-admin').ensureAdminBuild(),
  env: {},
  /** Strapi 5 from playground-v5/node_modules, so Strapi and what it requires are the app's own 5.54 packages. */
  create(options) {
    if (!fs.existsSync(path.join(V5_DIR, 'node_modules', '@strapi', 'strapi', 'package.json'))) {
      throw new Error('playground-v5 is not installed: run `npm install` at the repository root (postinstall)');
    }
    return createRequire(path.join(V5_DIR, 'package.json'))('@strapi/strapi').createStrapi(options);
  },
  /**
   * playground-v5 loads a copy of the plugin build (scripts/link-playground-v5.js explains why not a symlink);
   * the copy is refreshed when the build is newer, e.g. after `npx tsc` by hand rather than `npm run build`.
   */
  preparePlugin({ newestMtimeMs }) {
    const { link, DEFAULT_TARGET } = require('../link-playground-v5');
    const copied = newestMtimeMs(path.join(DEFAULT_TARGET, 'dist'));
    if (copied >= newestMtimeMs(path.join(REPO_ROOT, 'dist'))) return false;
    link();
    return true;
  },
};

function demoHost(major) {
  return major === 4 ? V4 : V5;
}

module.exports = { chooseMajor, demoHost, REPO_ROOT, USAGE };
