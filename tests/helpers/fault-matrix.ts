import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { median, startBed, type Audience, type Bed, type FailMode } from './fault-bed';
import { authApiFaultTests } from './faults';
import { printFigure } from './figures';
import { universalFaultTests } from './universal-faults';
import { useUniversalPrompt } from './universal-flow';

/** Registers one test of the matrix: its work answers how long the answer under the fault took, in ms. */
export type TimedTest = (audience: Audience, name: string, work: (bed: Bed) => Promise<number>) => void;

/**
 * The whole fault matrix for one fail mode on one Strapi boot (a boot is most of a small file's time): the Auth API's
 * cases (faults.ts) first, then the same bed switched to Duo's Universal Prompt for its cases (universal-faults.ts).
 * Each part closes with its own figure: how many answers under a fault, their median and the slowest.
 */
export function runFaultMatrix(failMode: FailMode): void {
  let bed: Bed | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : reason);
  };
  const parts = new Map<string, Array<{ name: string; ms: number }>>();

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    bed = await startBed(failMode, unhandled);
  });
  after(async () => {
    try {
      await bed?.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    for (const [label, times] of parts) {
      const slowest = [...times].sort((a, b) => b.ms - a.ms).slice(0, 2);
      printFigure(
        label,
        `${times.length} answers under a fault; median ${median(times.map((t) => t.ms))} ms; slowest ` +
          slowest.map((t) => `${t.name} ${(t.ms / 1000).toFixed(1)} s`).join(', '),
      );
    }
  });

  const timedTestFor =
    (label: string): TimedTest =>
    (audience, name, work) =>
      test(name, async () => {
        assert.ok(bed !== undefined, 'the test bed started');
        const ms = await work(bed);
        const times = parts.get(label) ?? [];
        times.push({ name: `${audience}: ${name.replace(/ → .*/, '')}`, ms });
        parts.set(label, times);
      });

  authApiFaultTests(failMode, timedTestFor(`fault matrix, fail ${failMode}`));
  describe('Universal Prompt', () => {
    before(async () => {
      assert.ok(bed !== undefined, 'the test bed started');
      await useUniversalPrompt(bed.strapi, bed.duo);
    });
    universalFaultTests(failMode, timedTestFor(`Universal Prompt fault matrix, fail ${failMode}`));
  });
}
