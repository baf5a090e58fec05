#!/usr/bin/env node
'use strict';

/**
 * Root `prepare`: installs playground-v5/ (the Strapi 5 app) into its own node_modules, because two Strapi majors
 * cannot share the root one. Runs `npm ci` there (`npm install` only while the app has no lockfile), with the flags
 * the root install was given: npm hands them to this script as npm_config_* variables and the child npm reads them.
 *
 * Skipped when playground-v5/node_modules/.install-stamp holds the hash of the app's package.json, its lockfile and
 * the Node ABI (better-sqlite3 is compiled for it). Quiet on success; on failure prints npm's whole output and exits
 * non-zero. DUO_SKIP_PLAYGROUND_V5=1 skips it (e.g. an install that only needs the Strapi 4 suite).
 */

const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const APP_DIR = path.resolve(__dirname, '..', 'playground-v5');
const LOCKFILE = path.join(APP_DIR, 'package-lock.json');
const STAMP = path.join(APP_DIR, 'node_modules', '.install-stamp');

// Variables npm sets for the root package's own lifecycle; the child npm must not read them as its own.
const PARENT_ONLY = /^npm_(package_|lifecycle_|config_local_prefix$|config_global$|config_workspace|command$)/i;

function installHash() {
  const hash = createHash('sha256');
  hash.update(`node-abi:${process.versions.modules} ${process.platform}-${process.arch}\n`);
  hash.update(fs.readFileSync(path.join(APP_DIR, 'package.json')));
  if (fs.existsSync(LOCKFILE)) hash.update(fs.readFileSync(LOCKFILE));
  return hash.digest('hex');
}

function readStamp() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function childEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!PARENT_ONLY.test(key)) env[key] = value;
  }
  return env;
}

function npmInvocation() {
  // Inside an npm script npm_execpath is the npm that runs it (npm-cli.js); reuse it with this Node.
  const execPath = process.env.npm_execpath;
  if (execPath && /\.c?js$/.test(execPath)) return { command: process.execPath, prefix: [execPath] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

function main() {
  if (process.env.DUO_SKIP_PLAYGROUND_V5 === '1') return Promise.resolve(0);
  if (!fs.existsSync(path.join(APP_DIR, 'package.json'))) return Promise.resolve(0);
  const hash = installHash();
  if (readStamp() === hash) return Promise.resolve(0);

  const subcommand = fs.existsSync(LOCKFILE) ? 'ci' : 'install';
  const { command, prefix } = npmInvocation();
  const args = [...prefix, subcommand, '--no-audit', '--no-fund'];
  const started = Date.now();
  process.stdout.write(`playground-v5: npm ${subcommand} (Strapi 5 app; a few minutes the first time)\n`);

  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: APP_DIR, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => {
      process.stderr.write(`playground-v5: could not run npm: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        process.stderr.write(Buffer.concat(output).toString('utf8'));
        process.stderr.write(`\nplayground-v5: npm ${subcommand} failed (${signal ?? `exit ${code}`}) in ${APP_DIR}\n`);
        resolve(code || 1);
        return;
      }
      // Hash again: `npm install` may just have written the lockfile.
      fs.writeFileSync(STAMP, `${installHash()}\n`);
      process.stdout.write(`playground-v5: installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
      resolve(0);
    });
  });
}

main().then((code) => {
  process.exitCode = code;
});
