// One form of bench:memory, alone in a fresh process (node --expose-gc memory-child.js FORM COUNT):
// builds COUNT records, then prints one JSON line: bytes per record after a full collection, build
// time, the pause of a full collection with everything live, and the time and GC of a read/update load.
import { PerformanceObserver } from 'node:perf_hooks';
import { forms } from './memory-forms.js';
import { typedStructReady } from './peers/typed-struct.js';

export interface MemoryResult {
  readonly form: string;
  readonly count: number;
  readonly bytesPerRecord: number;
  readonly buildMs: number;
  readonly fullGcMs: number;
  readonly loadMs: number;
  readonly loadGcMs: number;
  readonly loadGcCount: number;
}

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;

/** Measures one form; alone in its process, so that no other form's heap or code is around. */
export async function measureForm(name: string, count: number): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const form = forms[name];
  if (form === undefined) throw new Error(`no form ${name}; forms: ${Object.keys(forms).join(', ')}`);
  await typedStructReady();

  // Warm the form's code on a few records first, so the build below measures building, not compiling.
  form.pass(form.build(1000), true);
  gc();
  gc();
  const before = used();
  let started = performance.now();
  const held = form.build(count);
  const buildMs = performance.now() - started;
  gc();
  gc();
  const bytesPerRecord = (used() - before) / count;
  const pauses = Array.from({ length: 5 }, () => {
    const t = performance.now();
    gc();
    return performance.now() - t;
  });

  let loadGcMs = 0;
  let loadGcCount = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      loadGcMs += entry.duration;
      loadGcCount++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  started = performance.now();
  let sink = 0;
  for (let pass = 0; pass < 4; pass++) sink += form.pass(held, pass % 2 === 1);
  const loadMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries arrive asynchronously, after a task
  observer.disconnect();
  if (!Number.isFinite(sink)) throw new Error('the load read nothing');

  void held;
  return { form: name, count, bytesPerRecord, buildMs, fullGcMs: median(pauses), loadMs, loadGcMs, loadGcCount };
}

if (process.argv[1]?.endsWith('memory-child.js') === true) {
  const [name, count] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measureForm(name!, Number(count)))}\n`);
}
