#!/usr/bin/env node
'use strict';

/**
 * `npm test`: every check in order, then one closing line with the totals of all test suites
 * ("tests: N passed, N failed"), which CI reads. Stops at the first failing step but still prints the totals.
 * The in-process suites run once per Strapi host (scripts/run-suite.js, scripts/lib/hosts.js); their totals are
 * the sums over the hosts.
 */
const { spawn } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const { testCounter } = require('./lib/test-counts');

const root = join(__dirname, '..');
// Ordered fastest-first so a broken build or unit fails in seconds; the proofs (faults, hostile input, load,
// several instances on PostgreSQL) run before the browser suite.
const suites = [
  'tests/unit',
  'tests/integration',
  'tests/faults',
  'tests/hostile',
  'tests/load',
  'tests/multi-instance',
  'tests/browser',
];

const steps = [
  { name: 'build', cmd: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'] },
  ...suites.map((dir) => ({
    name: dir,
    cmd: 'npm',
    args: ['run', '--silent', `test:${dir.split('/')[1]}`],
    counts: true,
  })),
];

const totals = { passed: 0, failed: 0, skipped: 0 };

function run(step) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${step.name}\n`);
    const child = spawn(step.cmd, step.args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const counter = testCounter();
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      counter.push(chunk);
    });
    child.on('close', (code) => {
      if (step.counts) {
        const passed = counter.read('pass');
        // A test cancelled by its failing hook is neither passed nor skipped: it is counted as failed.
        const failed = counter.read('fail') + counter.read('cancelled');
        const skipped = counter.read('skipped') + counter.read('todo');
        totals.passed += passed;
        totals.failed += failed;
        totals.skipped += skipped;
        // A suite that ran nothing is a failure: a missing tool must never pass silently.
        if (passed + failed === 0 && code === 0) {
          process.stdout.write(`${step.name}: no test ran\n`);
          resolve(1);
          return;
        }
      }
      resolve(code ?? 1);
    });
  });
}

const figuresFile = join(root, 'test-results', 'figures.txt');

(async () => {
  // Figures (load latencies, inputs tried, brute-force stops) are appended by the suites; start from none.
  rmSync(figuresFile, { force: true });
  let status = 0;
  let notRun = [];
  for (const [index, step] of steps.entries()) {
    status = await run(step);
    if (status !== 0) {
      process.stdout.write(`\n${step.name} failed (exit ${status})\n`);
      notRun = steps.slice(index + 1).map((later) => later.name);
      break;
    }
  }
  if (totals.skipped > 0) {
    process.stdout.write(`\n${totals.skipped} test(s) were skipped: skipped tests do not count as passing\n`);
    if (status === 0) status = 1;
  }
  if (existsSync(figuresFile)) {
    process.stdout.write(`\n=== figures\n${readFileSync(figuresFile, 'utf8')}`);
  }
  // The suites a failure stopped are named in the closing line: totals from a partial run must not look whole.
  const summary =
    `tests: ${totals.passed} passed, ${totals.failed} failed` +
    (notRun.length > 0 ? `; not run: ${notRun.join(', ')}` : '');
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(join(root, 'test-results', 'summary.txt'), `${summary}\n`);
  process.stdout.write(`\n${summary}\n`);
  process.exit(status);
})();
