// How hard a benchmark runs: full size by default, or a smoke run (STRUCTSYNC_BENCH_SMOKE=1) that
// takes every path once with tiny sizes, so the test suite can keep the benchmarks from rotting.
export const smoke = process.env.STRUCTSYNC_BENCH_SMOKE === '1';

/** `full` in a real run, `small` in a smoke run. */
export const sized = (full: number, small: number): number => (smoke ? small : full);
