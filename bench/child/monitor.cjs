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
  /**
   * What one statement through Strapi's query engine costs in this app: a users-permissions user found by id (the
   * plugin's statements are of this kind: one row by key), timed `count` times in a row.
   */
  async queryCost({ count = 200 } = {}) {
    const strapi = global.strapi;
    if (strapi === undefined || strapi.db === undefined) throw new Error('Strapi is not started');
    const users = strapi.db.query('plugin::users-permissions.user');
    const first = await users.findOne({ where: {} });
    if (first === null) throw new Error('no user to find');
    for (let i = 0; i < 20; i += 1) await users.findOne({ where: { id: first.id } });
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) await users.findOne({ where: { id: first.id } });
    return Number(process.hrtime.bigint() - started) / 1e6 / count;
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
  const { id, type, payload } = message;
  if (typeof id !== 'number' || typeof type !== 'string') return;
  const fail = (error) =>
    process.send?.({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  try {
    const handler = handlers[type];
    if (handler === undefined) throw new Error(`unknown request ${type}`);
    Promise.resolve(handler(payload)).then((value) => process.send?.({ id, ok: true, value }), fail);
  } catch (error) {
    fail(error);
  }
});

// The bench went away: do not linger.
process.on('disconnect', () => process.exit(0));
