// StructSyncInstrumentation under the real OpenTelemetry SDK (trace, metrics and logs), registered
// with registerInstrumentations: a request span around commits on a shared table that a real
// worker thread writes too, a forced conflict, conversions, a refused body and a pool; then
// disable(), after which nothing is emitted.
import { hasSubscribers, tracingChannel } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';
import { trace, SpanStatusCode } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { HistogramMetricData, MetricData } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, ConflictError, createPool, createTable, fromMap, toMap, type Table } from '@structsync/core';
import { StructSyncInstrumentation, TraceLog } from '../src/index.js';
import { otelSdk } from './support/otel.js';
import { Stock } from './support/stock.mjs';

const sdk = otelSdk();
const instrumentation = new StructSyncInstrumentation({ conversions: { sampleRatio: 1 }, traceLog: new TraceLog({ capacity: 64 }) });
let unregister: () => void;
let table: Table<Stock>;
let worker: Worker;
// Held for the whole file: the pool gauges hold pools weakly.
let pool: ReturnType<typeof createPool<Stock>>;

/** The worker commits `qty` to record `index`; resolves with the version it published. */
function workerCommits(index: number, qty: number): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: { version: number }) => resolve(reply.version));
    worker.once('error', reject);
    worker.postMessage({ index, qty });
  });
}

const pointsOf = (metric: MetricData | undefined) => metric?.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })) ?? [];

let outer: { traceId: string; spanId: string };

beforeAll(async () => {
  unregister = registerInstrumentations({
    instrumentations: [instrumentation],
    tracerProvider: sdk.tracerProvider,
    meterProvider: sdk.meterProvider,
    loggerProvider: sdk.loggerProvider,
  });
  table = createTable(Stock, { capacity: 4, timeout: 2000 });
  worker = new Worker(new URL('./support/stock-worker.mjs', import.meta.url), { workerData: { buffer: table.buffer } });
  const tracer = sdk.tracerProvider.getTracer('test');
  await tracer.startActiveSpan('POST /orders', async (span) => {
    outer = span.spanContext();
    table.update(0, (s) => {
      s.sku = 'A-1';
      s.qty = 10;
    });
    // A conflict: the worker writes qty between this transaction's snapshot and its commit.
    const tx = table.begin(0);
    tx.view.qty = 9;
    expect(await workerCommits(0, 7)).toBe(4);
    expect(() => tx.commit()).toThrow(ConflictError);
    pool = createPool(Stock, { capacity: 8 });
    const body = pool.acquire();
    fromMap(body, { sku: 'B-2', qty: 3, price: 250 });
    expect(() => fromMap(body, { sku: 'B-2', qty: 'three', price: 250 })).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH' }));
    expect(toMap(body)).toEqual({ sku: 'B-2', qty: 3, price: 250 });
    span.end();
  });
});

afterAll(async () => {
  unregister?.();
  await worker?.terminate();
  await sdk.shutdown();
});

describe('spans', () => {
  it('a commit is a structsync.commit span under the request span, with its versions and fields', () => {
    const commits = sdk.spans.getFinishedSpans().filter((s) => s.name === 'structsync.commit');
    expect(commits).toHaveLength(2);
    const [ok, conflicted] = commits;
    expect(ok!.spanContext().traceId).toBe(outer.traceId);
    expect(ok!.parentSpanContext?.spanId).toBe(outer.spanId);
    expect(ok!.attributes).toEqual({
      'structsync.struct': 'Stock',
      'structsync.record': 0,
      'structsync.fields': ['sku', 'qty'],
      'structsync.version.before': 0,
      'structsync.version.after': 2,
      'structsync.policy': 'reject',
      'structsync.retries': 0,
    });
    expect(ok!.status.code).toBe(SpanStatusCode.UNSET);
    expect(conflicted!.parentSpanContext?.spanId).toBe(outer.spanId);
    expect(conflicted!.status.code).toBe(SpanStatusCode.ERROR);
    expect(conflicted!.attributes['error.type']).toBe('ConflictError');
    expect(conflicted!.events.map((e) => [e.name, e.attributes])).toEqual([
      ['structsync.conflict', { 'structsync.fields': ['qty'], 'structsync.version.expected': 2, 'structsync.version.actual': 4 }],
    ]);
  });

  it('sampled conversions are spans too, a refusal with its code as error.type', () => {
    const conversions = sdk.spans.getFinishedSpans().filter((s) => s.name.startsWith('structsync.') && s.name !== 'structsync.commit');
    expect(conversions.map((s) => [s.name, s.status.code, s.attributes['error.type']])).toEqual([
      ['structsync.fromMap', SpanStatusCode.UNSET, undefined],
      ['structsync.fromMap', SpanStatusCode.ERROR, 'TYPE_MISMATCH'],
      ['structsync.toMap', SpanStatusCode.UNSET, undefined],
    ]);
    for (const span of conversions) expect(span.parentSpanContext?.spanId).toBe(outer.spanId);
  });
});

