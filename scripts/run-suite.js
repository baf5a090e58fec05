#!/usr/bin/env node
'use strict';

/**
 * Runs one folder of tests (tests/<name>/*.test.ts) in band with Node's test runner and closes with its own
 * summary line; `faults` closes with "N cases, N held" as the fault matrix promises. Exit status is the runner's,
 * and a folder where nothing ran fails: a suite must never pass by being empty.
 */
const { spawn } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const { testCounter } = require('./lib/test-counts');

const root = join(__dirname, '..');
const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: node scripts/run-suite.js <folder under tests/>\n');
  process.exit(2);
}
const dir = join('tests', name);
const files = readdirSync(join(root, dir))
  .filter((file) => file.endsWith('.test.ts'))
  .sort()
  .map((file) => join(dir, file));
if (files.length === 0) {
  process.stdout.write(`${dir}: no test files\n`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const counter = testCounter();
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  counter.push(chunk);
});
child.on('close', (code) => {
  const passed = counter.read('pass');
  const failed = counter.read('fail');
  const cases = passed + failed;
  if (name === 'faults') process.stdout.write(`\n${cases} cases, ${passed} held\n`);
  else process.stdout.write(`\n${dir}: ${passed} passed, ${failed} failed\n`);
  process.exit(cases === 0 ? 1 : (code ?? 1));
});
