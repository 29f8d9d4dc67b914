// Bytes allocated per call, measured as heap growth over short chunks of calls: a chunk during
// which a collection ran (the heap shrank) is discarded, and the median chunk is reported, so
// neither a scavenge nor the benchmark harness's own leftovers distort the figure.
type Op = () => void;

export function allocatedBytesPerOp(op: Op, chunk = 500, chunks = 60): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 5 * chunk; i++) op(); // warm up
  gc?.();
  const samples: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < chunk; i++) op();
    const grown = process.memoryUsage().heapUsed - before;
    if (grown >= 0) samples.push(grown / chunk);
  }
  samples.sort((a, b) => a - b);
  return samples.length === 0 ? NaN : samples[Math.floor(samples.length / 2)]!;
}