describe('metrics', () => {
  it('counts commits, conflicts and rejections by struct, times commits in seconds, and gauges pools', async () => {
    const metrics = await sdk.metrics();
    expect(pointsOf(metrics.get('structsync.commit.count'))).toEqual([{ attributes: { 'structsync.struct': 'Stock', 'structsync.policy': 'reject' }, value: 1 }]);
    expect(pointsOf(metrics.get('structsync.conflict.count'))).toEqual([{ attributes: { 'structsync.struct': 'Stock', 'structsync.policy': 'reject' }, value: 1 }]);
    expect(pointsOf(metrics.get('structsync.rejection.count'))).toEqual([
      { attributes: { 'structsync.struct': 'Stock', 'structsync.error.code': 'TYPE_MISMATCH' }, value: 1 },
    ]);
    const duration = metrics.get('structsync.commit.duration') as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPoints[0]!.value.count).toBe(1);
    expect(duration.dataPoints[0]!.value.max).toBeLessThan(1);
    expect(pointsOf(metrics.get('structsync.pool.in_use'))).toEqual([{ attributes: { 'structsync.struct': 'Stock' }, value: 1 }]);
    expect(pointsOf(metrics.get('structsync.pool.capacity'))).toEqual([{ attributes: { 'structsync.struct': 'Stock' }, value: 8 }]);
  });
});

describe('the sync trace log', () => {
  it('emits a log record per sync step, carrying the ids of its span', () => {
    const records = sdk.logs.getFinishedLogRecords();
    const spans = sdk.spans.getFinishedSpans().filter((s) => s.name === 'structsync.commit');
    expect(records.map((r) => [r.eventName, r.body])).toEqual([
      ['structsync.commit', 'Stock record 0: committed sku, qty (version 0 → 2)'],
      ['structsync.conflict', 'Stock record 0: conflict on qty (snapshot 2, record at 4)'],
    ]);
    records.forEach((record, i) => {
      expect(record.spanContext?.traceId).toBe(outer.traceId);
      expect(record.spanContext?.spanId).toBe(spans[i]!.spanContext().spanId);
    });
    expect(records[0]!.attributes).toMatchObject({ 'structsync.version.before': 0, 'structsync.version.after': 2 });
  });

  it('keeps the same steps in its ring, as JSON lines with trace and span ids', () => {
    const lines = instrumentation.traceLog.toJSONLines().trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ event, struct, record, fields, versionBefore, versionAfter, traceId }) => ({ event, struct, record, fields, versionBefore, versionAfter, traceId }))).toEqual([
      { event: 'commit', struct: 'Stock', record: 0, fields: ['sku', 'qty'], versionBefore: 0, versionAfter: 2, traceId: outer.traceId },
      { event: 'conflict', struct: 'Stock', record: 0, fields: ['qty'], versionBefore: 2, versionAfter: 4, traceId: outer.traceId },
    ]);
  });
});

describe('disable()', () => {
  it('unsubscribes everything: no span, point, log record or trace-log line after it', async () => {
    const before = { spans: sdk.spans.getFinishedSpans().length, logs: sdk.logs.getFinishedLogRecords().length, ring: instrumentation.traceLog.size };
    const commitsBefore = pointsOf((await sdk.metrics()).get('structsync.commit.count'));
    instrumentation.disable();
    try {
      for (const [key, name] of Object.entries(channels)) {
        const subscribed = key === 'toMap' || key === 'fromMap' ? tracingChannel(name).hasSubscribers : hasSubscribers(name);
        expect([name, subscribed]).toEqual([name, false]);
      }
      table.update(1, (s) => void (s.qty = 1));
      const tx = table.begin(1);
      tx.view.qty = 2;
      await workerCommits(1, 3);
      expect(() => tx.commit()).toThrow(ConflictError);
      trace.getTracer('test').startActiveSpan('after', (span) => {
        toMap(table.snapshot(1).record);
        span.end();
      });
      expect(sdk.spans.getFinishedSpans().length).toBe(before.spans);
      expect(sdk.logs.getFinishedLogRecords().length).toBe(before.logs);
      expect(instrumentation.traceLog.size).toBe(before.ring);
      expect(pointsOf((await sdk.metrics()).get('structsync.commit.count'))).toEqual(commitsBefore);
    } finally {
      instrumentation.enable();
    }
    table.update(1, (s) => void (s.qty = 4));
    expect(sdk.spans.getFinishedSpans().length).toBe(before.spans + 1);
  });
});

describe('configuration', () => {
  it('refuses a sample ratio outside 0–1 and a trace log of the wrong kind, with INVALID_OPTION', () => {
    expect(() => new StructSyncInstrumentation({ conversions: { sampleRatio: 2 }, enabled: false })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new StructSyncInstrumentation({ traceLog: [] as never, enabled: false })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new TraceLog({ capacity: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
