// createDebugHandler over a real http.Server: every guard (token, loopback, method, path, bounds,
// one CPU profile at a time), and each profile decoded twice — by pprof-format and by the real
// `go tool pprof` — finding its samples and the expected function or field names.
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '@structsync/core';
import { createDebugHandler, StructSyncInstrumentation, type DebugHandler } from '../src/index.js';
import { Stock } from './support/stock.mjs';

const TOKEN = 'a-debug-token-of-32-characters!!';
const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { code: string }).code;
const auth = { authorization: `Bearer ${TOKEN}` };
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'structsync-pprof-'));
const instrumentation = new StructSyncInstrumentation({ enabled: false });
let handler: DebugHandler;
let server: Server;
let base: string;

beforeAll(async () => {
  instrumentation.enable();
  handler = createDebugHandler({ token: TOKEN, maxSeconds: 5, traceLog: instrumentation.traceLog });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/structsync`;
});

afterAll(async () => {
  handler.close();
  instrumentation.disable();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** The function names of a gzipped pprof profile's sampled locations, and its sample types. */
function decode(body: Buffer): { types: string[]; names: Set<string>; samples: number; values: bigint[] } {
  const profile = Profile.decode(gunzipSync(body));
  const strings = profile.stringTable.strings;
  const functions = new Map(profile.function.map((f) => [Number(f.id), strings[Number(f.name)]!]));
  const locations = new Map(profile.location.map((l) => [Number(l.id), l.line.map((line) => functions.get(Number(line.functionId))!)]));
  const names = new Set<string>();
  for (const sample of profile.sample) for (const id of sample.locationId) for (const name of locations.get(Number(id)) ?? []) names.add(name);
  const types = profile.sampleType.map((t) => `${strings[Number(t.type)]}/${strings[Number(t.unit)]}`);
  const values = profile.sample.map((s) => BigInt(s.value[s.value.length - 1]!));
  return { types, names, samples: profile.sample.length, values };
}

/** `go tool pprof -top` over the profile: Go's own reader must accept it. */
async function goTop(body: Buffer, name: string, sampleIndex?: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, body);
  const args = ['tool', 'pprof', '-top', '-nodecount=200', ...(sampleIndex === undefined ? [] : [`-sample_index=${sampleIndex}`]), file];
  const { stdout } = await run('go', args, { env: { ...process.env, HOME: dir, PPROF_TMPDIR: dir } });
  return stdout;
}

/** Keeps this thread busy in a function with a name to look for, in slices so the server can answer. */
async function burnCpuWhile(pending: Promise<unknown>): Promise<void> {
  let done = false;
  void pending.finally(() => (done = true));
  while (!done) {
    structsyncProfileBusyLoop(20);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function structsyncProfileBusyLoop(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

const retained: unknown[] = [];
function structsyncProfileAllocates(): void {
  for (let i = 0; i < 2000; i++) retained.push(new Array(64).fill(i));
}

describe('guards', () => {
  it('refuses a missing or wrong token with 401 and a JSON body', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }] as Record<string, string>[]) {
      const res = await fetch(`${base}/stats`, { headers });
      expect(res.status).toBe(401);
      expect(await codeOf(res)).toBe('UNAUTHORIZED');
    }
  });

  it('refuses other methods (405), unknown paths (404), bad seconds and formats (400)', async () => {
    const post = await fetch(`${base}/stats`, { method: 'POST', headers: auth });
    expect([post.status, post.headers.get('allow'), await codeOf(post)]).toEqual([405, 'GET', 'METHOD_NOT_ALLOWED']);
    const unknown = await fetch(`${base}/goroutine`, { headers: auth });
    expect([unknown.status, await codeOf(unknown)]).toEqual([404, 'NOT_FOUND']);
    for (const query of ['seconds=abc', 'seconds=0', 'seconds=-1', 'seconds=6', 'seconds=Infinity']) {
      const res = await fetch(`${base}/profile?${query}`, { headers: auth });
      expect([query, res.status, await codeOf(res)]).toEqual([query, 400, 'INVALID_SECONDS']);
    }
    const format = await fetch(`${base}/profile?seconds=1&format=svg`, { headers: auth });
    expect([format.status, await codeOf(format)]).toEqual([400, 'INVALID_FORMAT']);
  });

  it('serves loopback callers only unless allowRemote', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    expect(address, 'this machine has no non-loopback IPv4 interface to test from').toBeDefined();
    const remote = createServer(createDebugHandler({ token: TOKEN }));
    const open = createServer(createDebugHandler({ token: TOKEN, allowRemote: true }));
    await Promise.all([remote, open].map((s) => new Promise<void>((resolve) => s.listen(0, address, resolve))));
    try {
      const at = (s: Server) => `http://${address}:${(s.address() as AddressInfo).port}/debug/structsync/stats`;
      const refused = await fetch(at(remote), { headers: auth });
      expect([refused.status, await codeOf(refused)]).toEqual([403, 'FORBIDDEN']);
      const served = await fetch(at(open), { headers: auth });
      expect(served.status).toBe(200);
    } finally {
      await Promise.all([remote, open].map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });

  it('refuses a short token or bad options at creation with INVALID_OPTION', () => {
    for (const options of [{ token: 'short' }, { token: TOKEN, maxSeconds: 0 }, { token: TOKEN, allowRemote: 'yes' }, null]) {
      expect(() => createDebugHandler(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });
});

describe('profiles', () => {
  it('CPU: pprof that pprof-format and go tool pprof read, with the busy function; a second profile at once is 409', async () => {
    const pending = fetch(`${base}/profile?seconds=1`, { headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await fetch(`${base}/profile?seconds=1`, { headers: auth });
    expect([second.status, await codeOf(second)]).toEqual([409, 'PROFILE_RUNNING']);
    await burnCpuWhile(pending);
    const res = await pending;
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/octet-stream']);
    const body = Buffer.from(await res.arrayBuffer());
    const profile = decode(body);
    expect(profile.types).toEqual(['samples/count', 'cpu/nanoseconds']);
    expect(profile.samples).toBeGreaterThan(10);
    expect(profile.names.has('structsyncProfileBusyLoop')).toBe(true);
    expect(await goTop(body, 'cpu.pb.gz')).toContain('structsyncProfileBusyLoop');
  });

  it('CPU as a DevTools .cpuprofile on request', async () => {
    const res = await fetch(`${base}/profile?seconds=0.3&format=cpuprofile`, { headers: auth });
    const profile = (await res.json()) as { nodes: unknown[]; samples: number[] };
    expect(res.status).toBe(200);
    expect(profile.nodes.length).toBeGreaterThan(1);
    expect(Array.isArray(profile.samples)).toBe(true);
  });

  it('heap: the bytes allocated by the stacks that allocated them', async () => {
    const pending = fetch(`${base}/heap?seconds=0.5`, { headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 50));
    structsyncProfileAllocates();
    const res = await pending;
    const body = Buffer.from(await res.arrayBuffer());
    const profile = decode(body);
    expect(profile.types).toEqual(['space/bytes']);
    expect(profile.names.has('structsyncProfileAllocates')).toBe(true);
    expect(await goTop(body, 'heap.pb.gz')).toContain('structsyncProfileAllocates');
    retained.length = 0;
  });

  it('contention: where commits waited for a record a real worker thread held, by struct, record and field', async () => {
    const table = createTable(Stock, { capacity: 2, timeout: 2000 });
    table.update(1, (s) => void (s.qty = 1));
    const tx = table.begin(1);
    tx.view.price = 99;
    const words = new Int32Array(table.buffer);
    const at = table.records.base(1);
    const worker = new Worker(
      `const { parentPort, workerData: { buffer, at } } = require('node:worker_threads');
       const words = new Int32Array(buffer);
       const version = Atomics.load(words, at);
       Atomics.compareExchange(words, at, version, version + 1);
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
       Atomics.store(words, at, version + 2);
       Atomics.notify(words, at);`,
      { eval: true, workerData: { buffer: table.buffer, at } },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    tx.commit();
    await worker.terminate();
    const res = await fetch(`${base}/contention`, { headers: auth });
    const body = Buffer.from(await res.arrayBuffer());
    const profile = decode(body);
    expect(profile.types).toEqual(['contentions/count', 'delay/nanoseconds']);
    expect([...profile.names]).toEqual(expect.arrayContaining(['Stock#1.price', 'Stock#1', 'Stock', 'structsync.commit (locked)']));
    expect(profile.values.some((delay) => delay >= 20_000_000n)).toBe(true);
    const top = await goTop(body, 'contention.pb.gz', 'delay');
    expect(top).toContain('Stock#1.price');
    expect(words[at]! % 2).toBe(0);
  });
});

describe('trace and stats', () => {
  it('trace serves the sync trace log as JSON lines', async () => {
    const table = createTable(Stock, { capacity: 1 });
    table.update(0, (s) => void (s.qty = 5));
    const res = await fetch(`${base}/trace`, { headers: auth });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; struct: string; fields: string[] });
    expect(lines.at(-1)).toMatchObject({ event: 'commit', struct: 'Stock', fields: ['qty'] });
  });

  it('trace without a trace log is a 404 saying what to pass', async () => {
    const bare = createServer(createDebugHandler({ token: TOKEN }));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/debug/structsync/trace`, { headers: auth });
      expect([res.status, await codeOf(res)]).toEqual([404, 'NO_TRACE_LOG']);
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('stats reports GC pauses, event-loop delay and memory', async () => {
    // A million short-lived objects (~20 MB) outgrow the young generation: at least one scavenge.
    let kept: { i: number } | undefined;
    for (let i = 0; i < 1_000_000; i++) kept = { i };
    expect(kept?.i).toBe(999_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await fetch(`${base}/stats`, { headers: auth });
    const stats = (await res.json()) as { gc: Record<string, { count: number }>; eventLoopDelayMs: { p99: number }; memory: { heapUsed: number } };
    expect(res.status).toBe(200);
    expect(Object.values(stats.gc).reduce((n, s) => n + s.count, 0)).toBeGreaterThan(0);
    expect(stats.eventLoopDelayMs.p99).toBeGreaterThan(0);
    expect(stats.memory.heapUsed).toBeGreaterThan(0);
  });
});
