// Benchmark harness: every comparison runs its baseline in the same process and the same Bench,
// with many operations per tinybench iteration so the harness's own per-call cost does not hide
// the difference; allocation is measured separately as heap growth per operation (allocation.ts).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { allocatedBytesPerOp } from './allocation.js';
import { recordMetric } from './metrics.js';
import { smoke } from './mode.js';

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

/**
 * A loop calling `op` `times` times, compiled afresh for each task. One shared loop function
 * would share its type feedback between all tasks: its `op()` call site turns megamorphic, so no
 * operation is inlined and every line pays a full call, which flattens the ratios being measured.
 */
function loopOf(op: Op, times: number): Op {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed source, no user input
  return new Function('op', 'times', 'return function loop() { for (let i = 0; i < times; i++) op(); };')(op, times) as Op;
}

function meanMs(bench: Bench, name: string): number {
  const task = bench.getTask(name);
  const result = task?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`benchmark ${name} did not complete: ${JSON.stringify(result)}`);
  return result.latency.mean;
}

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;

/** Settings for slow operations (a whole scan, a decode of 10k records). */
export interface CompareOptions {
  /** Minimum tinybench iterations per round (tinybench's default is 64). */
  readonly iterations?: number;
  /** Calls per allocation sample and samples (allocation.ts: 500 and 60). */
  readonly allocationChunk?: number;
  readonly allocationChunks?: number;
}

/**
 * Runs candidate and baseline, each `opsPerIteration` times per tinybench iteration, in `rounds`
 * short interleaved Benches (the order alternating), and reports the median round: on a shared
 * machine a burst of load then lands on one round of both sides, not on one side of the only round.
 */
export async function compare(
  name: string,
  candidate: Op,
  baselineName: string,
  baseline: Op,
  opsPerIteration = 1000,
  time = 700,
  rounds = 11,
  options: CompareOptions = {},
): Promise<Comparison> {
  // A smoke run takes every path once, quickly: its numbers mean nothing.
  if (smoke) [opsPerIteration, time, rounds] = [Math.min(opsPerIteration, 10), 4, 2];
  const iterations = smoke ? 2 : options.iterations;
  // The same loops in every round, so the JIT's work carries over.
  const candidateLoop = loopOf(candidate, opsPerIteration);
  const baselineLoop = loopOf(baseline, opsPerIteration);
  const results: { ratio: number; candidate: number; baseline: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: time / rounds, warmup: round === 0 && !smoke, ...(iterations === undefined ? {} : { iterations, warmupIterations: Math.min(16, iterations) }) });
    if (round % 2 === 0) bench.add(name, candidateLoop).add(baselineName, baselineLoop);
    else bench.add(baselineName, baselineLoop).add(name, candidateLoop);
    await bench.run();
    const candidateNs = (meanMs(bench, name) * 1e6) / opsPerIteration;
    const baselineNs = (meanMs(bench, baselineName) * 1e6) / opsPerIteration;
    results.push({ ratio: candidateNs / baselineNs, candidate: candidateNs, baseline: baselineNs });
  }
  const timeRatio = median(results.map((r) => r.ratio));
  const middle = results.find((r) => r.ratio === timeRatio)!;
  return {
    name,
    baseline: baselineName,
    nsPerOp: middle.candidate,
    baselineNsPerOp: middle.baseline,
    timeRatio,
    bytesPerOp: allocatedBytesPerOp(candidate, ...allocationSampling(options)),
    baselineBytesPerOp: allocatedBytesPerOp(baseline, ...allocationSampling(options)),
  };
}

const allocationSampling = (options: CompareOptions): [number, number] =>
  smoke ? [2, 2] : [options.allocationChunk ?? 500, options.allocationChunks ?? 60];

/** One line of a benchmark table: a candidate and its baseline. */
export interface Line {
  readonly name: string;
  readonly candidate: Op;
  readonly baselineName: string;
  readonly baseline: Op;
  readonly opsPerIteration?: number;
  readonly time?: number;
  /** Calls per heap-growth sample (fewer for slow operations); the same as options.allocationChunk. */
  readonly allocationChunk?: number;
  readonly target?: string;
  /** Run in the line's own process before measuring. */
  readonly setup?: () => void;
  readonly options?: CompareOptions;
}

