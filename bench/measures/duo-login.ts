import { duoCallsOfOneLogin, bcrypt, productionPathClient } from '../lib/duo-clients';
import { performance } from 'node:perf_hooks';

import { awaitStep, duoPasswordStep, plainLogin, startPush } from '../lib/flows';
import { stringAt } from '../lib/http';
import { interleave, type InterleaveOptions } from '../lib/interleave';
import { ms, ratio, verdict, type Row } from '../lib/report';
import { sqliteCommit } from '../lib/sqlite-commit';
import { median, type Summary } from '../lib/stats';
import type { Environment } from '../setup/environment';

const TARGET_SHARE = 0.1;
/** A Duo push login's commits: the password step one, the push two, the status request one (step-commits test). */
const COMMITS_PER_DUO_LOGIN = 4;
/** What a Duo push login sends besides the password step a plain login sends too: the push, the status. */
const EXTRA_REQUESTS = 2;
/**
 * The statements a Duo push login sends to the plugin's tables (Duo already on): 7 in the password step, 3 in the
 * push, 6 in the status request, as tests/integration/step-commits.test.ts counts them on both hosts.
 */
const PLUGIN_STATEMENTS = 16;

export interface DuoLoginData {
  readonly duoLogin: Summary;
  readonly plainLogin: Summary;
  readonly duoCallsAlone: Summary;
  readonly bcrypt: Summary;
  readonly ratio: number;
  /** Duo login − Duo calls − bcrypt: everything but Duo and the password hash, Strapi's own login work included. */
  readonly nonDuoNonBcryptMs: number;
  /** Duo login − Duo calls − plain login: what the plugin adds to Strapi's login besides waiting for Duo. */
  readonly pluginOwnMs: number;
  readonly pluginOwnShare: number;
  readonly literalShare: number;
  /** Medians of the Duo login's three requests, each timed on its own (warm-up included). */
  readonly phasesMs: { readonly password: number; readonly push: number; readonly status: number };
  /** A request Strapi answers at once (the status request's path and body, on the app without the plugin: 405). */
  readonly bareRequest: Summary;
  /** One single-row SQLite commit on the apps' disk, outside Strapi. */
  readonly commit: Summary;
  /** The two extra requests and the four commits alone, with no other work: the protocol's floor. */
  readonly floorMs: number;
  readonly floorShare: number;
  /** One statement through Strapi's query engine in the plugin app (a row by id), median of five batches. */
  readonly statementMs: number;
  /** The floor and the plugin's statements at that cost: what is left is the plugin's own code. */
  readonly floorWithStatementsShare: number;
}

/**
 * Full Duo login on the plugin app vs a plain login on the app without it (measurement 3), interleaved with the
 * same Duo calls made from outside Strapi (Duo's share: network, TLS, proxy, sandbox) and with the password hash
 * check alone (bcrypt's share).
 */
