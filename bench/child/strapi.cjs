'use strict';

/**
 * A Strapi child of the bench: the playground of the host in BENCH_HOST (`v4`: playground/, Strapi 4.26; `v5`:
 * playground-v5/, Strapi 5.54 from its own node_modules), started the way `strapi start` starts a JavaScript app
 * (the CLI itself would find the plugin's tsconfig.json above the playground and treat the app as TypeScript).
 * Plain Node, NODE_ENV and the database file come from the bench. Measurement hooks live in monitor.cjs (--require).
 */
const { createRequire } = require('node:module');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const host = process.env.BENCH_HOST ?? 'v4';

function start() {
  if (host === 'v4') {
    const appDir = path.join(repoRoot, 'playground');
    return require('@strapi/strapi')({ appDir, distDir: appDir, autoReload: false }).start();
  }
  if (host === 'v5') {
    // Strapi 5 and everything it requires from the app's own packages, as the tests boot it (tests/helpers/hosts.ts).
    // The bench measures API requests only: no admin panel build to serve.
    const appDir = path.join(repoRoot, 'playground-v5');
    const { createStrapi } = createRequire(path.join(appDir, 'package.json'))('@strapi/strapi');
    return createStrapi({ appDir, distDir: appDir, autoReload: false, serveAdminPanel: false }).start();
  }
  throw new Error(`BENCH_HOST must be v4 or v5, not ${host}`);
}

start()
  .then(() => process.send?.({ ready: true }))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
