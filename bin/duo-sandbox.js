#!/usr/bin/env node
'use strict';

// The sandbox is written in TypeScript; this launcher runs the compiled copy in dist/ (npm run build).
const path = require('node:path');

const cliPath = path.join(__dirname, '..', 'dist', 'server', 'sandbox', 'cli.js');
let cli;
try {
  cli = require(cliPath);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(cliPath)) {
    console.error('duo-sandbox: the compiled sandbox is missing; run `npm run build` first.');
    process.exit(1);
  }
  throw error;
}

cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
