import { errors } from './strapi-utils';

/**
 * The plugin's request bodies nest two levels at most (`{ staff: { enabled } }`). Far deeper JSON (thousands of
 * levels parse fine) must be refused before yup sees it: yup's type error prints the value through a recursive
 * JSON.stringify replacer (`@strapi/utils` printValue), which overflows the stack and turns bad input into a 500.
 */
export const MAX_BODY_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `limit` levels. Iterative: deep input cannot overflow it. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<readonly [unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [current, depth] = item;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuses, as a 400 ValidationError in Strapi's envelope, a body nested deeper than any the plugin accepts. */
export function assertNotTooDeep(body: unknown): void {
  if (!nestedDeeperThan(body, MAX_BODY_DEPTH)) return;
  const message = `The request body is nested more than ${MAX_BODY_DEPTH} levels deep`;
  throw new errors.ValidationError(message, { errors: [{ path: [], message, name: 'ValidationError' }] });
}
