import { performance } from 'node:perf_hooks';

import { pairedRatio, summarize, type Summary } from './stats';

/** One operation to time; resolves when it is complete (response body read). */
export type Operation = () => Promise<void>;

export interface InterleaveOptions {
  /** Rounds whose samples are thrown away (JIT, caches, connection pools). */
  readonly warmupRounds: number;
  readonly rounds: number;
  /** Operations of one variant in a row, inside a round. */
  readonly perRound: number;
}

export interface VariantResult {
  readonly summary: Summary;
  /** Samples per measured round, in ms. */
  readonly rounds: number[][];
}

/**
 * Runs the variants in alternation: every round runs `perRound` operations of each, and the order of the variants
 * rotates from round to round, so that neither side always follows the other or always meets the same noise.
 */
export async function interleave(
  variants: Readonly<Record<string, Operation>>,
  options: InterleaveOptions,
): Promise<Record<string, VariantResult>> {
  const names = Object.keys(variants);
  const samples = new Map<string, number[][]>(names.map((n) => [n, []]));
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    const measured = round >= options.warmupRounds;
    const order = names.map((_, i) => names[(i + round) % names.length] as string);
    for (const name of order) {
      const operation = variants[name] as Operation;
      const times: number[] = [];
      for (let i = 0; i < options.perRound; i++) {
        const started = performance.now();
        await operation();
        times.push(performance.now() - started);
      }
      if (measured) samples.get(name)?.push(times);
    }
  }
  const result: Record<string, VariantResult> = {};
  for (const [name, rounds] of samples) result[name] = { summary: summarize(rounds.flat()), rounds };
  return result;
}

export interface Comparison {
  readonly a: Summary;
  readonly b: Summary;
  /** median(A) / median(B): the figure targets apply to. */
  readonly ratioOfMedians: number;
  readonly ratioOfP99s: number;
  /** Median of the per-round median ratios (a cross-check that is robust to load drifting between rounds). */
  readonly pairedRatio: number;
}

export function compare(a: VariantResult, b: VariantResult): Comparison {
  return {
    a: a.summary,
    b: b.summary,
    ratioOfMedians: a.summary.median / b.summary.median,
    ratioOfP99s: a.summary.p99 / b.summary.p99,
    pairedRatio: pairedRatio(a.rounds, b.rounds),
  };
}
