/*
 * Duo's Universal Prompt on the admin step page. The page sends the browser, top level, to Duo's prompt (Duo
 * refuses frames); Duo sends it to the plugin's callback, which comes back here with the outcome in the URL's
 * fragment: a one-time completion code that, with the step id this tab kept, finishes the sign-in.
 */
/* global URL, URLSearchParams */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Duo's authorize URL as the server gave it: HTTPS (plain HTTP only to a loopback sandbox), else null. */
export function safeAuthorizeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url.href;
  } catch {
    // not a URL
  }
  return null;
}

/**
 * What the callback put in the fragment: `{ completion }` after Duo's allow, `{ error, description }` after a
 * refusal, or null when the page was not opened by the callback.
 */
export function readReturn(hash) {
  const params = new URLSearchParams(typeof hash === 'string' ? hash.replace(/^#/, '') : '');
  const completion = params.get('duo_completion');
  if (completion !== null && /^[A-Za-z0-9_-]{43}$/.test(completion)) return { completion };
  const error = params.get('duo_error');
  if (error !== null) return { error, description: params.get('duo_error_description') || '' };
  return null;
}

const ERRORS = new Set(['denied', 'invalid', 'unavailable', 'expired', 'cancelled', 'consumed', 'unknown']);

/**
 * Off to Duo's page (at once, or at the user's choice when a grace period lets enrolment wait), or back from it: finishes the step with the completion code (through `settle`, as any final
 * answer: a sign-in, or Duo turned on with a new session), or ends it with the callback's error in the page's
 * language.
 */
export async function universal({ duo, t, view, call, settle, failed, end, leave, showCodes, win }) {
  view.renderDuoOptions(duo);
  const returned = readReturn(win.location.hash);
  if (!returned) {
    const go = () => {
      view.status(t('universal.opening'));
      win.location.assign(duo.authorizeUrl);
    };
    // Inside a grace period the user chooses: "Set up Duo later" (postpone.mjs, wired with the page) or Duo now.
    if (!duo.grace) return go();
    view.$('duo-universal-go-row').hidden = false;
    return view.$('duo-universal-go').addEventListener('click', go);
  }
  // The code works once; it stays neither in the address bar nor in the history.
  win.history.replaceState(null, '', win.location.pathname + win.location.search);
  if (returned.error) return end(t(`universal.error.${ERRORS.has(returned.error) ? returned.error : 'unknown'}`));
  view.status(t('universal.finishing'));
  try {
    const answer = settle(await call('complete', { completion: returned.completion }));
    // Duo turned off from the account page (`{ enabled: false }`): no session to store.
    if (answer && answer.enabled === false) leave();
    // New backup codes from the account page (`{ backupCodes }`): shown here, once, then back.
    else if (answer && Array.isArray(answer.backupCodes))
      showCodes(answer.backupCodes.filter((c) => typeof c === 'string'));
  } catch (error) {
    failed(error);
  }
}
