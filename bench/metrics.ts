// Numbers a suite hands to `pnpm bench` (bench/run-all.ts) for its min/median/max table and its
// charts: one JSON line per metric, appended to the file STRUCTSYNC_BENCH_METRICS names. A suite
// run on its own (no such file) just prints its tables.
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface Metric {
  /** The suite: STRUCTSYNC_BENCH_SUITE, or the script's name without `.bench.js`. */
  readonly suite: string;
  /** Which chart and table of the suite this belongs to. */
  readonly chart: string;
  /** The row (bar, or line of a line chart). */
  readonly label: string;
  /** A second dimension: the colour of a bar or line. */
  readonly series?: string;
  /** Position on a line chart's x axis (e.g. the number of records). */
  readonly x?: number;
  readonly value: number;
  readonly unit: string;
}

const suiteName = (): string => process.env.STRUCTSYNC_BENCH_SUITE ?? basename(process.argv[1] ?? 'bench').replace(/\.bench\.js$/, '');

export function recordMetric(metric: Omit<Metric, 'suite'>): void {
  const file = process.env.STRUCTSYNC_BENCH_METRICS;
  if (file === undefined || file === '' || !Number.isFinite(metric.value)) return;
  appendFileSync(file, `${JSON.stringify({ suite: suiteName(), ...metric })}\n`);
}
