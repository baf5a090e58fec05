/**
 * npm run bench: the cost of the plugin, measured as ratios against the same app without it (see bench/README.md),
 * on each host (Strapi 4: playground/, Strapi 5: playground-v5/) in one run.
 *
 * Environment: BENCH_QUICK=1 (fewer rounds, a smoke run), BENCH_ONLY=1,3 (some measurements only),
 * BENCH_HOSTS=v4,v5 (which hosts), BENCH_RUNS=3 (the whole bench that many times, then the median and spread of
 * each figure), BENCH_CPU_PROF=1 (--cpu-prof in both Strapi children, profiles in bench-results/profiles).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { InterleaveOptions } from './lib/interleave';
import { machine } from './lib/machine';
import { formatMarkdown, formatTable, summarise, type Row } from './lib/report';
import { measureConnections } from './measures/duo-connections';
import { measureDuoLogin } from './measures/duo-login';
import { measurePlainLogin } from './measures/plain-login';
import { measureRequests } from './measures/requests';
import { measureSigning } from './measures/signing';
import { measureWaitingLogins } from './measures/waiting-logins';
import { BENCH_HOSTS, ensureBuilds, RESULTS_DIR, startEnvironment, type BenchHost } from './setup/environment';

const quick = process.env.BENCH_QUICK === '1';
const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5,6').split(',').map((s) => s.trim()));
const hosts = (process.env.BENCH_HOSTS ?? BENCH_HOSTS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter((h): h is BenchHost => {
    if ((BENCH_HOSTS as readonly string[]).includes(h)) return true;
    throw new Error(`BENCH_HOSTS: ${h} is not one of ${BENCH_HOSTS.join(', ')}`);
  });
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));

const plan = {
  requests: { warmupRounds: 3, rounds: quick ? 5 : 30, perRound: 20 },
  plainLogin: { warmupRounds: 2, rounds: quick ? 3 : 15, perRound: 4 },
  duoLogin: { warmupRounds: 2, rounds: quick ? 3 : 15, perRound: 4 },
  signing: { warmupRounds: 2, rounds: quick ? 4 : 20, perRound: 200 },
  waitingLogins: Number(process.env.BENCH_WAITING ?? (quick ? 100 : 500)),
  waitWindowMs: quick ? 3_000 : 10_000,
} satisfies Record<string, InterleaveOptions | number>;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Every measurement on one host: two fresh apps, measured, closed. */
async function benchHost(host: BenchHost, log: (line: string) => void): Promise<{ rows: Row[]; data: unknown }> {
  const env = await startEnvironment(host, { plain: 4, duoFast: 4, duoWait: 25 }, log);
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
  return { rows, data };
}

const HOST_TITLE: Record<BenchHost, string> = {
  v4: 'Strapi 4 (playground)',
  v5: 'Strapi 5 (playground-v5)',
};

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machineAtStart = machine();
  log(
    `Node ${machineAtStart.node}, ${machineAtStart.cpus} CPUs (${machineAtStart.cpuModel}), load ${machineAtStart.loadAverage.join(' ')}`,
  );
  log(`hosts ${hosts.join(', ')}; ${runs} run${runs === 1 ? '' : 's'}`);
  ensureBuilds(hosts, log);
  // Runs alternate the hosts (v4, v5, v4, v5…): a quiet or busy stretch of the machine is shared between them.
  const results = Object.fromEntries(hosts.map((h) => [h, [] as Array<{ rows: Row[]; data: unknown }>])) as Record<
    BenchHost,
    Array<{ rows: Row[]; data: unknown }>
  >;
  for (let run = 1; run <= runs; run++) {
    for (const host of hosts) {
      log(`${HOST_TITLE[host]}${runs === 1 ? '' : `, run ${run} of ${runs}`}`);
      results[host].push(await benchHost(host, log));
    }
  }
  const machineAtEnd = machine();
  const durationMs = performance.now() - started;
  const report: Record<string, unknown> = {
    startedAt,
    finishedAt: new Date().toISOString(),
    durationSeconds: Math.round(durationMs / 1000),
    quick,
    runs,
    machine: { ...machineAtStart, loadAverageAtEnd: machineAtEnd.loadAverage },
    plan,
    hosts: {},
  };
  const missed: string[] = [];
  for (const host of hosts) {
    const hostRuns = results[host];
    for (const [i, r] of hostRuns.entries()) {
      console.log('');
      console.log(`${HOST_TITLE[host]}${runs === 1 ? '' : `, run ${i + 1} of ${runs}`}`);
      console.log(formatTable(r.rows));
    }
    const summary = runs > 1 ? summarise(hostRuns.map((r) => r.rows)) : undefined;
    if (summary !== undefined) {
      console.log('');
      console.log(`${HOST_TITLE[host]}: median of ${runs} runs (min–max); the verdict is the median's`);
      console.log(formatTable(summary, true));
    }
    const final = summary ?? hostRuns[0]?.rows ?? [];
    missed.push(...final.filter((r) => r.verdict === 'MISS').map((r) => `${host} ${r.id}`));
    (report.hosts as Record<string, unknown>)[host] = {
      runs: hostRuns.map((r) => ({ rows: r.rows, markdown: formatMarkdown(r.rows), data: r.data })),
      ...(summary === undefined ? {} : { summary: { rows: summary, markdown: formatMarkdown(summary, true) } }),
    };
  }
  console.log('');
  const file = join(RESULTS_DIR, 'bench.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(
    `${hosts.join(' and ')}, ${runs} run${runs === 1 ? '' : 's'} in ${Math.round(durationMs / 1000)} s; ${missed.length === 0 ? 'every target met' : `missed: ${missed.join(', ')}`}`,
  );
  log(`load average at the end: ${machineAtEnd.loadAverage.join(' ')}; results in ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
