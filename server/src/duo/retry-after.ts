/**
 * Reads `Retry-After` / `X-Retry-After` (seconds or an HTTP date) into milliseconds; undefined when absent or unusable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The back-off Duo's own clients use: 1 s doubling, plus up to 1 s of jitter. */
export function exponentialBackoffMs(attempt: number, random: () => number): number {
  return 1000 * 2 ** attempt + Math.floor(random() * 1000);
}
