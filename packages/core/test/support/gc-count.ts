// Counting garbage collections around a loop, for the allocation-free claims. Two things besides
// the loop's own allocation can put a collection inside the measured window, and both are removed
// here rather than tolerated: an incremental marking cycle started by earlier tests (hence a full
// collection before warming up) and code that is not yet optimised (unoptimised code boxes every
// double it handles; TurboFan compiles on a background thread, which on a loaded two-core CI
// machine can lag the warm-up, hence the pause before measuring).
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Allocations<T> {
  /** Collections that started while the measured run executed. */
  readonly gcs: number;
  readonly heapGrowth: number;
  readonly result: T;
}

/** GC events and heap growth while `run` executes, after `warmups` runs and a pause to optimise it. */
export async function allocationsOf<T>(run: () => T, warmups = 10): Promise<Allocations<T>> {
  collectGarbage();
  for (let i = 0; i < warmups; i++) run();
  await pause(50);
  const gcTimes: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcTimes.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  await pause(20);
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const result = run();
  const end = performance.now();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  await pause(100); // GC entries are delivered asynchronously
  observer.disconnect();
  return { gcs: gcTimes.filter((t) => t >= start && t <= end).length, heapGrowth, result };
}
