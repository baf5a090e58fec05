import { duoCallsOfOneLogin, bcrypt, productionPathClient } from '../lib/duo-clients';
import { performance } from 'node:perf_hooks';

import { awaitStep, duoPasswordStep, plainLogin, startPush } from '../lib/flows';
import { stringAt } from '../lib/http';
import { interleave, type InterleaveOptions } from '../lib/interleave';
import { ms, ratio, verdict, type Row } from '../lib/report';
import { median, type Summary } from '../lib/stats';
import type { Environment } from '../setup/environment';

const TARGET_SHARE = 0.1;

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
      },
      options,
    );
    const d = result.duoLogin!.summary;
    const p = result.plainLogin!.summary;
    const calls = result.duoCallsAlone!.summary;
    const b = result.bcrypt!.summary;
    const nonDuoNonBcryptMs = d.median - calls.median - b.median;
    const pluginOwnMs = d.median - calls.median - p.median;
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
    ];
    return { rows, data };
  } finally {
    await duo.close();
  }
}
