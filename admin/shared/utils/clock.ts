/**
 * Below this the clocks count as in step. Duo's clock is read from its `Date` header, to the second, so nothing
 * finer is known (and Duo itself tolerates minutes; the server decides when to warn).
 */
export const IN_STEP_MS = 1_000;

export type ClockDirection = 'in-step' | 'behind' | 'ahead';

/** `clockOffsetMs` is Duo's clock minus the server's: positive means the server's clock is behind Duo's. */
export function clockDirection(clockOffsetMs: number): ClockDirection {
  if (Math.abs(clockOffsetMs) < IN_STEP_MS) return 'in-step';
  return clockOffsetMs > 0 ? 'behind' : 'ahead';
}

/**
 * "under 1 s", "12 s", "10 min 3 s", "2 h 5 min" (unsigned; the direction is said in words), to the second at most:
 * Duo's clock is known to the second, so milliseconds would be false precision.
 */
export function formatOffset(clockOffsetMs: number): string {
  const totalSeconds = Math.round(Math.abs(clockOffsetMs) / 1_000);
  if (Math.abs(clockOffsetMs) < IN_STEP_MS || totalSeconds === 0) return 'under 1 s';
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
