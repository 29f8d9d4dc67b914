// pnpm bench:memory — a million Users held each way people hold them (memory-forms.ts): bytes per
// record, build time, the pause of a full collection with all of them live, and the GC a read/update
// load causes. Every form runs alone in a fresh `node --expose-gc` process (memory-child.ts); the
// forms run in turn, the order rotating each repetition, and each ratio is taken against records()
// and plain objects measured in the same repetition.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recordMetric } from './metrics.js';
import { measureForm, type MemoryResult } from './memory-child.js';
import { forms } from './memory-forms.js';
import { sized, smoke } from './mode.js';

const COUNT = sized(1_000_000, 2_000);
// One repetition per run: `pnpm bench` runs the suite several times, and a million typed-struct
// instances take half a minute to build.
const REPETITIONS = 1;
const RAW = 32; // sizeof(User)
const child = fileURLToPath(new URL('./memory-child.js', import.meta.url));
const names = Object.keys(forms);

const runs: Map<string, MemoryResult>[] = [];
for (let rep = 0; rep < REPETITIONS; rep++) {
  const results = new Map<string, MemoryResult>();
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + rep) % names.length]!;
    // A smoke run measures in this process (run it with --expose-gc): it checks the paths, not the numbers.
    if (smoke) results.set(name, await measureForm(name, COUNT));
    else {
      const output = execFileSync(process.execPath, ['--expose-gc', child, name, String(COUNT)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      results.set(name, JSON.parse(output.trim().split('\n').at(-1)!) as MemoryResult);
    }
  }
  runs.push(results);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** The median over repetitions of f(this form's result, records()'s, plain objects'), all from one repetition. */
const over = (name: string, f: (r: MemoryResult, records: MemoryResult, plain: MemoryResult) => number): number =>
  median(runs.map((results) => f(results.get(name)!, results.get('records()')!, results.get('plain objects')!)));

console.log(`${COUNT.toLocaleString('en-US')} Users held each way — Node ${process.version}, ${process.arch}; median of ${REPETITIONS} fresh process(es) per form\n`);
console.log('| form | bytes/record | ÷ raw 32 B | build ms | build ÷ records() | full GC ms | full GC ÷ records() | full GC ÷ plain objects | load ms (4 passes) | GC ms during load (collections) | how |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const name of names) {
  const bytes = over(name, (r) => r.bytesPerRecord);
  const buildRatio = over(name, (r, rec) => r.buildMs / rec.buildMs);
  const gcRatio = over(name, (r, rec) => r.fullGcMs / rec.fullGcMs);
  const gcPlain = over(name, (r, _, plain) => r.fullGcMs / plain.fullGcMs);
  console.log(
    `| ${name} | ${bytes.toFixed(1)} | ${(bytes / RAW).toFixed(2)} | ${over(name, (r) => r.buildMs).toFixed(0)} | ${buildRatio.toFixed(2)} | ` +
      `${over(name, (r) => r.fullGcMs).toFixed(1)} | ${gcRatio.toFixed(2)} | ${gcPlain.toFixed(2)} | ${over(name, (r) => r.loadMs).toFixed(0)} | ` +
      `${over(name, (r) => r.loadGcMs).toFixed(1)} (${over(name, (r) => r.loadGcCount)}) | ${forms[name]!.note} |`,
  );
  recordMetric({ chart: 'bytes per record (÷ the raw 32 bytes)', label: name, value: bytes / RAW, unit: '×' });
  recordMetric({ chart: 'full GC pause with every record live (÷ records())', label: name, value: gcRatio, unit: '×' });
  recordMetric({ chart: 'build time (÷ filling records())', label: name, value: buildRatio, unit: '×' });
}
console.log('\n(bytes/record: heap plus external memory after a full collection, less what was there before, over the records;');
console.log(' full GC: median of five gc() calls with everything live; load: two read passes and two read+update passes)');
