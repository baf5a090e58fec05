import { errors } from './strapi-utils';

import { assertNotTooDeep } from './nesting';
import { assertTextPasswords, assertWellFormedPasswords } from './password-text';

/**
 * The body of a sign-in action the plugin gates, refused with a 400 in Strapi's envelope where Strapi itself would
 * fail on it with a 500 or worse: nesting deep enough to overflow yup's error printer (Strapi 5's admin login,
 * users-permissions' local login), a password that is not well-formed Unicode (Strapi 4's bcryptjs never returns),
 * where the action reads fields of the body, no JSON object at all (Strapi 5's local login destructures it), and,
 * where Strapi checks a password before validating its type, a password that is not text (the admin login's 501).
 */
export function assertSignInBody(
  body: unknown,
  options: { readonly mustBeObject: boolean; readonly passwordsAreText?: boolean },
): void {
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (options.mustBeObject && !isObject) {
    const message = 'The request body must be a JSON object';
    throw new errors.ValidationError(message, { errors: [{ path: [], message, name: 'ValidationError' }] });
  }
  assertNotTooDeep(body);
  assertWellFormedPasswords(body);
  if (options.passwordsAreText === true) assertTextPasswords(body);
}
