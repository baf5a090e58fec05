/**
 * npm run bench: the cost of the plugin, measured as ratios against the same app without it (see bench/README.md).
 *
 * Environment: BENCH_QUICK=1 (fewer rounds, a smoke run), BENCH_ONLY=1,3 (some measurements only),
 * BENCH_CPU_PROF=1 (--cpu-prof in both Strapi children, profiles in bench-results/profiles).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { InterleaveOptions } from './lib/interleave';
import { machine } from './lib/machine';
import { formatMarkdown, formatTable, type Row } from './lib/report';
import { measureConnections } from './measures/duo-connections';
import { measureDuoLogin } from './measures/duo-login';
import { measurePlainLogin } from './measures/plain-login';
import { measureRequests } from './measures/requests';
import { measureSigning } from './measures/signing';
import { measureWaitingLogins } from './measures/waiting-logins';
import { ensureBuilds, RESULTS_DIR, startEnvironment } from './setup/environment';

const quick = process.env.BENCH_QUICK === '1';
const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5,6').split(',').map((s) => s.trim()));

const plan = {
  requests: { warmupRounds: 3, rounds: quick ? 5 : 30, perRound: 20 },
  plainLogin: { warmupRounds: 2, rounds: quick ? 3 : 15, perRound: 4 },
  duoLogin: { warmupRounds: 2, rounds: quick ? 3 : 15, perRound: 4 },
  signing: { warmupRounds: 2, rounds: quick ? 4 : 20, perRound: 200 },
  waitingLogins: Number(process.env.BENCH_WAITING ?? (quick ? 100 : 500)),
  waitWindowMs: quick ? 3_000 : 10_000,
} satisfies Record<string, InterleaveOptions | number>;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machineAtStart = machine();
  log(
    `Node ${machineAtStart.node}, ${machineAtStart.cpus} CPUs (${machineAtStart.cpuModel}), load ${machineAtStart.loadAverage.join(' ')}`,
  );
  ensureBuilds(log);
  const env = await startEnvironment({ plain: 4, duoFast: 4, duoWait: 25 }, log);
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  try {
    const step = async <T extends { rows: Row[]; data: unknown }>(id: string, title: string, run: () => Promise<T>) => {
      if (!only.has(id)) return;
      log(`${id}. ${title}`);
      const result = await run();
      rows.push(...result.rows);
      data[id] = result.data;
      for (const r of result.rows) log(`   ${r.id} ${r.what}: ${r.value} ${r.verdict === 'info' ? '' : r.verdict}`);
    };
    await step('1', 'requests that are not logins, plugin active vs absent', () => measureRequests(env, plan.requests));
    await step('2', 'login of a client who needs no Duo, active vs absent', () =>
      measurePlainLogin(env, plan.plainLogin),
    );
    await step('3', 'full Duo login vs plain login', () => measureDuoLogin(env, plan.duoLogin));
    await step('4', 'Duo calls and connections per Duo login', () => measureConnections(env));
    await step('5', 'signing overhead', () => measureSigning(env, plan.signing));
    await step('6', `${plan.waitingLogins} logins waiting on a push`, () =>
      measureWaitingLogins(env, plan.waitingLogins, plan.waitWindowMs),
    );
  } finally {
    await env.close();
  }
  const machineAtEnd = machine();
  const durationMs = performance.now() - started;
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    durationSeconds: Math.round(durationMs / 1000),
    quick,
    machine: { ...machineAtStart, loadAverageAtEnd: machineAtEnd.loadAverage },
    plan,
    rows,
    markdown: formatMarkdown(rows),
    data,
  };
  const file = join(RESULTS_DIR, 'bench.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const missed = rows.filter((r) => r.verdict === 'MISS').map((r) => r.id);
  log(
    `${rows.length} rows in ${Math.round(durationMs / 1000)} s; ${missed.length === 0 ? 'every target met' : `missed: ${missed.join(', ')}`}`,
  );
  log(`load average at the end: ${machineAtEnd.loadAverage.join(' ')}; results in ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
