import { duoCallsOfOneLogin, bcrypt, productionPathClient } from '../lib/duo-clients';
import { duoLogin, plainLogin } from '../lib/flows';
import { interleave, type InterleaveOptions } from '../lib/interleave';
import { ms, ratio, verdict, type Row } from '../lib/report';
import type { Summary } from '../lib/stats';
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
  try {
    const result = await interleave(
      {
        duoLogin: async () => void (await duoLogin(env.active.client, duoUser)),
        plainLogin: async () => void (await plainLogin(env.absent.client, plainUser)),
        duoCallsAlone: () => duoCallsOfOneLogin(duo, calloutUser.email),
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
      },
      {
        id: '3b',
        what: "Duo's share: the same 3 Duo calls alone (TLS, proxy, sandbox)",
        a: ms(calls.median),
        b: '',
        value: ms(calls.median),
        target: 'report',
        verdict: 'info',
      },
      {
        id: '3c',
        what: "bcrypt's share: one password check (bcryptjs, cost 10)",
        a: ms(b.median),
        b: '',
        value: ms(b.median),
        target: 'report',
        verdict: 'info',
      },
      {
        id: '3d',
        what: "plugin's own work: Duo login − Duo calls − plain login",
        a: ms(pluginOwnMs),
        b: ms(p.median),
        value: `${(data.pluginOwnShare * 100).toFixed(1)}% of plain login`,
        target: '≤ 10%',
        verdict: verdict(data.pluginOwnShare <= TARGET_SHARE),
      },
      {
        id: '3e',
        what: 'Duo login − Duo calls − bcrypt (Strapi’s own login work included)',
        a: ms(nonDuoNonBcryptMs),
        b: ms(p.median),
        value: `${(data.literalShare * 100).toFixed(1)}% of plain login`,
        target: '≤ 10%',
        verdict: verdict(data.literalShare <= TARGET_SHARE),
      },
    ];
    return { rows, data };
  } finally {
    await duo.close();
  }
}
