import type { yup as StrapiYup } from '@strapi/utils';

import { assertNotTooDeep } from './nesting';
import { errors, validateYupSchema } from './strapi-utils';

type YupSchema = StrapiYup.AnySchema;

type Shape = { readonly [key: string]: Shape | true };

interface FieldError {
  path: string[];
  message: string;
  name: 'ValidationError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unknownFields(value: Record<string, unknown>, shape: Shape, prefix: string[]): FieldError[] {
  const found: FieldError[] = [];
  for (const [key, child] of Object.entries(value)) {
    // Own keys only: `hasOwnProperty`, `constructor`… would otherwise find Object.prototype's functions.
    const expected = Object.hasOwn(shape, key) ? shape[key] : undefined;
    const path = [...prefix, key];
    if (expected === undefined) {
      found.push({ path, message: `Unknown field "${path.join('.')}"`, name: 'ValidationError' });
    } else if (expected !== true && isRecord(child)) {
      found.push(...unknownFields(child, expected, path));
    }
  }
  return found;
}

/**
 * Validates a JSON request body: it must be an object nested no deeper than the plugin's bodies can be, each
 * unknown field gets its own field error, then the yup schema (strict: no coercion) checks the values. Errors use
 * Strapi's envelope (400 ValidationError).
 */
export async function validateBody<T>(body: unknown, shape: Shape, schema: YupSchema): Promise<T> {
  const value = body === undefined || body === null || body === '' ? {} : body;
  if (!isRecord(value)) {
    throw new errors.ValidationError('The request body must be a JSON object', {
      errors: [{ path: [], message: 'The request body must be a JSON object', name: 'ValidationError' }],
    });
  }
  assertNotTooDeep(value);
  const unknown = unknownFields(value, shape, []);
  if (unknown.length > 0) {
    throw new errors.ValidationError(
      unknown.length === 1 ? (unknown[0]?.message ?? '') : `${unknown.length} errors occurred`,
      {
        errors: unknown,
      },
    );
  }
  try {
    return (await validateYupSchema(schema, { strict: true, abortEarly: false })(value)) as T;
  } catch (error) {
    throw withoutValues(error);
  }
}

/**
 * Strapi 5's yup error formatting adds each field's `value` to `details.errors`: a Secret Key pasted into the wrong
 * field would come back in the answer. Only the path, message and name of each error go out (Strapi 4's shape).
 */
function withoutValues(error: unknown): unknown {
  if (!(error instanceof errors.ValidationError)) return error;
  const details: unknown = error.details;
  const found = isRecord(details) && Array.isArray(details.errors) ? (details.errors as unknown[]) : [];
  const fieldErrors: FieldError[] = found.filter(isRecord).map((entry) => ({
    path: Array.isArray(entry.path) ? entry.path.map(String) : [],
    message: typeof entry.message === 'string' ? entry.message : 'Invalid value',
    name: 'ValidationError',
  }));
  return new errors.ValidationError(error.message, { errors: fieldErrors });
}
