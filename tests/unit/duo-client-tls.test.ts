import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { DuoError } from '../../server/src/duo/errors';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { makeTestCertificates, type TestCertificates } from '../helpers/test-ca';

let certs: TestCertificates;
let sandbox: DuoSandbox;

before(async () => {
  certs = makeTestCertificates();
  sandbox = await startDuoSandbox({ port: 0, tls: { key: certs.key, cert: certs.cert } });
});

after(async () => {
  await sandbox.close();
});

function client(ca?: string, proxy?: string): DuoAuthClient {
  return new DuoAuthClient({
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: `https://localhost:${sandbox.port}`,
    production: false,
    ...(ca === undefined ? {} : { ca }),
    ...(proxy === undefined ? {} : { proxy }),
  });
}

/** A minimal CONNECT proxy that records which hosts it tunnelled to. */
async function startConnectProxy(): Promise<{ server: Server; url: string; tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, clientSocket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, tunnels };
}

describe('TLS to Duo', () => {
  it('verifies the server against a configured CA (a corporate proxy root or a sandbox test CA)', async () => {
    const duo = client(certs.ca);
    try {
      const check = await duo.check();
      assert.ok(check.time > 0);
    } finally {
      await duo.close();
    }
  });

  it('refuses a certificate no trusted CA signed, as Duo being unavailable', async () => {
    const duo = client();
    try {
      await duo.check();
      assert.fail('an untrusted certificate was accepted');
    } catch (error) {
      assert.ok(error instanceof DuoError);
      assert.equal(error.reason, 'unavailable');
      assert.match(error.message, /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i);
    } finally {
      await duo.close();
    }
  });

  it('tunnels through an HTTPS proxy and still verifies the certificate against the Duo host', async () => {
    const proxy = await startConnectProxy();
    const duo = client(certs.ca, proxy.url);
    try {
      const check = await duo.check();
      assert.ok(check.time > 0);
      assert.deepEqual(proxy.tunnels, [`localhost:${sandbox.port}`]);
    } finally {
      await duo.close();
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });
});
