// Public API of @structsync/observability. Every export is named here.
export { StructSyncInstrumentation, INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from './instrumentation/instrumentation.js';
export type { StructSyncInstrumentationConfig } from './instrumentation/instrumentation.js';
export { TraceLog } from './trace-log/trace-log.js';
export type { TraceLogOptions, TraceLogRecord } from './trace-log/trace-log.js';
export { captureCpuProfile, cpuProfileToPprof } from './profiling/cpu-profile.js';
export type { CpuProfile } from './profiling/cpu-profile.js';
export { captureHeapProfile } from './profiling/heap-profile.js';
export { ContentionProfiler } from './profiling/contention-profile.js';
export { RuntimeStatsCollector } from './profiling/runtime-stats.js';
export type { GcStats, RuntimeStats } from './profiling/runtime-stats.js';
export { createDebugHandler } from './debug/debug-handler.js';
export type { DebugHandler, DebugHandlerOptions } from './debug/debug-handler.js';
