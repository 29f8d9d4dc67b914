// Benchmark harness: every comparison runs its baseline in the same process and the same Bench,
// with many operations per tinybench iteration so the harness's own per-call cost does not hide
// the difference; allocation is measured separately as heap growth per operation.
import { Bench } from 'tinybench';

export interface Comparison {
  readonly name: string;
  readonly baseline: string;
  readonly nsPerOp: number;
  readonly baselineNsPerOp: number;
  /** candidate time / baseline time (below 1 means faster). */
  readonly timeRatio: number;
  readonly bytesPerOp: number;
  readonly baselineBytesPerOp: number;
}

type Op = () => void;

function meanMs(bench: Bench, name: string): number {
  const task = bench.getTask(name);
  const result = task?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`benchmark ${name} did not complete: ${JSON.stringify(result)}`);
  return result.latency.mean;
}

/** Heap bytes allocated per call of `op`, measured with GC forced before and no GC during. */
export function bytesPerOp(op: Op, calls = 20_000): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 1000; i++) op();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) op();
  const after = process.memoryUsage().heapUsed;
  return Math.max(0, (after - before) / calls);
}

/** Runs candidate and baseline, each `opsPerIteration` times per tinybench iteration. */
export async function compare(name: string, candidate: Op, baselineName: string, baseline: Op, opsPerIteration = 1000, time = 700): Promise<Comparison> {
  const loop = (op: Op) => () => {
    for (let i = 0; i < opsPerIteration; i++) op();
  };
  const bench = new Bench({ time, warmup: true });
  bench.add(name, loop(candidate)).add(baselineName, loop(baseline));
  await bench.run();
  const nsPerOp = (meanMs(bench, name) * 1e6) / opsPerIteration;
  const baselineNsPerOp = (meanMs(bench, baselineName) * 1e6) / opsPerIteration;
  return {
    name,
    baseline: baselineName,
    nsPerOp,
    baselineNsPerOp,
    timeRatio: nsPerOp / baselineNsPerOp,
    bytesPerOp: bytesPerOp(candidate),
    baselineBytesPerOp: bytesPerOp(baseline),
  };
}

export function formatTable(rows: readonly Comparison[], targets: Readonly<Record<string, string>>): string {
  const lines = [
    '| operation | ns/op | baseline | baseline ns/op | speed-up | bytes/op (vs baseline) | target |',
    '|---|---:|---|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const speed = r.timeRatio <= 1 ? `${(1 / r.timeRatio).toFixed(1)}× faster` : `${r.timeRatio.toFixed(2)}× the time`;
    lines.push(
      `| ${r.name} | ${r.nsPerOp.toFixed(1)} | ${r.baseline} | ${r.baselineNsPerOp.toFixed(1)} | ${speed} | ` +
        `${r.bytesPerOp.toFixed(0)} (${r.baselineBytesPerOp.toFixed(0)}) | ${targets[r.name] ?? ''} |`,
    );
  }
  return lines.join('\n');
}
