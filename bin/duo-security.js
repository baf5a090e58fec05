#!/usr/bin/env node
'use strict';

// Break-glass: `npx duo-security reset --admin EMAIL` in a Strapi app's folder (see README, "Recovery").
// The command is written in TypeScript; this launcher runs the compiled copy in dist/ (npm run build).
const path = require('node:path');

const cliPath = path.join(__dirname, '..', 'dist', 'server', 'cli', 'break-glass.js');
let cli;
try {
  cli = require(cliPath);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(cliPath)) {
    console.error('duo-security: the compiled command is missing; run `npm run build` first.');
    process.exit(1);
  }
  throw error;
}

cli.main(process.argv.slice(2)).then(
  (code) => {
    // Loading Strapi leaves timers and handles behind; the work is done, so leave once the output is written.
    process.stdout.write('', () => process.exit(code));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
