/**
 * The admin API's "Duo required" answer, as the plugin's server gives it on the admin token paths:
 * HTTP 400 `{ data: null, error: { name: 'DuoRequiredError', message, details: { step, duo } } }`.
 */

/** The admin API paths that issue a session and so may answer "Duo required" instead. */
export const GATED_PATHS = ['/admin/login', '/admin/register-admin', '/admin/register', '/admin/reset-password'];

const STEP_ID = /^[A-Za-z0-9_-]{43}$/;

export interface DuoRequired {
  step: { id: string; expiresAt: string | null };
  /** Duo's verdict (devices and factors, enrolment, or the Universal Prompt's URL); the step page checks it. */
  duo: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * True for a POST to one of the gated paths on Strapi's own server (`backend`: the admin's backend URL; relative
 * URLs resolve against the page; any path prefix in front of Strapi).
 */
export function isGatedRequest(method: string, url: string | URL, page: string, backend: string): boolean {
  if (method.toUpperCase() !== 'POST') return false;
  let target: URL;
  try {
    target = new URL(url, page);
    if (target.origin !== new URL(backend, page).origin) return false;
  } catch {
    return false;
  }
  const pathname = target.pathname.replace(/\/+$/, '');
  return GATED_PATHS.some((path) => pathname === path || pathname.endsWith(path));
}

/** The Duo step in a response body, or null for anything else (a wrong password, another error, a token). */
export function readDuoRequired(body: unknown): DuoRequired | null {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || !isRecord(error.details)) return null;
  // Duo out of reach, and the account has backup codes: the refusal carries a step that takes one.
  const unavailable = error.name === 'DuoUnavailableError' && isRecord(error.details.step);
  if (error.name !== 'DuoRequiredError' && !unavailable) return null;
  const { step } = error.details;
  const duo = unavailable ? { result: 'unavailable' } : error.details.duo;
  if (!isRecord(step) || typeof step.id !== 'string' || !STEP_ID.test(step.id)) {
    return null;
  }
  // The step page goes on: Duo's devices (`auth`), enrolment (`enroll`), off to Duo's Universal Prompt, or a
  // backup code while Duo cannot be reached (`unavailable`).
  if (!isRecord(duo) || !['auth', 'enroll', 'universal', 'unavailable'].includes(String(duo.result))) return null;
  return {
    step: {
      id: step.id,
      expiresAt: typeof step.expiresAt === 'string' ? step.expiresAt : null,
    },
    duo,
  };
}
