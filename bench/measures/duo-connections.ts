import { duoLogin } from '../lib/flows';
import { AppClient } from '../lib/http';
import { verdict, type Row } from '../lib/report';
import type { DuoSideStats } from '../child/duo-side';
import type { Environment } from '../setup/environment';

/** The plugin's Duo dispatcher keeps this many connections per origin (server/src/duo/transport.ts). */
export const POOL_SIZE = 16;
/** preauth (is Duo needed, which devices), auth (start the push, async), auth_status (the answer). */
export const PROTOCOL_MINIMUM = 3;

export interface ConnectionData {
  readonly logins: number;
  readonly concurrency: number;
  readonly stats: DuoSideStats;
  readonly callsPerLogin: number;
}

async function run(env: Environment, logins: number, concurrency: number): Promise<ConnectionData> {
  const clients = Array.from({ length: concurrency }, () => new AppClient(env.active.baseUrl));
  const users = env.users.duoFast;
  try {
    // Warm-up at the same concurrency: the pool grows to what the load needs, then stays.
    await Promise.all(clients.map((c, i) => duoLogin(c, users[i % users.length]!)));
    await env.duo.resetStats();
    let next = 0;
    await Promise.all(
      clients.map(async (client, i) => {
        while (next < logins) {
          next += 1;
          await duoLogin(client, users[i % users.length]!);
        }
      }),
    );
    const stats = await env.duo.stats();
    return { logins, concurrency, stats, callsPerLogin: stats.requests / logins };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Duo round trips per Duo login and new connections per 100 Duo logins after warm-up (measurement 4). */
export async function measureConnections(env: Environment): Promise<{ rows: Row[]; data: ConnectionData[] }> {
  const sequential = await run(env, 100, 1);
  const concurrent = await run(env, 100, 8);
  const paths = (d: ConnectionData) =>
    Object.entries(d.stats.byPath)
      .map(([path, n]) => `${path.replace('/auth/v2/', '')} ${(n / d.logins).toFixed(2)}`)
      .join(', ');
  const rows: Row[] = [
    {
      id: '4a',
      what: `Duo API calls per Duo login (protocol minimum ${PROTOCOL_MINIMUM})`,
      a: paths(sequential),
      b: '',
      value: sequential.callsPerLogin.toFixed(2),
      target: `= ${PROTOCOL_MINIMUM}`,
      verdict: verdict(sequential.callsPerLogin <= PROTOCOL_MINIMUM + 1e-9),
      figure: { value: sequential.callsPerLogin, unit: 'count', max: PROTOCOL_MINIMUM },
    },
  ];
  for (const d of [sequential, concurrent]) {
    rows.push({
      id: d.concurrency === 1 ? '4b' : '4c',
      what: `new TCP+TLS connections to Duo per 100 Duo logins (${d.concurrency === 1 ? 'one at a time' : `${d.concurrency} at once`})`,
      a: `${d.stats.connections} (proxy tunnels ${d.stats.tunnels})`,
      b: '',
      value: String(Math.round((d.stats.connections * 100) / d.logins)),
      target: `≤ ${POOL_SIZE} (pool size)`,
      verdict: verdict((d.stats.connections * 100) / d.logins <= POOL_SIZE),
      figure: { value: (d.stats.connections * 100) / d.logins, unit: 'count', max: POOL_SIZE },
    });
  }
  return { rows, data: [sequential, concurrent] };
}
