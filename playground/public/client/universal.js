/*
 * Duo's Universal Prompt for the reference client (see app.js): the browser leaves for Duo's page and comes back.
 *
 *   1. A sign-in (or Security Settings) answers a Duo step whose duo.result is 'universal': keep the step id and
 *      navigate the whole tab to duo.authorizeUrl (never fetch it, never an iframe: Duo's page must own the tab).
 *   2. Duo sends the browser to the plugin's callback, which sends it back here (this page's URL must be one of the
 *      settings' client return URLs) with #duo_completion=<code>, or #duo_error=<code>&duo_error_description=<text>.
 *   3. POST /api/duo-security/step/complete { step, completion } answers what the sign-in would have answered.
 */
/* global window, sessionStorage, URLSearchParams */
'use strict';

(() => {
  // The open Universal Prompt step, across the trip to Duo. sessionStorage: this tab only, gone with it.
  const PENDING_KEY = 'duo-example-universal';
  const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

  /**
   * Why: the URL comes from the server's answer; only a web page on https (http on this machine, for the sandbox)
   * may get the tab, never a javascript: or data: URL.
   */
  function safeAuthorizeUrl(raw) {
    let url;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (url.protocol === 'https:') return url;
    if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
    return null;
  }

  /** Keeps the step and leaves for Duo. Returns an error message instead when the URL is not one to follow. */
  function leaveForDuo(purpose, { step, duo }) {
    const url = safeAuthorizeUrl(duo.authorizeUrl);
    if (!url) return "Duo's sign-in page address is not valid. Sign in again.";
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ id: step.id, purpose }));
    window.location.assign(url.href);
    return null;
  }

  /**
   * What Duo's round trip brought back, read once: the fragment is cleared at once (history.replaceState) so a
   * reload, a bookmark or a shared link carries no completion code, and the kept step is forgotten.
   * Returns null when this page load is no return from Duo.
   */
  function takeReturn() {
    const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    const completion = fragment.get('duo_completion');
    const error = fragment.get('duo_error');
    if (completion === null && error === null) return null;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    let pending = null;
    try {
      pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
    } catch {
      pending = null;
    }
    sessionStorage.removeItem(PENDING_KEY);
    const purpose = (pending && pending.purpose) || 'login';
    if (error !== null) {
      const description = fragment.get('duo_error_description') || 'Duo did not confirm the sign-in.';
      return { purpose, error, description };
    }
    if (!pending || typeof pending.id !== 'string') {
      return { purpose, error: 'unknown', description: 'This sign-in was started in another tab. Sign in again.' };
    }
    return { purpose, step: pending.id, completion };
  }

  window.duoUniversal = { leaveForDuo, takeReturn };
})();
