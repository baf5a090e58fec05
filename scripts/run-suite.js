#!/usr/bin/env node
'use strict';

/**
 * Runs one folder of tests (tests/<name>/*.test.ts) in band with Node's test runner and closes with its own
 * summary line; `faults` closes with "N cases, N held" as the fault matrix promises. The suites that boot Strapi
 * in-process (scripts/lib/hosts.js) run once per Strapi host, each run with `STRAPI_HOST` set, one after the other
 * (the same test files, the host as a parameter); the closing line adds the runs up. `STRAPI_HOST=v4|v5` runs one
 * host only. The multi-instance suite runs once per database on each host as well (`DUO_TEST_DB`: postgres, mysql;
 * setting it runs one). Exit status is the runners' (the worst of them), and a run where nothing ran fails: a suite must
 * never pass by being empty, on any host.
 */
const { spawn } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const { databasesFor, filesFor, hostsFor } = require('./lib/hosts');
const { testCounter } = require('./lib/test-counts');

const root = join(__dirname, '..');
const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: node scripts/run-suite.js <folder under tests/>\n');
  process.exit(2);
}
const dir = join('tests', name);
const names = readdirSync(join(root, dir))
  .filter((file) => file.endsWith('.test.ts'))
  .sort();
if (names.length === 0) {
  process.stdout.write(`${dir}: no test files\n`);
  process.exit(1);
}

/** What a run is on: its host, and its database where the suite runs on several. */
const runName = (host, database) => [host, database].filter((part) => part !== undefined).join(' with ');

/** One run of the folder's files; resolves with its counts and exit status. */
function runOnce(host, database) {
  return new Promise((resolve) => {
    if (host !== undefined) process.stdout.write(`\n--- ${dir} on host ${runName(host, database)}\n`);
    const env = {
      ...process.env,
      ...(host === undefined ? {} : { STRAPI_HOST: host }),
      ...(database === undefined ? {} : { DUO_TEST_DB: database }),
    };
    const files = filesFor(name, host, names).map((file) => join(dir, file));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const counter = testCounter();
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      counter.push(chunk);
    });
    child.on('close', (code) => {
      resolve({
        host,
        database,
        code: code ?? 1,
        passed: counter.read('pass'),
        // A test cancelled by its failing hook did not pass: it counts as failed.
        failed: counter.read('fail') + counter.read('cancelled'),
        skipped: counter.read('skipped') + counter.read('todo'),
      });
    });
  });
}

(async () => {
  const runs = [];
  for (const host of hostsFor(name)) {
    for (const database of databasesFor(name)) runs.push(await runOnce(host, database));
  }

  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  const passed = sum('passed');
  const failed = sum('failed');
  const skipped = sum('skipped');
  let status = 0;
  for (const run of runs) {
    const where = run.host === undefined ? dir : `${dir} on ${runName(run.host, run.database)}`;
    if (runs.length > 1) process.stdout.write(`\n${where}: ${run.passed} passed, ${run.failed} failed`);
    if (run.passed + run.failed === 0) {
      process.stdout.write(`\n${where}: no test ran`);
      status = 1;
    }
    if (run.code !== 0 && status === 0) status = run.code;
  }
  const hosts = runs.length > 1 ? ` (${runs.map((run) => runName(run.host, run.database)).join(' + ')})` : '';
  if (name === 'faults') process.stdout.write(`\n${passed + failed} cases, ${passed} held${hosts}\n`);
  else process.stdout.write(`\n${dir}: ${passed} passed, ${failed} failed${hosts}\n`);
  // The totals again in the test runner's own words, so a caller that reads them (scripts/test.js) gets the sum of
  // every host's run, not the last run's.
  process.stdout.write(`ℹ pass ${passed}\nℹ fail ${failed}\nℹ cancelled 0\nℹ skipped ${skipped}\nℹ todo 0\n`);
  process.exit(status);
})();
