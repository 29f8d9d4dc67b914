// Sampling heap profiles (V8's sampling heap profiler through node:inspector) in pprof form:
// the bytes still allocated, by the stack that allocated them (space/bytes, like Go's inuse_space).
import { post } from './inspector-session.js';
import { PprofBuilder, type Frame } from './pprof-builder.js';

interface HeapNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

/** Samples allocations for `seconds` (one sample per `intervalBytes` allocated on average, default 32 KiB); returns gzipped pprof. */
export async function captureHeapProfile(seconds: number, intervalBytes = 32 * 1024): Promise<Buffer> {
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: intervalBytes });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const { profile } = await post<{ profile: { head: HeapNode } }>('HeapProfiler.stopSampling');
  await post('HeapProfiler.disable');
  const builder = new PprofBuilder([['space', 'bytes']], { type: ['space', 'bytes'], value: intervalBytes });
  const walk = (node: HeapNode, stack: readonly Frame[]): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const here = functionName === '(root)' ? stack : [{ name: functionName === '' ? '(anonymous)' : functionName, file: url, line: lineNumber + 1 }, ...stack];
    if (node.selfSize > 0 && here.length > 0) builder.add(here, [node.selfSize]);
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  return builder.gzipped(seconds * 1e9);
}
