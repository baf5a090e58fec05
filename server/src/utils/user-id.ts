/**
 * The user id a token names, when it is a plain positive integer or its canonical decimal string. Strapi signs
 * numbers; anything else ("1 ", [1], {"$eq": 1}) may still find a user through the query layer, so callers treat
 * `undefined` as "not a user id" and refuse rather than skip their checks.
 */
export function plainUserId(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  if (typeof id === 'string' && /^[1-9][0-9]{0,14}$/.test(id)) return Number(id);
  return undefined;
}
