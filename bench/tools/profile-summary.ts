/**
 * Summarises a V8 .cpuprofile (node --cpu-prof; BENCH_CPU_PROF=1 writes one per Strapi child):
 * the functions with the most self time, and the inclusive time of the frames whose file matches a filter.
 *
 *   node --import tsx bench/tools/profile-summary.ts bench-results/profiles/strapi-active.cpuprofile [filter] [top]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const [file, filter = 'duo-security', topArg = '25'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile> [filter] [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const label = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/work\/main\//, '')}:${f.lineNumber + 1}`;

const totalUs = profile.endTime - profile.startTime;
const idle = [...selfUs]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
  .reduce((a, [, t]) => a + t, 0);
console.log(`profile ${(totalUs / 1e6).toFixed(1)} s, busy ${((totalUs - idle) / 1e6).toFixed(1)} s`);

const selfByLabel = new Map<string, number>();
for (const [id, t] of selfUs) {
  const node = byId.get(id);
  if (node === undefined) continue;
  const key = label(node.callFrame);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + t);
}
console.log(`\ntop ${top} by self time`);
for (const [key, t] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(t / 1000).toFixed(0).padStart(8)} ms  ${key}`);
}

// Inclusive time of matching frames: each sample counts once per distinct matching frame on its stack.
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const node = byId.get(cur);
    if (node === undefined || !node.callFrame.url.includes(filter)) continue;
    const key = label(node.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
});
console.log(`\ntop ${top} by inclusive time, frames in files matching "${filter}"`);
for (const [key, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(t / 1000).toFixed(0).padStart(8)} ms  ${key}`);
}
