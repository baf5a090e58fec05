'use strict';

/**
 * Bench-only instrumentation, preloaded into a Strapi child with --require (it never ships with the plugin):
 * event-loop delay (perf_hooks.monitorEventLoopDelay) and memory, answered over the bench's IPC protocol
 * (bench/lib/ipc.ts).
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');

const RESOLUTION_MS = 5;
let histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

const ns = (value) => value / 1e6;

const handlers = {
  stats() {
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      eventLoopDelayMs: {
        // The histogram counts the delay beyond the sampling interval; `min` stays near the resolution.
        p50: ns(histogram.percentile(50)),
        p99: ns(histogram.percentile(99)),
        max: ns(histogram.max),
        mean: ns(histogram.mean),
        samples: histogram.count,
      },
      activeHandles: process.getActiveResourcesInfo().length,
    };
  },
  resetEventLoopDelay() {
    histogram.disable();
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    return null;
  },
  gc() {
    if (typeof global.gc !== 'function') throw new Error('start the child with --expose-gc');
    global.gc();
    global.gc();
    return null;
  },
};

process.on('message', (message) => {
  if (message === null || typeof message !== 'object') return;
  const { id, type } = message;
  if (typeof id !== 'number' || typeof type !== 'string') return;
  try {
    const handler = handlers[type];
    if (handler === undefined) throw new Error(`unknown request ${type}`);
    process.send?.({ id, ok: true, value: handler() });
  } catch (error) {
    process.send?.({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});

// The bench went away: do not linger.
process.on('disconnect', () => process.exit(0));
