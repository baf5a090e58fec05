import type { LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';

import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export interface DuoTransportOptions {
  /**
   * Extra trusted CA certificate(s), PEM: a corporate TLS-inspecting proxy's root, or a sandbox's test CA.
   * They are added to Node's trusted roots, not substituted for them.
   */
  readonly ca?: string | readonly string[];
  /** An HTTP(S) proxy URL; requests tunnel through it with CONNECT and TLS is verified against Duo's host. */
  readonly proxy?: string;
  /**
   * Resolves Duo's host name instead of the system resolver (same contract as `dns.lookup`). Not used with `proxy`:
   * then the proxy resolves Duo's name.
   */
  readonly lookup?: LookupFunction;
  /** Connections per origin (default 16); `null`: as many as there are calls in flight. */
  readonly connections?: number | null;
  /** Upper bound for any single response; call timeouts are normally shorter and enforced by AbortSignal. */
  readonly maxResponseMs: number;
}

/**
 * One dispatcher per client: connections to Duo are kept alive and reused across calls, which saves a TLS
 * handshake on every login step.
 */
export function createDispatcher(options: DuoTransportOptions): Dispatcher {
  const extra = options.ca === undefined ? [] : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  const ca = extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
  // Given `ca`, Node builds a TLS context on every connection, parsing all ~140 roots again (about 1.7 MB of native
  // memory and milliseconds of CPU each). Built once here, every connection of this dispatcher shares it.
  const secureContext = ca === undefined ? undefined : createSecureContext({ ca });
  const timeouts = {
    headersTimeout: options.maxResponseMs,
    bodyTimeout: options.maxResponseMs,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connections: options.connections === undefined ? 16 : options.connections,
  };
  if (options.proxy !== undefined) {
    return new ProxyAgent({
      uri: options.proxy,
      ...timeouts,
      ...(secureContext === undefined ? {} : { requestTls: { secureContext } }),
    });
  }
  return new Agent({
    ...timeouts,
    connect: {
      timeout: 10_000,
      ...(secureContext === undefined ? {} : { secureContext }),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    },
  });
}
