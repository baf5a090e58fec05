/*
 * The admin Duo step endpoints (POST /duo-security/step/<action>, public, JSON, the step id in the body):
 * the same protocol as the clients' /api/duo-security/step/*, finishing with what /admin/login answers.
 */
/* global fetch, URL */

/** An error answer in Strapi's envelope: `name` says what to do next, `details` carries e.g. `attemptsLeft`. */
export class StepError extends Error {
  constructor(status, error) {
    super((error && error.message) || `HTTP ${status}`);
    this.status = status;
    this.name = (error && error.name) || 'HttpError';
    this.details = (error && error.details) || {};
  }
}

/**
 * Calls for one step. `base` is the URL of the step endpoints (…/duo-security/step/), derived from this script's
 * own URL so the page works under any path prefix.
 */
export function stepClient(base, stepId) {
  let last = null;
  /** A header of the last answer (how many backup codes are left). */
  const header = (name) => (last ? last.headers.get(name) : null);
  const call = async function call(action, extra) {
    let response;
    try {
      response = await fetch(new URL(action, base), {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ step: stepId, ...extra }),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new StepError(0, { name: 'NetworkError', message: 'The server could not be reached. Try again.' });
    }
    last = response;
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new StepError(response.status, json && json.error);
    return json;
  };
  return Object.assign(call, { header });
}

/**
 * The final answer is what /admin/login would have given: `{ data: { token, user } }`, with `backupCodes` when the
 * sign-in enrolled the account (its first set); the rest is `{ data: { state } }`.
 */
export function finalSession(answer) {
  const data = answer && answer.data;
  if (!data || typeof data.token !== 'string' || data.token === '') return null;
  const codes = Array.isArray(data.backupCodes) ? data.backupCodes.filter((code) => typeof code === 'string') : [];
  return { token: data.token, user: data.user, ...(codes.length > 0 ? { backupCodes: codes } : {}) };
}
