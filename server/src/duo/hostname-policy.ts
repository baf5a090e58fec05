import { isIP } from 'node:net';

import { DuoError } from './errors';

/**
 * Duo's Auth API lives on `api-XXXXXXXX.duosecurity.com` (commercial) and `api-XXXXXXXX.duofederal.com` (Duo Federal).
 * In production nothing else is accepted, so a stolen admin session cannot point the Secret Key at another server.
 */
const DUO_API_HOSTNAME = /^api-[a-z0-9]+\.(duosecurity|duofederal)\.com$/;

export interface DuoEndpoint {
  /** `https://host[:port]` or, for a loopback sandbox outside production, `http://host:port`. */
  readonly origin: string;
  /** What goes on the canonical text's host line: the bare hostname, lowercased, without port. */
  readonly canonicalHost: string;
}

export function isDuoApiHostname(hostname: string): boolean {
  return DUO_API_HOSTNAME.test(hostname.toLowerCase());
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

function configError(message: string): DuoError {
  return new DuoError({ reason: 'config', message });
}

/**
 * Turns the configured API hostname into where requests go. Accepts a bare hostname (HTTPS) or a URL; plain HTTP
 * only to a loopback host and only outside production.
 */
export function resolveDuoEndpoint(apiHostname: string, production: boolean): DuoEndpoint {
  const raw = apiHostname.trim();
  if (raw === '') throw configError('The Duo API hostname is empty');
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `https://${raw}`);
  } catch {
    throw configError('The Duo API hostname is not a valid hostname');
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash
  ) {
    throw configError('The Duo API hostname must be a bare hostname such as api-XXXXXXXX.duosecurity.com');
  }
  const hostname = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError('The Duo API hostname must use HTTPS');
  }
  if (url.protocol === 'http:' && (production || !isLoopbackHost(hostname))) {
    throw configError('Plain HTTP is only allowed to a loopback Duo sandbox outside production');
  }
  if (production && (!isDuoApiHostname(hostname) || url.port !== '')) {
    throw configError(
      "In production the Duo API hostname must be Duo's own (api-XXXXXXXX.duosecurity.com or api-XXXXXXXX.duofederal.com)",
    );
  }
  return { origin: url.origin, canonicalHost: hostname.replace(/^\[|\]$/g, '') };
}
