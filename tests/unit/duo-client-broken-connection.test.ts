import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { DuoError } from '../../server/src/duo/errors';

/**
 * A Duo stand-in whose connections break when they are reused, as a load balancer's do when it closes an idle
 * kept-alive connection just as the client sends on it: each connection answers its first request and is cut on
 * the second. (`cutEverything` cuts every request: Duo really unreachable.)
 */
let server: Server;
let origin: string;
let cutEverything = false;
const seen: Array<{ method: string; path: string; connection: number }> = [];
const sockets = new Map<Socket, { id: number; requests: number }>();

const REPLIES: Record<string, unknown> = {
  '/auth/v2/ping': { stat: 'OK', response: { time: Math.floor(Date.now() / 1000) } },
  '/auth/v2/preauth': { stat: 'OK', response: { result: 'allow', status_msg: 'Allowing unknown user' } },
};

before(async () => {
  server = createServer((request, response) => {
    const socket = request.socket;
    const state = sockets.get(socket) ?? { id: sockets.size + 1, requests: 0 };
    sockets.set(socket, state);
    state.requests += 1;
    const path = (request.url ?? '').split('?')[0] ?? '';
    seen.push({ method: request.method ?? '', path, connection: state.id });
    request.resume();
    request.on('end', () => {
      if (cutEverything || state.requests > 1) {
        socket.destroy();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(REPLIES[path] ?? { stat: 'FAIL', code: 40401, message: 'Resource not found' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  cutEverything = false;
});

function client(): DuoAuthClient {
  return new DuoAuthClient({
    integrationKey: 'DIXXXXXXXXXXXXXXXXXX',
    secretKey: 'x'.repeat(40),
    apiHostname: origin,
    production: false,
    timeouts: { shortMs: 3_000 },
  });
}

describe('a connection that breaks under a request', () => {
  it('a GET is sent once more on a fresh connection, and answers', async () => {
    const duo = client();
    try {
      await duo.ping();
      await duo.ping();
      assert.deepEqual(
        seen.map((s) => `${s.method} ${s.path}`),
        ['GET /auth/v2/ping', 'GET /auth/v2/ping', 'GET /auth/v2/ping'],
      );
      assert.equal(seen.length, 3, 'the second ping was cut once, then sent again');
      assert.equal(seen[1]?.connection, seen[0]?.connection, 'the cut request went out on the reused connection');
      assert.notEqual(seen[2]?.connection, seen[1]?.connection, 'it was sent again on a fresh connection');
    } finally {
      await duo.close();
    }
  });

  it('a POST is never sent twice (Duo may have acted on it): the caller gets "unavailable"', async () => {
    const duo = client();
    try {
      await duo.preauth({ username: 'someone' });
      await assert.rejects(
        () => duo.preauth({ username: 'someone' }),
        (error: unknown) => error instanceof DuoError && error.reason === 'unavailable',
      );
      assert.deepEqual(
        seen.map((s) => s.method),
        ['POST', 'POST'],
      );
    } finally {
      await duo.close();
    }
  });

  it('a GET is sent twice at most: Duo really unreachable is "unavailable", at once', async () => {
    cutEverything = true;
    const duo = client();
    try {
      await assert.rejects(
        () => duo.ping(),
        (error: unknown) => error instanceof DuoError && error.reason === 'unavailable',
      );
      assert.equal(seen.length, 2);
    } finally {
      await duo.close();
    }
  });
});
