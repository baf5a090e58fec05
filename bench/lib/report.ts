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
}

export const ms = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a';
export const ratio = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function verdict(pass: boolean): Verdict {
  return pass ? 'PASS' : 'MISS';
}

/** A fixed-width table for the terminal; the same rows go to bench.json and the README (markdown). */
export function formatTable(rows: readonly Row[]): string {
  const header = ['#', 'measurement', 'plugin / measured', 'baseline', 'figure', 'target', ''];
  const cells = rows.map((r) => [r.id, r.what, r.a, r.b, r.value, r.target, r.verdict === 'info' ? '' : r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatMarkdown(rows: readonly Row[]): string {
  const esc = (v: string) => v.replace(/\|/g, '\\|');
  const lines = [
    '| # | measurement | plugin / measured | baseline | figure | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${[r.id, r.what, r.a, r.b, r.value, r.target, r.verdict === 'info' ? '' : `**${r.verdict}**`].map(esc).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
