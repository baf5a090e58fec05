'use strict';

/**
 * A Strapi child of the bench: the playground started the way `strapi start` starts a JavaScript app (the CLI
 * itself would find the plugin's tsconfig.json above the playground and treat the app as TypeScript). Plain
 * Node, NODE_ENV and the database file come from the bench. Measurement hooks live in monitor.cjs (--require).
 */
const path = require('node:path');

const createStrapi = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..', '..', 'playground');

createStrapi({ appDir, distDir: appDir, autoReload: false })
  .start()
  .then(() => process.send?.({ ready: true }))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
