import type { ApiErrorBody, ConnectionResult, FieldErrorDetail } from './types.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isFieldError(value: unknown): value is FieldErrorDetail {
  return (
    isRecord(value) &&
    Array.isArray(value.path) &&
    value.path.every((part) => typeof part === 'string' || typeof part === 'number') &&
    typeof value.message === 'string'
  );
}

function isConnectionResult(value: unknown): value is ConnectionResult {
  return (
    isRecord(value) &&
    typeof value.ok === 'boolean' &&
    typeof value.outcome === 'string' &&
    typeof value.message === 'string' &&
    typeof value.checkedAt === 'string'
  );
}

/**
 * Reads Strapi's error envelope out of whatever the fetch client threw (an axios error with
 * `response.data.error`); null for network failures and anything else without one.
 */
export function readApiError(thrown: unknown): ApiErrorBody | null {
  if (!isRecord(thrown) || !isRecord(thrown.response)) return null;
  const { data, status } = thrown.response;
  const error = isRecord(data) ? data.error : undefined;
  if (!isRecord(error) || typeof error.name !== 'string' || typeof error.message !== 'string') return null;
  const details = isRecord(error.details) ? error.details : {};
  const errors = Array.isArray(details.errors) ? details.errors.filter(isFieldError) : undefined;
  const connection = isConnectionResult(details.connection) ? details.connection : undefined;
  return {
    status: typeof error.status === 'number' ? error.status : typeof status === 'number' ? status : undefined,
    name: error.name,
    message: error.message,
    details: { errors, connection },
  };
}

/** The server's field errors keyed by dotted path ("integrationKey", "staff.enforcement"); the first one wins. */
export function fieldErrorsOf(error: ApiErrorBody | null): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const detail of error?.details?.errors ?? []) {
    const path = detail.path.join('.');
    if (path !== '' && fields[path] === undefined) fields[path] = detail.message;
  }
  return fields;
}
