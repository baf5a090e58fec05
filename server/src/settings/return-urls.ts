import { isLoopbackHost } from '../duo/hostname-policy';

/**
 * The rules for "Client return URLs": where the plugin may send a client back after Duo's Universal Prompt, with
 * `#duo_completion=…` appended. A return URL receives a login's outcome, so it must be a place the app owns:
 * HTTPS, plain HTTP only where no one can sit in between (loopback) or outside production, or a mobile app's own
 * scheme. Schemes a browser runs or reads locally (javascript:, data:, file:…) would turn the redirect into a
 * script or a local read, and are refused whatever the environment.
 */

export const MAX_RETURN_URLS = 10;
export const MAX_RETURN_URL_LENGTH = 2048;

const CUSTOM_SCHEME = /^[a-z][a-z0-9+.-]*:/;
const REFUSED_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'blob:', 'vbscript:', 'about:']);

/** Why this URL cannot be a client return URL, or undefined when it can. Never quotes the URL. */
export function returnUrlProblem(raw: string, production: boolean): string | undefined {
  if (raw.length === 0 || raw.length > MAX_RETURN_URL_LENGTH) {
    return `A client return URL is 1 to ${MAX_RETURN_URL_LENGTH} characters`;
  }
  if ([...raw].some((char) => char.trim() === '' || char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    return 'A client return URL has no spaces or control characters';
  }
  const scheme = CUSTOM_SCHEME.exec(raw)?.[0];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'A client return URL must be an absolute URL, such as https://www.example.com/login';
  }
  if (scheme === undefined || url.protocol !== scheme) {
    return 'A client return URL must start with its scheme in lowercase, such as https://';
  }
  if (raw.includes('#')) {
    return 'A client return URL has no fragment (#…): the plugin appends its own';
  }
  if (REFUSED_SCHEMES.has(url.protocol)) {
    return `A client return URL cannot use ${url.protocol}`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'A client return URL carries no user name or password';
  }
  if (url.protocol === 'https:') return url.hostname === '' ? 'A client return URL needs a host' : undefined;
  if (url.protocol === 'http:') {
    if (url.hostname === '') return 'A client return URL needs a host';
    if (production && !isLoopbackHost(url.hostname)) {
      return 'In production a client return URL uses https:// (http:// only for localhost)';
    }
    return undefined;
  }
  // Any other scheme is a mobile app's own (myapp://callback): the app registered it, the browser hands it over.
  return undefined;
}

/** Field errors for a list of return URLs, by index ("clientReturnUrls.2"). */
export function returnUrlsProblems(
  urls: readonly string[],
  production: boolean,
): Array<{ readonly index: number; readonly message: string }> {
  const found: Array<{ index: number; message: string }> = [];
  urls.forEach((url, index) => {
    const message = returnUrlProblem(url, production);
    if (message !== undefined) found.push({ index, message });
  });
  return found;
}
