import { compare, interleave, type Comparison, type InterleaveOptions } from '../lib/interleave';
import { plainLogin } from '../lib/flows';
import { ms, ratio, verdict, type Row } from '../lib/report';
import type { Environment } from '../setup/environment';

const TARGET = 1.05;

/** Login of a client who needs no Duo, plugin active vs absent (measurement 2). */
export async function measurePlainLogin(
  env: Environment,
  options: InterleaveOptions,
): Promise<{ rows: Row[]; data: Comparison }> {
  const user = env.users.plain[1] ?? env.users.plain[0];
  if (user === undefined) throw new Error('no plain client');
  const result = await interleave(
    {
      active: async () => void (await plainLogin(env.active.client, user)),
      absent: async () => void (await plainLogin(env.absent.client, user)),
    },
    options,
  );
  const c = compare(result.active!, result.absent!);
  return {
    data: c,
    rows: [
      {
        id: '2',
        what: 'login, client who needs no Duo',
        a: `${ms(c.a.median)} (p99 ${ms(c.a.p99)})`,
        b: `${ms(c.b.median)} (p99 ${ms(c.b.p99)})`,
        value: `${ratio(c.ratioOfMedians)} (p99 ${ratio(c.ratioOfP99s)}, paired ${ratio(c.pairedRatio)})`,
        target: `≤ ${TARGET.toFixed(2)}`,
        verdict: verdict(c.ratioOfMedians <= TARGET),
        figure: { value: c.ratioOfMedians, unit: 'ratio', max: TARGET },
      },
    ],
  };
}
