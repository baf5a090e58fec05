import type { Readable } from 'node:stream';

export interface LogEntry {
  source: 'strapi' | 'console' | 'process';
  level: string;
  message: string;
}

export interface LogCapture {
  entries: LogEntry[];
  /** Listen to a Strapi (winston) logger; it is a stream of `info` objects. */
  attach(logger: Readable): void;
  stop(): void;
}

// winston keeps the uncoloured level under this symbol (triple-beam's LEVEL); `info.level` may carry ANSI colours.
const LEVEL = Symbol.for('level');
const SEVERE = new Set(['warn', 'warning', 'error']);

/**
 * Records what Strapi logs and what anything else reports through console.warn/console.error or process
 * warnings. Only those two console methods are wrapped: the test runner reports through process.stdout.
 */
export function captureLogs(): LogCapture {
  const entries: LogEntry[] = [];
  const originalWarn = console.warn;
  const originalError = console.error;
  const onWarning = (warning: Error): void => {
    entries.push({ source: 'process', level: 'warn', message: `${warning.name}: ${warning.message}` });
  };
  console.warn = (...args: unknown[]) => {
    entries.push({ source: 'console', level: 'warn', message: args.map(String).join(' ') });
    originalWarn.apply(console, args);
  };
  console.error = (...args: unknown[]) => {
    entries.push({ source: 'console', level: 'error', message: args.map(String).join(' ') });
    originalError.apply(console, args);
  };
  process.on('warning', onWarning);

  const detachers: Array<() => void> = [];
  return {
    entries,
    attach(logger) {
      const onData = (info: unknown): void => {
        entries.push(toEntry(info));
      };
      logger.on('data', onData);
      detachers.push(() => logger.off('data', onData));
    },
    stop() {
      console.warn = originalWarn;
      console.error = originalError;
      process.off('warning', onWarning);
      for (const detach of detachers) detach();
    },
  };
}

function toEntry(info: unknown): LogEntry {
  if (info === null || typeof info !== 'object') return { source: 'strapi', level: 'info', message: String(info) };
  const record = info as Record<string | symbol, unknown>;
  const level = typeof record[LEVEL] === 'string' ? record[LEVEL] : String(record.level);
  const message =
    record.message instanceof Error ? (record.message.stack ?? record.message.message) : String(record.message);
  return { source: 'strapi', level, message };
}

/** Warnings and errors whose text matches `pattern` (e.g. /duo/i for anything about this plugin). */
export function severeLogsMatching(entries: readonly LogEntry[], pattern: RegExp): LogEntry[] {
  return entries.filter((entry) => SEVERE.has(entry.level) && pattern.test(entry.message));
}

/** All warnings and errors, for a test that wants to show what went wrong. */
export function severeLogs(entries: readonly LogEntry[]): LogEntry[] {
  return entries.filter((entry) => SEVERE.has(entry.level));
}
