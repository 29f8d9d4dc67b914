// GC pauses and event-loop delay, the runtime half of `/debug/structsync/stats`.
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export interface GcStats {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

export interface RuntimeStats {
  /** Since start() or the last reset(). */
  readonly sinceMs: number;
  readonly gc: Readonly<Record<string, GcStats>>;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly memory: NodeJS.MemoryUsage;
}

export class RuntimeStatsCollector {
  #gc = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  #observer: PerformanceObserver | undefined;
  #delay: IntervalHistogram | undefined;
  #since = performance.now();

  start(): void {
    if (this.#observer !== undefined) return;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
        const stats = this.#gc.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
        stats.count++;
        stats.totalMs += entry.duration;
        stats.maxMs = Math.max(stats.maxMs, entry.duration);
        this.#gc.set(kind, stats);
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
    this.#delay = monitorEventLoopDelay({ resolution: 10 });
    this.#delay.enable();
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#delay?.disable();
    this.#observer = undefined;
    this.#delay = undefined;
  }

  reset(): void {
    this.#gc.clear();
    this.#delay?.reset();
    this.#since = performance.now();
  }

  stats(): RuntimeStats {
    const ms = (nanos: number | undefined): number => (nanos === undefined || !Number.isFinite(nanos) ? 0 : Math.round(nanos / 1e3) / 1e3);
    const delay = this.#delay;
    return {
      sinceMs: Math.round(performance.now() - this.#since),
      gc: Object.fromEntries([...this.#gc].map(([kind, s]) => [kind, { count: s.count, totalMs: round(s.totalMs), maxMs: round(s.maxMs) }])),
      eventLoopDelayMs: {
        p50: ms(delay?.percentile(50)),
        p99: ms(delay?.percentile(99)),
        max: ms(delay?.max),
        mean: ms(delay?.mean),
      },
      memory: process.memoryUsage(),
    };
  }
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
