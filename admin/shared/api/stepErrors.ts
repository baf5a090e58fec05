import { readApiError } from './errors.ts';

/** What the step needs from an error answer: Strapi's error name, its message, and a passcode's attempts left. */
export interface StepError {
  name: string;
  /** The server's words (written for people); null when no answer came back. */
  message: string | null;
  attemptsLeft?: number;
}

function attemptsLeftOf(thrown: unknown): number | undefined {
  const response: unknown = thrown !== null && typeof thrown === 'object' ? Reflect.get(thrown, 'response') : null;
  const data: unknown = response !== null && typeof response === 'object' ? Reflect.get(response, 'data') : null;
  const error: unknown = data !== null && typeof data === 'object' ? Reflect.get(data, 'error') : null;
  const details: unknown = error !== null && typeof error === 'object' ? Reflect.get(error, 'details') : null;
  const left: unknown = details !== null && typeof details === 'object' ? Reflect.get(details, 'attemptsLeft') : null;
  return typeof left === 'number' ? left : undefined;
}

export function readStepError(thrown: unknown): StepError {
  const error = readApiError(thrown);
  if (error === null) return { name: 'NetworkError', message: null };
  const attemptsLeft = attemptsLeftOf(thrown);
  return { name: error.name, message: error.message, ...(attemptsLeft === undefined ? {} : { attemptsLeft }) };
}

/**
 * True when the request was aborted (the page left): nothing to show. Strapi 4's axios client throws a
 * CanceledError, Strapi 5's fetch client the browser's AbortError.
 */
export function isAborted(thrown: unknown): boolean {
  if (thrown === null || typeof thrown !== 'object') return false;
  const name: unknown = Reflect.get(thrown, 'name');
  return name === 'CanceledError' || name === 'AbortError';
}