export async function measureDuoLogin(
  env: Environment,
  options: InterleaveOptions,
): Promise<{ rows: Row[]; data: DuoLoginData }> {
  const duoUser = env.users.duoFast[0];
  const plainUser = env.users.plain[2] ?? env.users.plain[0];
  const calloutUser = env.users.duoFast[1] ?? duoUser;
  if (duoUser === undefined || plainUser === undefined || calloutUser === undefined) throw new Error('users missing');
  const duo = productionPathClient(env);
  const hashing = bcrypt();
  const hash = await hashing.hash(plainUser.password, 10);
  const phases = { password: [] as number[], push: [] as number[], status: [] as number[] };
  const probe = sqliteCommit(env.dbDir);
  try {
    const result = await interleave(
      {
        duoLogin: async () => {
          const t0 = performance.now();
          const stepId = await duoPasswordStep(env.active.client, duoUser);
          const t1 = performance.now();
          await startPush(env.active.client, stepId);
          const t2 = performance.now();
          stringAt(await awaitStep(env.active.client, stepId), 'jwt');
          phases.password.push(t1 - t0);
          phases.push.push(t2 - t1);
          phases.status.push(performance.now() - t2);
        },
        plainLogin: async () => void (await plainLogin(env.absent.client, plainUser)),
        duoCallsAlone: () => duoCallsOfOneLogin(duo, env.duoUsername(calloutUser.email)),
        bcrypt: async () => {
          if (!(await hashing.compare(plainUser.password, hash))) throw new Error('bcrypt mismatch');
        },
        bareRequest: async () => {
          const reply = await env.absent.client.call('/api/duo-security/step/status', {
            body: { step: 'x', wait: true },
          });
          // No such route there: Strapi's router answers it (405 for a POST, 404 for a GET) from its middlewares.
          if (reply.status !== 404 && reply.status !== 405)
            throw new Error(`the app without the plugin answered ${reply.status}, not 404 or 405`);
        },
        commit: async () => probe.commit(),
      },
      options,
    );
    const d = result.duoLogin!.summary;
    const p = result.plainLogin!.summary;
    const calls = result.duoCallsAlone!.summary;
    const b = result.bcrypt!.summary;
    const nonDuoNonBcryptMs = d.median - calls.median - b.median;
    const pluginOwnMs = d.median - calls.median - p.median;
    const bare = result.bareRequest!.summary;
    const commit = result.commit!.summary;
    const floorMs = EXTRA_REQUESTS * bare.median + COMMITS_PER_DUO_LOGIN * commit.median;
    const batches: number[] = [];
    for (let i = 0; i < 5; i += 1)
      batches.push(await env.active.child.ipc.request<number>('queryCost', { count: 100 }));
    const statementMs = median(batches);
    const data: DuoLoginData = {
      duoLogin: d,
      plainLogin: p,
      duoCallsAlone: calls,
      bcrypt: b,
      ratio: d.median / p.median,
      nonDuoNonBcryptMs,
      pluginOwnMs,
      pluginOwnShare: pluginOwnMs / p.median,
      literalShare: nonDuoNonBcryptMs / p.median,
      phasesMs: { password: median(phases.password), push: median(phases.push), status: median(phases.status) },
      bareRequest: bare,
      commit,
      floorMs,
      floorShare: floorMs / p.median,
      statementMs,
      floorWithStatementsShare: (floorMs + PLUGIN_STATEMENTS * statementMs) / p.median,
    };
    const rows: Row[] = [
      {
        id: '3a',
        what: 'full Duo login (password, preauth, push, status, token) vs plain login',
        a: `${ms(d.median)} (p99 ${ms(d.p99)})`,
        b: `${ms(p.median)} (p99 ${ms(p.p99)})`,
        value: `${ratio(data.ratio)}`,
        target: 'report',
        verdict: 'info',
        figure: { value: data.ratio, unit: 'ratio' },
      },
      {
        id: '3b',
        what: "Duo's share: the same 3 Duo calls alone (TLS, proxy, sandbox)",
        a: ms(calls.median),
        b: '',
        value: ms(calls.median),
        target: 'report',
        verdict: 'info',
        figure: { value: calls.median, unit: 'ms' },
      },
      {
        id: '3c',
        what: "bcrypt's share: one password check (bcryptjs, cost 10)",
        a: ms(b.median),
        b: '',
        value: ms(b.median),
        target: 'report',
        verdict: 'info',
        figure: { value: b.median, unit: 'ms' },
      },
      {
        id: '3d',
        what: "plugin's own work: Duo login − Duo calls − plain login",
        a: ms(pluginOwnMs),
        b: ms(p.median),
        value: `${(data.pluginOwnShare * 100).toFixed(1)}% of plain login`,
        target: '≤ 10%',
        verdict: verdict(data.pluginOwnShare <= TARGET_SHARE),
        figure: { value: data.pluginOwnShare * 100, unit: '%', max: TARGET_SHARE * 100 },
      },
      {
        id: '3e',
        what: 'Duo login − Duo calls − bcrypt (Strapi’s own login work included)',
        a: ms(nonDuoNonBcryptMs),
        b: ms(p.median),
        value: `${(data.literalShare * 100).toFixed(1)}% of plain login`,
        target: '≤ 10%',
        verdict: verdict(data.literalShare <= TARGET_SHARE),
        figure: { value: data.literalShare * 100, unit: '%', max: TARGET_SHARE * 100 },
      },
      {
        id: '3f',
        what: "the Duo login's requests: password step (preauth inside) / push / status (token)",
        a: `${ms(data.phasesMs.password)} / ${ms(data.phasesMs.push)} / ${ms(data.phasesMs.status)}`,
        b: ms(p.median),
        value: `push + status ${ms(data.phasesMs.push + data.phasesMs.status)}`,
        target: 'report',
        verdict: 'info',
        figure: { value: data.phasesMs.push + data.phasesMs.status, unit: 'ms' },
      },
      {
        id: '3g',
        what: `the protocol's floor: ${EXTRA_REQUESTS} requests Strapi answers at once + ${COMMITS_PER_DUO_LOGIN} single-row SQLite commits`,
        a: `${EXTRA_REQUESTS} × ${ms(bare.median)} + ${COMMITS_PER_DUO_LOGIN} × ${ms(commit.median)} = ${ms(floorMs)}`,
        b: ms(p.median),
        value: `${(data.floorShare * 100).toFixed(1)}% of plain login`,
        target: 'report',
        verdict: 'info',
        figure: { value: data.floorShare * 100, unit: '%' },
      },
      {
        id: '3h',
        what: `3g + the plugin's ${PLUGIN_STATEMENTS} statements, each at one query-engine statement's cost in this app`,
        a: `${ms(floorMs)} + ${PLUGIN_STATEMENTS} × ${ms(statementMs)}`,
        b: ms(p.median),
        value: `${(data.floorWithStatementsShare * 100).toFixed(1)}% of plain login`,
        target: 'report',
        verdict: 'info',
        figure: { value: data.floorWithStatementsShare * 100, unit: '%' },
      },
    ];
    return { rows, data };
  } finally {
    probe.close();
    await duo.close();
  }
}
