// StructSyncInstrumentation: an OpenTelemetry instrumentation in the shape of the official
// diagnostics-channel ones (instrumentation-undici, instrumentation-runtime-node). Core publishes
// on node:diagnostics_channel; this class subscribes on enable() and turns each event into spans,
// metric points, log records and a line of the sync trace log. No module is patched.
import { subscribe, tracingChannel, unsubscribe, type TracingChannelSubscribers } from 'node:diagnostics_channel';
import { context, SpanStatusCode, trace, type Attributes, type Counter, type Histogram, type Span } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  channels,
  StructSyncError,
  type BindEvent,
  type CommitEvent,
  type ConflictEvent,
  type ConversionContext,
  type PoolEvent,
  type RecoverEvent,
  type RejectEvent,
  type RetryEvent,
  type WaitEvent,
} from '@structsync/core';
import { TraceLog, type TraceLogRecord } from '../trace-log/trace-log.js';
import * as names from './attributes.js';
import { PoolGauges } from './pool-gauges.js';

export const INSTRUMENTATION_NAME = '@structsync/observability';
export const INSTRUMENTATION_VERSION = '0.1.0';

export interface StructSyncInstrumentationConfig extends InstrumentationConfig {
  /** Spans for toMap/fromMap, for this fraction of calls (0–1). Off unless given. */
  readonly conversions?: { readonly sampleRatio: number };
  /** The sync trace log ring (default: a new one of 1,024 records). */
  readonly traceLog?: TraceLog;
}

type Listener = (message: unknown) => void;

export class StructSyncInstrumentation extends InstrumentationBase<StructSyncInstrumentationConfig> {
  // `declare`: the base constructor calls enable() and _updateMetricInstruments() before a
  // subclass's own field initialisers would run, and those would then wipe what they set.
  declare private subscriptions: [string, Listener][] | undefined;
  declare private conversionSubscriptions: [string, TracingChannelSubscribers<ConversionContext>][] | undefined;
  declare private instruments: Instruments | undefined;
  declare private gauges: PoolGauges | undefined;
  declare private ring: TraceLog | undefined;

  constructor(config: StructSyncInstrumentationConfig = {}) {
    checkConfig(config);
    super(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION, config);
  }

  /** The sync trace log: the last records, readable as JSON lines. */
  get traceLog(): TraceLog {
    return (this.ring ??= this.getConfig().traceLog ?? new TraceLog());
  }

  /** Nothing to patch: core publishes on diagnostics channels. */
  protected init(): undefined {
    return undefined;
  }

  override enable(): void {
    super.enable();
    if (this.subscriptions !== undefined) return;
    this.gauges ??= new PoolGauges();
    const listeners: [string, Listener][] = [
      [channels.commit, (m) => this.onCommit(m as CommitEvent)],
      [channels.conflict, (m) => this.onConflict(m as ConflictEvent)],
      [channels.retry, (m) => this.onRetry(m as RetryEvent)],
      [channels.wait, (m) => this.onWait(m as WaitEvent)],
      [channels.recover, (m) => this.onRecover(m as RecoverEvent)],
      [channels.bind, (m) => this.onBind(m as BindEvent)],
      [channels.reject, (m) => this.onReject(m as RejectEvent)],
      [channels.poolCreate, (m) => this.gauges!.track(m as PoolEvent)],
      [channels.poolAcquire, (m) => this.gauges!.track(m as PoolEvent)],
      [channels.poolRelease, (m) => this.gauges!.track(m as PoolEvent)],
      [channels.poolGrow, (m) => this.gauges!.track(m as PoolEvent)],
    ];
    for (const [name, listener] of listeners) subscribe(name, listener);
    this.subscriptions = listeners;
    const ratio = this.getConfig().conversions?.sampleRatio;
    if (ratio !== undefined && ratio > 0) {
      this.conversionSubscriptions = [channels.toMap, channels.fromMap].map((name) => {
        const handlers = conversionHandlers(this, name === channels.toMap ? 'structsync.toMap' : 'structsync.fromMap', ratio);
        tracingChannel<ConversionContext>(name).subscribe(handlers);
        return [name, handlers];
      });
    }
  }

  override disable(): void {
    super.disable();
    for (const [name, listener] of this.subscriptions ?? []) unsubscribe(name, listener);
    for (const [name, handlers] of this.conversionSubscriptions ?? []) tracingChannel<ConversionContext>(name).unsubscribe(handlers);
    this.subscriptions = undefined;
    this.conversionSubscriptions = undefined;
  }

  protected override _updateMetricInstruments(): void {
    const meter = this.meter;
    this.instruments = {
      commits: meter.createCounter(names.METRIC_COMMITS, { description: 'Commits published on shared records.', unit: '{commit}' }),
      conflicts: meter.createCounter(names.METRIC_CONFLICTS, { description: 'Commits refused by a conflict.', unit: '{conflict}' }),
      retries: meter.createCounter(names.METRIC_RETRIES, { description: 'Commit and update retries.', unit: '{retry}' }),
      rejections: meter.createCounter(names.METRIC_REJECTIONS, { description: 'Values refused by fromMap.', unit: '{rejection}' }),
      commitDuration: meter.createHistogram(names.METRIC_COMMIT_DURATION, { description: 'Time from the start of a commit to its publication.', unit: 's' }),
      waitDuration: meter.createHistogram(names.METRIC_WAIT_DURATION, { description: 'Time spent waiting on a record.', unit: 's' }),
    };
    (this.gauges ??= new PoolGauges()).observe(meter);
  }

