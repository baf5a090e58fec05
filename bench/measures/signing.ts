import type { DuoAuthClient } from '../../server/src/duo/client';
import { loopbackClient, productionPathClient } from '../lib/duo-clients';
import { interleave, type InterleaveOptions } from '../lib/interleave';
import { ratio, verdict, type Row } from '../lib/report';
import { median } from '../lib/stats';
import type { Environment } from '../setup/environment';

const TARGET = 0.9;

/** CPU time per call, in µs, on each side: who pays for the signature. */
export interface CpuPerCall {
  readonly clientSigned: number;
  readonly clientUnsigned: number;
  readonly sandboxSigned: number;
  readonly sandboxUnsigned: number;
}

export interface SigningData {
  readonly path: string;
  readonly cpuMicros: CpuPerCall;
  readonly signedPerSecond: number;
  readonly unsignedPerSecond: number;
  readonly ratio: number;
  readonly connections: number;
}

/**
 * Signed calls (`/auth/v2/check`: HMAC-SHA512 v5 signature, checked by the sandbox) vs unsigned ones
 * (`/auth/v2/ping`) through one DuoAuthClient with a single kept-alive connection (measurement 5).
 */
async function measureOne(
  env: Environment,
  label: string,
  which: 'tls' | 'http',
  client: DuoAuthClient,
  options: InterleaveOptions,
): Promise<SigningData> {
  try {
    await client.ping();
    await env.duo.resetStats(which);
    const result = await interleave(
      { signed: async () => void (await client.check()), unsigned: async () => void (await client.ping()) },
      options,
    );
    const stats = await env.duo.stats(which);
    const cpuMicros = await cpuPerCall(env, client);
    const signedPerSecond = 1000 / result.signed!.summary.mean;
    const unsignedPerSecond = 1000 / result.unsigned!.summary.mean;
    return {
      path: label,
      cpuMicros,
      signedPerSecond,
      unsignedPerSecond,
      ratio: signedPerSecond / unsignedPerSecond,
      connections: stats.connections,
    };
  } finally {
    await client.close();
  }
}

async function cpuPerCall(env: Environment, client: DuoAuthClient): Promise<CpuPerCall> {
  const CALLS = 500;
  const BLOCKS = 5;
  const block = async (call: () => Promise<unknown>) => {
    const sandbox0 = await env.duo.child.ipc.request<NodeJS.CpuUsage>('cpu');
    const client0 = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await call();
    const client1 = process.cpuUsage(client0);
    const sandbox1 = await env.duo.child.ipc.request<NodeJS.CpuUsage>('cpu');
    return {
      client: (client1.user + client1.system) / CALLS,
      sandbox: (sandbox1.user + sandbox1.system - sandbox0.user - sandbox0.system) / CALLS,
    };
  };
  // Alternating blocks, median of each: CPU time is coarse and other processes disturb single blocks.
  const signed: Array<{ client: number; sandbox: number }> = [];
  const unsigned: Array<{ client: number; sandbox: number }> = [];
  for (let i = 0; i < BLOCKS; i++) {
    signed.push(await block(() => client.check()));
    unsigned.push(await block(() => client.ping()));
  }
  return {
    clientSigned: median(signed.map((b) => b.client)),
    clientUnsigned: median(unsigned.map((b) => b.client)),
    sandboxSigned: median(signed.map((b) => b.sandbox)),
    sandboxUnsigned: median(unsigned.map((b) => b.sandbox)),
  };
}

export async function measureSigning(
  env: Environment,
  options: InterleaveOptions,
): Promise<{ rows: Row[]; data: SigningData[] }> {
  const data = [
    await measureOne(env, 'plain HTTP, loopback', 'http', loopbackClient(env, 1), options),
    await measureOne(env, 'production path (TLS via proxy)', 'tls', productionPathClient(env, 1), options),
  ];
  const rows = data.flatMap((d, i): Row[] => [
    {
      id: i === 0 ? '5a' : '5b',
      what: `signed Duo calls/s vs unsigned, one kept-alive connection (${d.path})`,
      a: `${d.signedPerSecond.toFixed(0)}/s`,
      b: `${d.unsignedPerSecond.toFixed(0)}/s`,
      value: `${ratio(d.ratio)} (${d.connections} new connection${d.connections === 1 ? '' : 's'})`,
      target: `≥ ${TARGET.toFixed(2)}`,
      verdict: verdict(d.ratio >= TARGET),
      figure: { value: d.ratio, unit: 'ratio', min: TARGET },
    },
    {
      id: i === 0 ? '5a′' : '5b′',
      what: '  CPU per call, signed vs unsigned: client (plugin) / sandbox (test double)',
      a: `${d.cpuMicros.clientSigned.toFixed(0)} / ${d.cpuMicros.sandboxSigned.toFixed(0)} µs`,
      b: `${d.cpuMicros.clientUnsigned.toFixed(0)} / ${d.cpuMicros.sandboxUnsigned.toFixed(0)} µs`,
      value: `client +${(d.cpuMicros.clientSigned - d.cpuMicros.clientUnsigned).toFixed(0)} µs, sandbox +${(d.cpuMicros.sandboxSigned - d.cpuMicros.sandboxUnsigned).toFixed(0)} µs`,
      target: 'report',
      verdict: 'info',
    },
  ]);
  return { rows, data };
}
