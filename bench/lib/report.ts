export type Verdict = 'PASS' | 'MISS' | 'info';

export interface Row {
  readonly id: string;
  readonly what: string;
  /** The plugin-active side (or the only side), as printed. */
  readonly a: string;
  /** The comparison side, as printed; '' when none. */
  readonly b: string;
  /** The figure the target applies to. */
  readonly value: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** The figure as a number, for the median and spread over several runs (`summarise`); absent: not summarised. */
  readonly figure?: Figure;
}

/** A row's figure and its target, as numbers: `max` for "at most", `min` for "at least". */
export interface Figure {
  readonly value: number;
  readonly unit: 'ratio' | '%' | 'ms' | 'KB' | 'count';
  readonly max?: number;
  readonly min?: number;
}

const formatFigure = (value: number, unit: Figure['unit']): string => {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ratio':
      return value.toFixed(3);
    case '%':
      return `${value.toFixed(1)}%`;
    case 'ms':
      return ms(value);
    case 'KB':
      return `${value.toFixed(1)} KB`;
    case 'count':
      return value.toFixed(value === Math.round(value) ? 0 : 2);
  }
};

export const ms = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a';
export const ratio = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function verdict(pass: boolean): Verdict {
  return pass ? 'PASS' : 'MISS';
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One row per figure over several runs of the same measurements: the median of the runs, their spread (min–max),
 * and the verdict of the median against the target. Rows without a numeric figure are left out.
 */
export function summarise(runs: readonly (readonly Row[])[]): Row[] {
  const first = runs[0] ?? [];
  const rows: Row[] = [];
  for (const row of first) {
    if (row.figure === undefined) continue;
    const { unit, max, min } = row.figure;
    const values = runs
      .map((r) => r.find((x) => x.id === row.id)?.figure?.value)
      .filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (values.length === 0) continue;
    const m = median(values);
    const pass = (max === undefined || m <= max) && (min === undefined || m >= min);
    rows.push({
      id: row.id,
      what: row.what,
      a: values.map((v) => formatFigure(v, unit)).join(', '),
      b: '',
      value: `${formatFigure(m, unit)} (${formatFigure(Math.min(...values), unit)}–${formatFigure(Math.max(...values), unit)})`,
      target: row.target,
      verdict: max === undefined && min === undefined ? 'info' : verdict(pass),
      figure: { value: m, unit, ...(max === undefined ? {} : { max }), ...(min === undefined ? {} : { min }) },
    });
  }
  return rows;
}

const ONE_RUN = ['#', 'measurement', 'plugin / measured', 'baseline', 'figure', 'target', ''] as const;
/** The columns of `summarise`'s rows: each run's figure, then their median and spread. */
const SUMMARY = ['#', 'measurement', 'runs', '', 'median (min–max)', 'target', ''] as const;

/** A fixed-width table for the terminal; the same rows go to bench.json and the README (markdown). */
export function formatTable(rows: readonly Row[], summary = false): string {
  const header = summary ? SUMMARY : ONE_RUN;
  const cells = rows.map((r) => [r.id, r.what, r.a, r.b, r.value, r.target, r.verdict === 'info' ? '' : r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatMarkdown(rows: readonly Row[], summary = false): string {
  const esc = (v: string) => v.replace(/\|/g, '\\|');
  const lines = [
    `${(summary ? SUMMARY : ONE_RUN).map((h) => (h === '' ? '|' : `| ${h}`)).join(' ')} |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${[r.id, r.what, r.a, r.b, r.value, r.target, r.verdict === 'info' ? '' : `**${r.verdict}**`].map(esc).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
