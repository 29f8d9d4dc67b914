// pnpm bench:observability — what @structsync/observability costs core's hot paths: an
// uncontended table.update, toMap and fromMap on User, measured
//   - with the package not loaded (a process that never imports it),
//   - loaded but never enabled,
//   - enabled (commit spans, metrics, log records, trace log; conversions not sampled),
//   - enabled with every conversion sampled,
// each in a fresh process of its own (subscribing changes the channels' shape, so a process that
// was ever enabled does not show the cost of one that never was), the kinds taking turns, several
// times. The SDK is the real one as services run it (batching span and log processors, the default
// always-on sampler), with exporters that drop what they get: the cost is ours and the SDK's.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTable, fromMap, toMap, view } from '@structsync/core';
import { recordMetric } from './metrics.js';
import { User } from './table-user.js';

type State = 'not loaded' | 'disabled' | 'enabled' | 'sampled';
const STATES: readonly State[] = ['not loaded', 'disabled', 'enabled', 'sampled'];
const OPS = ['table.update', 'toMap', 'fromMap'] as const;
const ROUNDS = 9;
const PER_ROUND = 50_000;

const table = createTable(User, { capacity: 1024 });
const buffer = new ArrayBuffer(32 * 1024);
const users = Array.from({ length: 1024 }, (_, i) => fromMap(view(User, buffer, i * 32), { id: BigInt(i), name: `user${i}`, age: i % 90 }));
const input = { id: 7n, name: 'alice', age: 31 };
let sink = 0;

const operations: Record<(typeof OPS)[number], (i: number) => void> = {
  // Each pass over the records writes another age, so every update commits.
  'table.update': (i) => void table.update(i & 1023, (u) => void (u.age = (i >> 10) & 127)),
  toMap: (i) => void (sink += toMap(users[i & 1023]!).age as number),
  fromMap: (i) => void fromMap(users[i & 1023]!, input),
};

function nsPerOp(op: (typeof OPS)[number], count: number): number {
  const run = operations[op];
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) run(i);
  return Number(process.hrtime.bigint() - start) / count;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Rounds of every op (the first a warm-up); the median per op. */
function measure(count: number): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (let round = -1; round < ROUNDS; round++) {
    for (const op of OPS) {
      const ns = nsPerOp(op, count);
      if (round >= 0) (samples[op] ??= []).push(ns);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([op, xs]) => [op, median(xs)]));
}

async function child(state: State): Promise<void> {
  if (state !== 'not loaded') {
    const { StructSyncInstrumentation } = await import('@structsync/observability');
    const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
    const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
    const drop = { export: (_items: unknown, done: (r: { code: number }) => void) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
    class Reader extends MetricReader {
      protected async onForceFlush(): Promise<void> {}
      protected async onShutdown(): Promise<void> {}
    }
    const instrumentation = new StructSyncInstrumentation({ enabled: false, ...(state === 'sampled' ? { conversions: { sampleRatio: 1 } } : {}) });
    instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(drop as never)] }));
    instrumentation.setMeterProvider(new MeterProvider({ readers: [new Reader()] }));
    instrumentation.setLoggerProvider(new LoggerProvider({ processors: [new BatchLogRecordProcessor(drop as never)] }));
    if (state !== 'disabled') instrumentation.enable();
  }
  // A sampled conversion makes a span each: fewer of them per round.
  console.log(JSON.stringify(measure(state === 'sampled' ? PER_ROUND / 10 : PER_ROUND)));
}

function parent(): void {
  const runs = Number(process.env.STRUCTSYNC_OBSERVABILITY_RUNS ?? 3);
  const results: Record<State, Record<string, number[]>> = { 'not loaded': {}, disabled: {}, enabled: {}, sampled: {} };
  const self = fileURLToPath(import.meta.url);
  for (let run = 0; run < runs; run++) {
    for (const state of STATES) {
      const output = execFileSync(process.execPath, [...process.execArgv, self, '--state', state], { encoding: 'utf8' });
      const measured = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, number>;
      for (const [op, ns] of Object.entries(measured)) (results[state][op] ??= []).push(ns);
    }
  }
  console.log(`structsync observability overhead — Node ${process.version}, ${runs} fresh processes of each kind, medians of ${ROUNDS} rounds\n`);
  console.log('| operation | not loaded ns/op | loaded, disabled | vs not loaded | enabled | overhead | every conversion sampled | overhead |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const op of OPS) {
    const m = (state: State): number => median(results[state][op]!);
    const base = m('not loaded');
    const ratio = m('disabled') / base;
    console.log(
      `| ${op} | ${base.toFixed(1)} | ${m('disabled').toFixed(1)} | ${ratio.toFixed(3)}× | ${m('enabled').toFixed(1)} | +${(m('enabled') - m('disabled')).toFixed(0)} ns | ${m('sampled').toFixed(1)} | +${(m('sampled') - m('disabled')).toFixed(0)} ns |`,
    );
    recordMetric({ chart: 'loaded but disabled, time vs not loaded', label: op, value: ratio, unit: '×' });
    recordMetric({ chart: 'enabled, ns added per operation', label: op, value: m('enabled') - m('disabled'), unit: 'ns' });
  }
  for (const state of STATES) console.log(`(${state}, ns/op per process: ${OPS.map((op) => `${op} ${results[state][op]!.map((x) => x.toFixed(1)).join('/')}`).join('; ')})`);
  if (sink === -1) console.log(sink);
}

const at = process.argv.indexOf('--state');
if (at >= 0) await child(process.argv[at + 1] as State);
else parent();