  /** @internal The tracer of this instrumentation (for conversion spans). */
  get conversionTracer() {
    return this.tracer;
  }

  private onCommit(event: CommitEvent): void {
    const attributes: Attributes = {
      [names.ATTR_STRUCT]: event.struct,
      [names.ATTR_RECORD]: event.record,
      [names.ATTR_FIELDS]: [...event.fields],
      [names.ATTR_VERSION_BEFORE]: event.previousVersion,
      [names.ATTR_VERSION_AFTER]: event.version,
      [names.ATTR_POLICY]: event.policy,
      [names.ATTR_RETRIES]: event.retries,
    };
    const span = this.stepSpan('structsync.commit', attributes, event.duration);
    span.end();
    const metricAttributes = { [names.ATTR_STRUCT]: event.struct, [names.ATTR_POLICY]: event.policy };
    this.instruments?.commits.add(1, metricAttributes);
    this.instruments?.commitDuration.record(event.duration, metricAttributes);
    this.log(span, 'commit', `${event.struct} record ${event.record}: committed ${event.fields.join(', ')} (version ${event.previousVersion} → ${event.version})`, {
      event: 'commit',
      struct: event.struct,
      record: event.record,
      fields: event.fields,
      versionBefore: event.previousVersion,
      versionAfter: event.version,
      policy: event.policy,
      retries: event.retries,
    });
  }

  private onConflict(event: ConflictEvent): void {
    const span = this.stepSpan('structsync.commit', {
      [names.ATTR_STRUCT]: event.struct,
      [names.ATTR_RECORD]: event.record,
      [names.ATTR_FIELDS]: [...event.fields],
      [names.ATTR_VERSION_BEFORE]: event.expectedVersion,
      [names.ATTR_POLICY]: 'reject',
      [names.ATTR_ERROR_TYPE]: 'ConflictError',
    });
    span.addEvent('structsync.conflict', {
      [names.ATTR_FIELDS]: [...event.fields],
      'structsync.version.expected': event.expectedVersion,
      'structsync.version.actual': event.actualVersion,
    });
    span.setStatus({ code: SpanStatusCode.ERROR, message: `conflict on ${event.fields.join(', ')}` });
    span.end();
    this.instruments?.conflicts.add(1, { [names.ATTR_STRUCT]: event.struct, [names.ATTR_POLICY]: 'reject' });
    this.log(span, 'conflict', `${event.struct} record ${event.record}: conflict on ${event.fields.join(', ')} (snapshot ${event.expectedVersion}, record at ${event.actualVersion})`, {
      event: 'conflict',
      struct: event.struct,
      record: event.record,
      fields: event.fields,
      versionBefore: event.expectedVersion,
      versionAfter: event.actualVersion,
    }, SeverityNumber.WARN);
  }

  private onRetry(event: RetryEvent): void {
    const attributes: Attributes = { [names.ATTR_STRUCT]: event.struct, [names.ATTR_RETRY_REASON]: event.reason };
    if (event.policy !== undefined) attributes[names.ATTR_POLICY] = event.policy;
    this.instruments?.retries.add(1, attributes);
    if (event.wait > 0) this.instruments?.waitDuration.record(event.wait, { [names.ATTR_STRUCT]: event.struct, [names.ATTR_WAIT_KIND]: 'retry' });
    trace.getActiveSpan()?.addEvent('structsync.retry', { ...attributes, [names.ATTR_RECORD]: event.record, [names.ATTR_FIELDS]: [...event.fields] });
    this.record({ event: 'retry', struct: event.struct, record: event.record, fields: event.fields, retries: event.attempt }, trace.getActiveSpan());
  }

  private onWait(event: WaitEvent): void {
    this.instruments?.waitDuration.record(event.wait, {
      [names.ATTR_STRUCT]: event.struct,
      [names.ATTR_WAIT_KIND]: event.kind,
      [names.ATTR_WAIT_OUTCOME]: event.outcome,
    });
  }

  private onRecover(event: RecoverEvent): void {
    const span = this.stepSpan('structsync.recover', {
      [names.ATTR_STRUCT]: event.struct,
      [names.ATTR_RECORD]: event.record,
      [names.ATTR_FIELDS]: [...event.suspectFields],
      [names.ATTR_VERSION_BEFORE]: event.stuckVersion,
      [names.ATTR_VERSION_AFTER]: event.version,
    });
    span.end();
    this.log(span, 'recover', `${event.struct} record ${event.record}: recovered a stuck commit (version ${event.stuckVersion} → ${event.version})`, {
      event: 'recover',
      struct: event.struct,
      record: event.record,
      fields: event.suspectFields,
      versionBefore: event.stuckVersion,
      versionAfter: event.version,
    }, SeverityNumber.WARN);
  }

