// CPU profiles from V8's sampling profiler (node:inspector), as DevTools' .cpuprofile and as pprof
// (samples/count and cpu/nanoseconds per stack, the shape `go tool pprof` expects).
import { StructSyncError } from '@structsync/core';
import { post } from './inspector-session.js';
import { PprofBuilder, type Frame } from './pprof-builder.js';

/** The .cpuprofile JSON DevTools opens (Profiler.stop's result). */
export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: readonly number[];
}

let running = false;

/** True while a CPU profile is being taken (one at a time per thread). */
export function cpuProfileRunning(): boolean {
  return running;
}

/** Samples this thread's CPU for `seconds` (the sampling interval in microseconds, default 1,000). */
export async function captureCpuProfile(seconds: number, intervalMicros = 1000): Promise<CpuProfile> {
  if (running) throw new StructSyncError('INVALID_STATE', 'a CPU profile is already being taken; wait for it to finish');
  running = true;
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await post('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    await post('Profiler.disable');
    return profile;
  } finally {
    running = false;
  }
}

/** The profile in pprof form, gzipped. */
export function cpuProfileToPprof(profile: CpuProfile): Buffer {
  const parents = new Map<number, CpuProfileNode>();
  const byId = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parents.set(child, node);
  }
  const hits = new Map<number, { count: number; micros: number }>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const hit = hits.get(samples[i]!) ?? { count: 0, micros: 0 };
    hit.count++;
    // timeDeltas[i] is the time before sample i; the next delta is how long sample i ran.
    hit.micros += Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0);
    hits.set(samples[i]!, hit);
  }
  const builder = new PprofBuilder(
    [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    { type: ['cpu', 'nanoseconds'], value: 1_000_000 },
  );
  for (const [id, hit] of hits) {
    const stack: Frame[] = [];
    for (let node = byId.get(id); node !== undefined && node.callFrame.functionName !== '(root)'; node = parents.get(node.id)) {
      const { functionName, url, lineNumber } = node.callFrame;
      stack.push({ name: functionName === '' ? '(anonymous)' : functionName, file: url, line: lineNumber + 1 });
    }
    if (stack.length > 0) builder.add(stack, [hit.count, hit.micros * 1000]);
  }
  return builder.gzipped((profile.endTime - profile.startTime) * 1000);
}
