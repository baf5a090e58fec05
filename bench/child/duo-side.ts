/**
 * The Duo side of the bench, in its own process so that Duo's work never runs on the load generator's event loop:
 * the sandbox over TLS under a Duo hostname (what the Strapi app calls), a CONNECT proxy in front of it (the
 * plugin's `proxy` option: how the app reaches that hostname on this machine), and a plain-HTTP sandbox for the
 * signing measurement. Controlled over IPC by bench/run.ts.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

import { startDuoSandbox, type DuoSandbox, type UserSpec } from '../../server/src/sandbox';
import { serveIpc } from '../lib/ipc';

export interface DuoSideInfo {
  readonly tlsPort: number;
  readonly httpUrl: string;
  readonly proxyUrl: string;
  readonly ikey: string;
  readonly skey: string;
}

export interface DuoSideStats {
  readonly connections: number;
  readonly requests: number;
  readonly byPath: Readonly<Record<string, number>>;
  /** CONNECT tunnels the proxy opened (one per TCP connection the app made to "Duo"). */
  readonly tunnels: number;
}

interface ProxyHandle {
  readonly server: Server;
  readonly url: string;
  tunnels: number;
}

async function startProxy(targetPort: number): Promise<ProxyHandle> {
  const server = createServer((_req, res) => res.writeHead(405).end());
  const handle: ProxyHandle = { server, url: '', tunnels: 0 };
  server.on('connect', (_req, clientSocket: Socket, head: Buffer) => {
    handle.tunnels += 1;
    // Every tunnel goes to the sandbox, whatever host it names: this stands in for DNS answering the Duo hostname.
    const upstream = connect(targetPort, '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.setNoDelay(true);
    clientSocket.setNoDelay(true);
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
    upstream.on('close', () => clientSocket.destroy());
    clientSocket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(handle, { url: `http://127.0.0.1:${port}` });
}

async function main(): Promise<void> {
  const hostname = process.env.BENCH_DUO_HOSTNAME ?? '';
  const key = process.env.BENCH_TLS_KEY ?? '';
  const cert = process.env.BENCH_TLS_CERT ?? '';
  if (hostname === '' || key === '' || cert === '') throw new Error('duo-side: hostname and TLS material are required');
  // A push nobody answers waits this long: the "500 waiting logins" ramp takes longer than Duo's 60 s.
  const common = { port: 0, pushTimeoutMs: 600_000 } as const;
  const tls: DuoSandbox = await startDuoSandbox({ ...common, apiHostname: hostname, tls: { key, cert } });
  const plain: DuoSandbox = await startDuoSandbox({ ...common, ikey: tls.ikey, skey: tls.skey });
  const proxy = await startProxy(tls.port);

  const info: DuoSideInfo = {
    tlsPort: tls.port,
    httpUrl: plain.url,
    proxyUrl: proxy.url,
    ikey: tls.ikey,
    skey: tls.skey,
  };
  const sandboxOf = (payload: unknown): DuoSandbox => (payload === 'http' ? plain : tls);

  serveIpc({
    info: () => info,
    addUsers: (payload) => {
      for (const spec of payload as UserSpec[]) if (tls.user(spec.username) === undefined) tls.addUser(spec);
      return null;
    },
    stats: (payload): DuoSideStats => ({ ...sandboxOf(payload).stats(), tunnels: proxy.tunnels }),
    resetStats: (payload) => {
      sandboxOf(payload).resetStats();
      proxy.tunnels = 0;
      return null;
    },
    setPushResponse: (payload) => {
      const { usernames, pushResponse } = payload as { usernames: string[]; pushResponse: 'manual' | 'approve' };
      for (const username of usernames) tls.updateUser(username, { pushResponse, pushDelayMs: 0 });
      return null;
    },
    pendingPushes: () => tls.pendingPushes().length,
    cpu: () => process.cpuUsage(),
    approveAll: () => {
      const pushes = tls.pendingPushes();
      for (const push of pushes) tls.approve(push.txid);
      return pushes.length;
    },
    close: async () => {
      proxy.server.closeAllConnections();
      proxy.server.close();
      await Promise.all([tls.close(), plain.close()]);
      setImmediate(() => process.exit(0));
      return null;
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// The bench went away: do not linger.
process.on('disconnect', () => process.exit(0));
