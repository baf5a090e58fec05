import { invalidParameter } from './errors';

/** Key → values, on a null prototype so a parameter named `__proto__` stays a plain key. */
export type MultiParams = Record<string, string[]>;

export function emptyParams(): MultiParams {
  return Object.create(null) as MultiParams;
}

function add(params: MultiParams, key: string, value: string): void {
  const values = params[key];
  if (values) values.push(value);
  else params[key] = [value];
}

/** `application/x-www-form-urlencoded` decoding: `+` is a space, as Python and Go clients send it. */
export function formDecode(text: string): MultiParams {
  const params = emptyParams();
  for (const [key, value] of new URLSearchParams(text)) add(params, key, value);
  return params;
}

export function mergeParams(...sources: readonly MultiParams[]): MultiParams {
  const merged = emptyParams();
  for (const source of sources) {
    for (const [key, values] of Object.entries(source)) for (const value of values) add(merged, key, value);
  }
  return merged;
}

/**
 * Parameters of a v5 JSON body. Duo's clients send strings; numbers and booleans are taken as their text,
 * nested objects are refused like any malformed parameter.
 */
export function jsonParams(raw: string): MultiParams {
  let parsed: unknown;
  try {
    parsed = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw invalidParameter('Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Request body must be a JSON object');
  }
  const params = emptyParams();
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      add(params, key, String(value));
    } else {
      throw invalidParameter(key);
    }
  }
  return params;
}

/** Read access for endpoint handlers: Duo's parameters are single-valued, the first value wins. */
export class RequestParams {
  constructor(private readonly params: MultiParams) {}

  get(name: string): string | undefined {
    return this.params[name]?.[0];
  }

  /** A present, non-empty value. */
  has(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== '';
  }

  /** Duo's clients send booleans as `"1"`/`"true"`. */
  flag(name: string): boolean {
    const value = this.get(name)?.toLowerCase();
    return value === '1' || value === 'true';
  }
}