  private onBind(event: BindEvent): void {
    const span = this.stepSpan('structsync.bind', {
      [names.ATTR_STRUCT]: event.struct,
      [names.ATTR_RECORD]: event.record,
      [names.ATTR_FIELDS]: [...event.fields],
      [names.ATTR_BIND_FROM]: event.from,
      [names.ATTR_BIND_TO]: event.to,
      [names.ATTR_VERSION_AFTER]: event.version,
    });
    span.end();
    this.log(span, 'bind', `${event.struct} record ${event.record}: binding ${event.from} → ${event.to} at version ${event.version}`, {
      event: 'bind',
      struct: event.struct,
      record: event.record,
      fields: event.fields,
      versionAfter: event.version,
      transition: `${event.from} → ${event.to}`,
    });
  }

  private onReject(event: RejectEvent): void {
    this.instruments?.rejections.add(1, { [names.ATTR_STRUCT]: event.struct, [names.ATTR_ERROR_CODE]: event.code });
  }

  /** A span for one step that already happened: it started `duration` seconds ago, a child of the active span. */
  private stepSpan(name: string, attributes: Attributes, duration = 0): Span {
    const now = Date.now();
    return this.tracer.startSpan(name, { attributes, startTime: now - duration * 1000 }, context.active());
  }

  private log(span: Span, event: TraceLogRecord['event'], body: string, record: Omit<TraceLogRecord, 'time' | 'traceId' | 'spanId'>, severity = SeverityNumber.INFO): void {
    const line = this.record(record, span);
    this.logger.emit({
      severityNumber: severity,
      severityText: severity === SeverityNumber.WARN ? 'WARN' : 'INFO',
      body,
      attributes: logAttributes(line),
      context: trace.setSpan(context.active(), span),
      eventName: `structsync.${event}`,
    });
  }

  private record(record: Omit<TraceLogRecord, 'time' | 'traceId' | 'spanId'>, span: Span | undefined): TraceLogRecord {
    const ids = span?.spanContext();
    const line: TraceLogRecord = { time: Date.now(), ...record, traceId: ids?.traceId, spanId: ids?.spanId };
    this.traceLog.push(line);
    return line;
  }
}

interface Instruments {
  readonly commits: Counter;
  readonly conflicts: Counter;
  readonly retries: Counter;
  readonly rejections: Counter;
  readonly commitDuration: Histogram;
  readonly waitDuration: Histogram;
}

function logAttributes(line: TraceLogRecord): Attributes {
  const attributes: Attributes = {
    [names.ATTR_STRUCT]: line.struct,
    [names.ATTR_RECORD]: line.record,
    [names.ATTR_FIELDS]: [...line.fields],
  };
  if (line.versionBefore !== undefined) attributes[names.ATTR_VERSION_BEFORE] = line.versionBefore;
  if (line.versionAfter !== undefined) attributes[names.ATTR_VERSION_AFTER] = line.versionAfter;
  if (line.policy !== undefined) attributes[names.ATTR_POLICY] = line.policy;
  if (line.retries !== undefined) attributes[names.ATTR_RETRIES] = line.retries;
  if (line.transition !== undefined) attributes['structsync.bind.transition'] = line.transition;
  return attributes;
}

/** Spans for a sampled share of conversions; the span rides on the conversion's context object. */
function conversionHandlers(owner: StructSyncInstrumentation, name: string, ratio: number): TracingChannelSubscribers<ConversionContext> {
  const spans = new WeakMap<object, Span>();
  return {
    start(message) {
      if (Math.random() >= ratio) return;
      const attributes: Attributes = { [names.ATTR_STRUCT]: message.struct };
      if (message.tag !== undefined) attributes[names.ATTR_TAG] = message.tag;
      spans.set(message, owner.conversionTracer.startSpan(name, { attributes }, context.active()));
    },
    end(message) {
      spans.get(message)?.end();
    },
    error(message) {
      const span = spans.get(message);
      if (span === undefined) return;
      const error = message.error;
      const code = error instanceof StructSyncError ? error.code : undefined;
      span.setAttribute(names.ATTR_ERROR_TYPE, code ?? (error instanceof Error ? error.name : 'Error'));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    },
    asyncStart() {},
    asyncEnd() {},
  };
}

function checkConfig(config: StructSyncInstrumentationConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw new StructSyncError('INVALID_OPTION', `StructSyncInstrumentation: config must be an object, got ${config === null ? 'null' : typeof config}`);
  }
  const ratio = config.conversions?.sampleRatio;
  if (config.conversions !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    throw new StructSyncError('INVALID_OPTION', `StructSyncInstrumentation: conversions.sampleRatio must be a number from 0 to 1, got ${String(ratio)}`);
  }
  if (config.traceLog !== undefined && !(config.traceLog instanceof TraceLog)) {
    throw new StructSyncError('INVALID_OPTION', 'StructSyncInstrumentation: traceLog must be a TraceLog');
  }
}
