import { readDuoRequired, type DuoRequired } from './duoRequired.ts';

/**
 * Strapi 5's admin calls its sign-in endpoints through RTK Query (`adminApi`) over `fetch`, so the Strapi 4 glue
 * (an XMLHttpRequest listener) never sees them. A redux middleware does: a refused mutation is dispatched as
 * `adminApi/executeMutation/rejected`, its payload the API's error (`{ status, name, message, details }`) and its
 * `meta.arg` the endpoint and the arguments the form sent.
 */

/** The RTK Query endpoints of Strapi 5's admin (`services/auth`) behind the gated paths (see duoRequired.ts). */
export const GATED_ENDPOINTS: ReadonlySet<string> = new Set([
  'login',
  'registerAdmin',
  'registerUser',
  'resetPassword',
]);

const REJECTED = 'adminApi/executeMutation/rejected';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface GatedRejection {
  readonly error: unknown;
  /** The login's "Remember me" as the form sent it (false for the other endpoints, which open browser sessions). */
  readonly rememberMe: boolean;
}

/** The refused sign-in in a dispatched action, or null for every other action. */
export function readGatedRejection(action: unknown): GatedRejection | null {
  if (!isRecord(action) || action.type !== REJECTED || !isRecord(action.meta) || !isRecord(action.meta.arg)) {
    return null;
  }
  const { endpointName, originalArgs } = action.meta.arg;
  if (typeof endpointName !== 'string' || !GATED_ENDPOINTS.has(endpointName)) return null;
  return {
    error: action.payload,
    rememberMe: isRecord(originalArgs) && originalArgs.rememberMe === true,
  };
}

/** Generic in the action type so the middleware fits redux's `Middleware` (actions typed `AnyAction`) as it is. */
export type Dispatch<A = unknown> = (action: A) => unknown;

/**
 * A middleware for `app.addMiddlewares` (Strapi 5 calls each entry once to get a redux middleware) that calls
 * `onDuoRequired` for a sign-in answered with the Duo step. The action goes on first, so Strapi's login form still
 * handles the refusal (should the hand-off fail, it shows the answer's own message and nothing signs in).
 */
export function createDuoStepMiddleware(
  onDuoRequired: (required: DuoRequired, rememberMe: boolean) => void,
): () => (api: unknown) => <A>(next: Dispatch<A>) => Dispatch<A> {
  return () => () => (next) => (action) => {
    const result = next(action);
    try {
      const rejection = readGatedRejection(action);
      const required = rejection === null ? null : readDuoRequired({ error: rejection.error });
      if (rejection !== null && required !== null) onDuoRequired(required, rejection.rememberMe);
    } catch {
      // Never let the glue break the admin's store.
    }
    return result;
  };
}
