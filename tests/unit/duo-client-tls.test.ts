import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { DuoError } from '../../server/src/duo/errors';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { makeTestCa, type TestCa } from '../helpers/test-ca';

let certs: TestCa;
let sandbox: DuoSandbox;
/** The same Duo, its certificate signed by the trusted test CA but for another host name. */
let otherHost: DuoSandbox;
/** The same Duo, its certificate signed by the trusted test CA but expired. */
let expired: DuoSandbox;

before(async () => {
  certs = makeTestCa();
  sandbox = await startDuoSandbox({ port: 0, tls: certs.issue() });
  const keys = { ikey: sandbox.ikey, skey: sandbox.skey };
  otherHost = await startDuoSandbox({ port: 0, ...keys, tls: certs.issue({ hostname: 'api-other.example.com' }) });
  expired = await startDuoSandbox({ port: 0, ...keys, tls: certs.issue({ expired: true }) });
});

after(async () => {
  await Promise.all([sandbox.close(), otherHost.close(), expired.close()]);
});

function client(ca?: string, proxy?: string, port = sandbox.port): DuoAuthClient {
  return new DuoAuthClient({
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: `https://localhost:${port}`,
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

  async function refusal(duo: DuoAuthClient): Promise<DuoError> {
    try {
      await duo.check();
    } catch (error) {
      assert.ok(error instanceof DuoError, String(error));
      return error;
    } finally {
      await duo.close();
    }
    assert.fail('the certificate was accepted');
  }

  // Not an outage (`unavailable`, which fail open lets through) but `tls`: it is what someone in the middle looks like.
  it('refuses a certificate no trusted CA signed as a TLS refusal', async () => {
    const error = await refusal(client());
    assert.equal(error.reason, 'tls');
    assert.equal(error.isServiceFailure, false);
    assert.match(error.message, /TLS certificate was refused \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED)/);
  });

  it('refuses a certificate from the trusted CA for another host name as a TLS refusal', async () => {
    const error = await refusal(client(certs.ca, undefined, otherHost.port));
    assert.equal(error.reason, 'tls');
    assert.match(error.message, /ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.equal(otherHost.stats().requests, 0, 'no request went over the refused connection');
  });

  it('refuses an expired certificate from the trusted CA as a TLS refusal', async () => {
    const error = await refusal(client(certs.ca, undefined, expired.port));
    assert.equal(error.reason, 'tls');
    assert.match(error.message, /CERT_HAS_EXPIRED/);
    assert.equal(expired.stats().requests, 0, 'no request went over the refused connection');
  });

  it('a host answering plain HTTP on the TLS port is an outage, not a refused certificate', async () => {
    const plain = await startDuoSandbox({ port: 0 });
    try {
      const error = await refusal(client(certs.ca, undefined, plain.port));
      assert.equal(error.reason, 'unavailable');
    } finally {
      await plain.close();
    }
  });

  it('resolves the host name with an injected lookup instead of the system resolver', async () => {
    const asked: string[] = [];
    const duo = new DuoAuthClient({
      integrationKey: sandbox.ikey,
      secretKey: sandbox.skey,
      apiHostname: `https://localhost:${sandbox.port}`,
      production: false,
      ca: certs.ca,
      lookup: (hostname, options, callback) => {
        asked.push(hostname);
        // Any family the caller asks for: loopback IPv4 (the sandbox listens there).
        if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
    });
    try {
      assert.ok((await duo.check()).time > 0);
      assert.deepEqual(asked, ['localhost']);
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
