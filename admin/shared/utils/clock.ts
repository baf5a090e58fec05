/** Below this the clocks count as in step; Duo itself tolerates minutes, the server decides when to warn. */
export const IN_STEP_MS = 1_000;

export type ClockDirection = 'in-step' | 'behind' | 'ahead';

/** `clockOffsetMs` is Duo's clock minus the server's: positive means the server's clock is behind Duo's. */
export function clockDirection(clockOffsetMs: number): ClockDirection {
  if (Math.abs(clockOffsetMs) < IN_STEP_MS) return 'in-step';
  return clockOffsetMs > 0 ? 'behind' : 'ahead';
}

/** "850 ms", "12.4 s", "10 min 3 s" (unsigned; the direction is said in words). */
export function formatOffset(clockOffsetMs: number): string {
  const ms = Math.abs(Math.round(clockOffsetMs));
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1_000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
