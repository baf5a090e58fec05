import { errors } from './strapi-utils';

/**
 * Strapi 4.26 hashes and checks passwords with bcryptjs 2.4.3, whose UTF-8 encoder never ends on a lone UTF-16
 * surrogate ("\ud800" in JSON): one anonymous login with such a password aborts the whole Node process. The actions
 * the plugin gates refuse those passwords before Strapi sees them. Well-formed text (every real password) passes
 * untouched; bcryptjs 3 fixes the cause (README, Troubleshooting).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PASSWORD_FIELD = /password/i;
// Passwords sit at the top (`password`, `currentPassword`) or one level down (admin `register`: `userInfo.password`).
const MAX_DEPTH = 1;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The path of the first password field (top level or one down) whose value `bad` picks out. */
function passwordPath(value: unknown, bad: (field: unknown) => boolean, depth: number): string[] | undefined {
  if (!isRecord(value)) return undefined;
  for (const [key, field] of Object.entries(value)) {
    if (PASSWORD_FIELD.test(key) && bad(field)) return [key];
    if (depth < MAX_DEPTH && isRecord(field)) {
      const inner = passwordPath(field, bad, depth + 1);
      if (inner !== undefined) return [key, ...inner];
    }
  }
  return undefined;
}

function refuse(path: string[], message: string): never {
  throw new errors.ValidationError(message, { errors: [{ path, message, name: 'ValidationError' }] });
}

/** Refuses, as a 400 ValidationError in Strapi's envelope, a password field that is not well-formed Unicode text. */
export function assertWellFormedPasswords(body: unknown): void {
  const path = passwordPath(body, (field) => typeof field === 'string' && LONE_SURROGATE.test(field), 0);
  if (path !== undefined) refuse(path, 'The password must be valid Unicode text');
}

/**
 * Refuses a password given as anything but text (a number, a boolean, an array, an object). Strapi's admin login
 * hands it to bcrypt, which throws inside the passport step, and Strapi answers that with a bare 501; its other
 * paths validate the type themselves. Absent or null stays Strapi's to answer ("Missing credentials").
 */
export function assertTextPasswords(body: unknown): void {
  const path = passwordPath(body, (field) => field !== undefined && field !== null && typeof field !== 'string', 0);
  if (path !== undefined) refuse(path, 'The password must be text');
}
