import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './strapi';

const FIGURES_FILE = join(REPO_ROOT, 'test-results', 'figures.txt');

/**
 * Prints a measured figure (a count, a latency, a memory growth) so it shows in the test output, and keeps it in
 * test-results/figures.txt so `npm test` can repeat every figure at the end of its run.
 */
export function printFigure(label: string, text: string): void {
  const line = `FIGURE ${label}: ${text}`;
  console.log(line);
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  appendFileSync(FIGURES_FILE, `${line}\n`);
}
