// The workers example's inventory under the real OpenTelemetry SDK: three worker threads reserve
// and re-price stock while the main thread serves "requests" (spans) that commit to the same
// records. StructSyncInstrumentation turns the main thread's commits, conflicts and retries into
// spans under each request, metric points and sync trace-log lines; a CPU profile of the run is
// written in pprof form for `go tool pprof`.
//
// Run: node examples/dist/otel/main.js
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ConflictError, createTable } from '@structsync/core';
import { captureCpuProfile, cpuProfileToPprof, StructSyncInstrumentation } from '@structsync/observability';
import { StockLine } from '../workers/inventory.js';

// 1. The SDK, as an application sets it up (in-memory exporters so that this example can print).
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
const logs = new InMemoryLogRecordExporter();
const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logs })] });

// 2. The instrumentation: five lines in an application.
const instrumentation = new StructSyncInstrumentation();
registerInstrumentations({ instrumentations: [instrumentation], tracerProvider, meterProvider, loggerProvider });

// 3. The workload: the workers example's table and workers, and requests on the main thread.
const table = createTable(StockLine, { capacity: 3 });
['apple', 'pear', 'plum'].forEach((sku, line) => table.update(line, (s) => Object.assign(s, { sku, stock: 1000, price: 2.5 })));
const profiling = captureCpuProfile(1);
const starting = new SharedArrayBuffer(4);
const workers = [1, 2, 3].map((id) => new Worker(new URL('../workers/worker.js', import.meta.url), { workerData: { buffer: table.buffer, id, starting, workers: 3 } }));
// Listened for now: a worker may be done before the requests are.
const exited = Promise.all(workers.map((w) => new Promise((resolve, reject) => w.once('exit', resolve).once('error', reject))));
const tracer = tracerProvider.getTracer('examples/otel');
const arrived = new Int32Array(starting);
while (Atomics.load(arrived, 0) < workers.length) await new Promise((resolve) => setTimeout(resolve, 1));
// Requests while the workers run: their commits to the same lines make some of these retry.
for (let order = 1; order <= 30; order++) {
  await tracer.startActiveSpan(`POST /orders #${order}`, async (request) => {
    table.update(order % 3, (s) => void (s.reserved += 2));
    if (order === 3) {
      // Two tellers price one product from the same snapshot: the second commit conflicts.
      const first = table.begin(2);
      const second = table.begin(2);
      first.view.price = 2.75;
      second.view.price = 2.6;
      first.commit();
      try {
        second.commit();
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    request.end();
  });
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await exited;
const cpu = cpuProfileToPprof(await profiling);
instrumentation.disable();

// 4. What came out.
const finished = spans.getFinishedSpans();
const children = (parent: ReadableSpan) => finished.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const requests = finished.filter((s) => s.name.startsWith('POST'));
// The first three requests, and any other whose commit had to retry.
for (const request of requests.filter((r, i) => i < 3 || r.events.length > 0)) {
  console.log(`trace ${request.spanContext().traceId.slice(0, 8)}… ${request.name}`);
  for (const event of request.events) console.log(`  · ${event.name} (${String(event.attributes?.['structsync.retry.reason'])}) [${String(event.attributes?.['structsync.fields'])}]`);
  for (const child of children(request)) {
    const a = child.attributes;
    const status = child.status.code === 2 ? ` ERROR ${String(a['error.type'])}` : '';
    console.log(
      `  └ ${child.name} ${String(a['structsync.struct'])}#${String(a['structsync.record'])} [${String(a['structsync.fields'])}] ` +
        `version ${String(a['structsync.version.before'])} → ${String(a['structsync.version.after'] ?? '-')} retries ${String(a['structsync.retries'] ?? '-')}${status}`,
    );
  }
}
await reader.forceFlush();
for (const scope of metrics.getMetrics().at(-1)?.scopeMetrics ?? []) {
  for (const metric of scope.metrics) {
    for (const point of metric.dataPoints) {
      const value = typeof point.value === 'number' ? point.value : `count ${(point.value as { count: number }).count}`;
      console.log(`metric ${metric.descriptor.name} ${JSON.stringify(point.attributes)} ${value} ${metric.descriptor.unit}`);
    }
  }
}
for (const record of logs.getFinishedLogRecords().slice(0, 6)) console.log(`log ${String(record.eventName)} span ${record.spanContext?.spanId}: ${String(record.body)}`);
console.log(`log records: ${logs.getFinishedLogRecords().length}`);
for (const line of instrumentation.traceLog.toJSONLines().trimEnd().split('\n').slice(-3)) console.log(`trace-log ${line}`);
const file = join(mkdtempSync(join(tmpdir(), 'structsync-otel-')), 'cpu.pb.gz');
writeFileSync(file, cpu);
console.log(`cpu profile: ${file} (${cpu.length} bytes; go tool pprof -top ${file})`);
