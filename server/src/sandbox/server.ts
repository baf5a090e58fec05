import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';

import { type AuthApiDeps, handleAuthApi } from './auth-api';
import { handleControl } from './control-routes';
import type { SandboxController } from './controller';
import { handleDevicePage } from './device-pages';
import { notFound } from './errors';
import { send, sendDuoError, sendJson } from './http';
import { LOGO_PNG } from './images';
import { type OAuthDeps, handleOAuth } from './oauth/endpoints';
import { phonePage } from './phone-page';
import type { StatsCounter } from './stats';

export interface ServerDeps {
  readonly authApi: AuthApiDeps;
  readonly oauth: OAuthDeps;
  readonly control: SandboxController;
  readonly stats: StatsCounter;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
}

export interface RunningServer {
  readonly server: Server | HttpsServer;
  readonly port: number;
  /** Destroys every socket, including hung and long-polling ones, and resolves once the server has closed. */
  close(): Promise<void>;
}

function splitUrl(url: string | undefined): { path: string; query: string } {
  const raw = url ?? '/';
  const mark = raw.indexOf('?');
  return mark < 0 ? { path: raw, query: '' } : { path: raw.slice(0, mark), query: raw.slice(mark + 1) };
}

async function dispatch(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const { path, query } = splitUrl(req.url);
  if (path.startsWith('/auth/v2/')) {
    deps.stats.authRequest(path);
    res.once('finish', () => deps.authApi.logger.info(`${req.method ?? ''} ${path} ${res.statusCode}`));
    await handleAuthApi(req, res, deps.authApi, path, query);
    return;
  }
  if (path.startsWith('/oauth/v1/')) {
    deps.stats.authRequest(path);
    res.once('finish', () => deps.authApi.logger.info(`${req.method ?? ''} ${path} ${res.statusCode}`));
    await handleOAuth(req, res, deps.oauth, path, query);
    return;
  }
  if (path.startsWith('/sandbox/')) {
    deps.stats.controlRequest();
    await handleControl(req, res, deps.control, path.slice('/sandbox/'.length), query);
    return;
  }
  if ((path === '/' || path === '/phone') && req.method === 'GET') {
    send(res, 200, phonePage(), 'text/html; charset=utf-8');
    return;
  }
  if (path === '/favicon.ico' && req.method === 'GET') {
    send(res, 200, LOGO_PNG, 'image/png');
    return;
  }
  if (handleDevicePage(req, res, deps.authApi.state, path, query)) return;
  sendDuoError(res, notFound());
}

export function startServer(deps: ServerDeps, host: string, port: number): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    dispatch(req, res, deps).catch((error: unknown) => {
      deps.authApi.logger.warn(
        `sandbox error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (error instanceof URIError) sendJson(res, 400, { error: 'Malformed URL' });
      else sendJson(res, 500, { error: 'Sandbox internal error' });
    });
  };
  const server: Server | HttpsServer = deps.tls
    ? createHttpsServer({ key: deps.tls.key, cert: deps.tls.cert }, handler)
    : createHttpServer(handler);

  // 'connection' fires for each accepted TCP socket (before TLS), which is what connection reuse is about.
  server.on('connection', (socket: Socket) => {
    deps.stats.connection();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actualPort = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        server,
        port: actualPort,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