/**
 * Runs every line in a process of its own (this script again, with `--line N`), candidate and
 * baseline together: a line then never inherits another line's JIT feedback, deoptimised code or
 * heap, which otherwise moved results by up to 40% depending on what ran before. With
 * `--line N` this process is such a child: it measures line N and prints it as JSON. Returns the
 * rows in the parent, or undefined in a child.
 */
const lineOptions = (line: Line): CompareOptions => (line.allocationChunk === undefined ? (line.options ?? {}) : { ...line.options, allocationChunk: line.allocationChunk });

export async function runLines(script: string, lines: readonly Line[]): Promise<Comparison[] | undefined> {
  const at = process.argv.indexOf('--line');
  if (at >= 0) {
    const line = lines[Number(process.argv[at + 1])]!;
    line.setup?.();
    const row = await compare(line.name, line.candidate, line.baselineName, line.baseline, line.opsPerIteration, line.time, undefined, lineOptions(line));
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return undefined;
  }
  if (smoke) {
    // One process for every line: a smoke run checks that each line runs, not what it measures.
    const rows: Comparison[] = [];
    for (const line of lines) {
      line.setup?.();
      rows.push(await compare(line.name, line.candidate, line.baselineName, line.baseline, line.opsPerIteration, line.time, undefined, lineOptions(line)));
    }
    return rows;
  }
  const path = fileURLToPath(script);
  // BENCH_ONLY=<regular expression> runs only the lines whose names match it.
  const only = process.env['BENCH_ONLY'] === undefined ? undefined : new RegExp(process.env['BENCH_ONLY']);
  return lines.flatMap((line, i) => {
    if (only !== undefined && !only.test(line.name)) return [];
    const output = execFileSync(process.execPath, [...process.execArgv, path, '--line', String(i)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(output.trim().split('\n').at(-1)!) as Comparison;
  });
}

/**
 * Line `index` measured again in `times` more fresh processes (as runLines measures it): V8 may
 * compile the same code differently from one process to the next, and a claim about a line must
 * hold in each. Empty in a smoke run, which measures in one process.
 */
export function rerunLine(script: string, index: number, times: number): Comparison[] {
  if (smoke) return [];
  const path = fileURLToPath(script);
  return Array.from({ length: times }, () => {
    const output = execFileSync(process.execPath, [...process.execArgv, path, '--line', String(index)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(output.trim().split('\n').at(-1)!) as Comparison;
  });
}

/** A time ratio (candidate ÷ baseline) in words: "16.6× faster" or "1.43× the time". */
export const speed = (timeRatio: number): string => (timeRatio <= 1 ? `${(1 / timeRatio).toFixed(1)}× faster` : `${timeRatio.toFixed(2)}× the time`);

/**
 * The rows as a markdown table; each row's speed-up also goes to `pnpm bench`'s report and charts
 * (bench/metrics.ts) under `chart` (null: the caller records its own).
 */
export function formatTable(rows: readonly Comparison[], targets: Readonly<Record<string, string>>, chart: string | null = 'speed-up over the baseline'): string {
  if (chart !== null) for (const r of rows) recordMetric({ chart, label: `${r.name.trim()} — vs ${r.baseline}`, value: 1 / r.timeRatio, unit: '×' });
  const lines = [
    '| operation | ns/op | baseline | baseline ns/op | speed-up | bytes/op (vs baseline) | target |',
    '|---|---:|---|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.nsPerOp.toFixed(1)} | ${r.baseline} | ${r.baselineNsPerOp.toFixed(1)} | ${speed(r.timeRatio)} | ` +
        `${r.bytesPerOp.toFixed(0)} (${r.baselineBytesPerOp.toFixed(0)}) | ${targets[r.name] ?? ''} |`,
    );
  }
  return lines.join('\n');
}
