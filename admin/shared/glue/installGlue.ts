import { isGatedRequest, readDuoRequired } from './duoRequired.ts';
import { backendUrl, handOff } from './handOff.ts';

const INSTALLED = Symbol.for('strapi-plugin-duo-security.glue');

/** The JSON body of a finished request, whichever way the caller asked XMLHttpRequest to read it. */
function responseBody(xhr: XMLHttpRequest): unknown {
  if (xhr.responseType === 'json') return xhr.response as unknown;
  if (xhr.responseType !== '' && xhr.responseType !== 'text') return null;
  try {
    return JSON.parse(xhr.responseText) as unknown;
  } catch {
    return null;
  }
}

function onGatedLoad(this: XMLHttpRequest): void {
  // Only HTTP 400 carries "Duo required" (never 401: the admin app reloads on any 401).
  if (this.status !== 400) return;
  const required = readDuoRequired(responseBody(this));
  if (required === null) return;
  try {
    handOff(required);
  } catch {
    // No sessionStorage (a locked-down browser): the login form shows the error's own message instead, and the
    // sign-in simply does not complete. Nothing is let through.
  }
}

/**
 * Follows the admin's own sign-in requests for a "Duo required" answer. Strapi's admin sends them with axios, which
 * uses XMLHttpRequest, so one listener added in `open` for the four gated paths sees exactly those answers,
 * whatever the admin app does with them (RTK Query today, useFetchClient in earlier 4.x). Every other request is
 * left untouched. Installed once per page, in the plugin's admin `register()`, which also runs on the login page.
 */
export function installDuoGlue(xhr: typeof XMLHttpRequest | undefined = globalThis.XMLHttpRequest): void {
  const proto = xhr?.prototype;
  if (proto === undefined || Reflect.get(proto, INSTALLED) === true) return;
  const original = proto.open;
  proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]): void {
    try {
      if (isGatedRequest(method, url, window.location.href, backendUrl(window))) {
        this.addEventListener('load', onGatedLoad);
      }
    } catch {
      // Never let the glue break a request.
    }
    Reflect.apply(original, this, [method, url, ...rest]);
  };
  Reflect.set(proto, INSTALLED, true);
}
