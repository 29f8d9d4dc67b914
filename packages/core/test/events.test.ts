// The diagnostics channels of DESIGN §8 as a subscriber sees them: commit timing and retries,
// retries and lock waits against a real worker thread holding a record, wake-ups of
// waitForChange, layouts computed, fromMap refusals, and the conversion tracing channels.
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  channels,
  ConflictError,
  createPool,
  createTable,
  Field,
  fingerprint,
  fromMap,
  layoutOf,
  Struct,
  toMap,
  ValueError,
  view,
  type CommitEvent,
  type LayoutEvent,
  type PoolEvent,
  type RejectEvent,
  type RetryEvent,
  type WaitEvent,
} from '@structsync/core';
import { Account, bytesOf, versionWord } from './support/table-structs.js';

const subscriptions: [string, (message: unknown) => void][] = [];
afterEach(() => {
  for (const [name, listener] of subscriptions.splice(0)) unsubscribe(name, listener);
});

/** Collects the messages of one channel until the test ends. */
function listen<T>(name: string): T[] {
  const messages: T[] = [];
  const listener = (message: unknown): void => void messages.push(message as T);
  subscribe(name, listener);
  subscriptions.push([name, listener]);
  return messages;
}

function fresh() {
  const table = createTable(Account, { capacity: 4, timeout: 2_000 });
  table.update(1, (a) => void (a.balance = 100));
  return table;
}

/** A real worker thread that takes record `index`'s commit lock, holds it `ms`, then publishes. */
async function holdLock(words: Int32Array, at: number, ms: number): Promise<Worker> {
  const worker = new Worker(
    `const { parentPort, workerData: { buffer, at, ms } } = require('node:worker_threads');
     const words = new Int32Array(buffer);
     const version = Atomics.load(words, at);
     if (Atomics.compareExchange(words, at, version, version + 1) !== version) throw new Error('record busy');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
     Atomics.store(words, at, version + 2);
     Atomics.notify(words, at);`,
    { eval: true, workerData: { buffer: words.buffer, at, ms } },
  );
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return worker;
}

describe('channel names', () => {
  it('are frozen and name the channels core publishes on', () => {
    expect(Object.isFrozen(channels)).toBe(true);
    expect(channels).toMatchObject({ commit: 'structsync:commit', retry: 'structsync:retry', wait: 'structsync:wait', poolAcquire: 'structsync:pool:acquire' });
    expect(new Set(Object.values(channels)).size).toBe(Object.values(channels).length);
  });
});

describe('structsync:commit', () => {
  it('carries the version written over, the retries and the duration', () => {
    const table = fresh();
    const commits = listen<CommitEvent>(channels.commit);
    const loser = table.begin(1);
    table.update(1, (a) => void (a.score = 2));
    loser.view.balance = 5;
    loser.commit({ onConflict: 'merge' });
    expect(commits).toEqual([
      { struct: 'Account', record: 1, version: 4, previousVersion: 2, fields: ['score'], policy: 'reject', retries: 0, duration: expect.any(Number) },
      { struct: 'Account', record: 1, version: 6, previousVersion: 4, fields: ['balance'], policy: 'merge', retries: 0, duration: expect.any(Number) },
    ]);
    for (const { duration } of commits) expect(duration >= 0 && duration < 1).toBe(true);
  });

  it("counts update()'s re-runs after a conflict, each also published as a retry", () => {
    const table = fresh();
    const commits = listen<CommitEvent>(channels.commit);
    const retries = listen<RetryEvent>(channels.retry);
    let runs = 0;
    table.update(1, (a) => {
      if (++runs === 1) table.update(1, (b) => void (b.balance = 7));
      a.balance += 1;
    });
    expect(runs).toBe(2);
    expect(retries).toEqual([{ struct: 'Account', record: 1, attempt: 1, reason: 'conflict', fields: ['balance'], wait: expect.any(Number), policy: 'reject' }]);
    expect(commits.map((c) => [c.version, c.retries])).toEqual([
      [4, 0], // the nested update
      [6, 1],
    ]);
    expect(table.snapshot(1).record.balance).toBe(8);
  });
});

describe('contention with a real worker thread', () => {
  it('a commit that waited for the lock publishes a locked retry with the time it waited', async () => {
    const table = fresh();
    const { words, at } = versionWord(table, 1);
    const retries = listen<RetryEvent>(channels.retry);
    const commits = listen<CommitEvent>(channels.commit);
    // The lock is taken between this transaction's snapshot and its commit.
    const tx = table.begin(1);
    tx.view.level = 9;
    const worker = await holdLock(words, at, 50);
    try {
      expect(tx.commit()).toBe(6);
    } finally {
      await worker.terminate();
    }
    expect(retries).toEqual([{ struct: 'Account', record: 1, attempt: 1, reason: 'locked', fields: ['level'], wait: expect.any(Number), policy: 'reject' }]);
    expect(retries[0]!.wait).toBeGreaterThanOrEqual(0.02);
    expect(commits).toEqual([expect.objectContaining({ previousVersion: 4, version: 6, retries: 1, fields: ['level'] })]);
  });

  it('a reader that waited for a commit in flight publishes a lock wait', async () => {
    const table = fresh();
    const { words, at } = versionWord(table, 1);
    const waits = listen<WaitEvent>(channels.wait);
    const worker = await holdLock(words, at, 50);
    try {
      expect(table.snapshot(1).record.balance).toBe(100);
    } finally {
      await worker.terminate();
    }
    expect(waits).toEqual([{ struct: 'Account', record: 1, kind: 'lock', since: 3, version: 4, outcome: 'changed', wait: expect.any(Number) }]);
    expect(waits[0]!.wait).toBeGreaterThanOrEqual(0.02);
  });
});

describe('structsync:wait for waitForChange', () => {
  it('publishes a change, a timeout and an abort, and nothing for a refused call', async () => {
    const table = fresh();
    const waits = listen<WaitEvent>(channels.wait);
    const changed = table.waitForChange(1, 2);
    table.update(1, (a) => void (a.balance = 1));
    expect(await changed).toBe(4);
    await expect(table.waitForChange(1, 4, { timeout: 10 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const abort = new AbortController();
    const aborted = table.waitForChange(1, 4, { signal: abort.signal });
    abort.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await expect(table.waitForChange(1, -1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(waits.map(({ kind, since, version, outcome }) => ({ kind, since, version, outcome }))).toEqual([
      { kind: 'change', since: 2, version: 4, outcome: 'changed' },
      { kind: 'change', since: 4, version: 4, outcome: 'timeout' },
      { kind: 'change', since: 4, version: 4, outcome: 'aborted' },
    ]);
    expect(waits[1]!.wait).toBeGreaterThanOrEqual(0.009);
  });
});

describe('structsync:layout', () => {
  it('is published once, when a layout is first computed, with its fingerprint', () => {
    const layouts = listen<LayoutEvent>(channels.layout);
    @Struct()
    class Probe {
      @Field({ type: 'u8' }) a!: number;
      @Field({ type: 'f64' }) b!: number;
    }
    layoutOf(Probe);
    layoutOf(Probe);
    expect(layouts).toEqual([{ struct: 'Probe', size: 16, align: 8, fields: 2, fingerprint: fingerprint(Probe) }]);
  });
});

@Struct()
class Item {
  @Field({ type: 'u16' }) qty!: number;
  @Field({ type: 'str', size: 4 }) sku!: string;
}

describe('structsync:reject', () => {
  it('publishes each problem of a refused fromMap, and the record is unchanged', () => {
    const rejects = listen<RejectEvent>(channels.reject);
    const buffer = new ArrayBuffer(8);
    const item = view(Item, buffer);
    fromMap(item, { qty: 2, sku: 'ab' });
    const before = new Uint8Array(buffer).slice();
    expect(() => fromMap(item, { qty: -1, sku: 'toolong' }, { allErrors: true })).toThrow(ValueError);
    expect(() => fromMap(item, { qty: 'x', sku: 'ab' })).toThrow(ValueError);
    expect(new Uint8Array(buffer)).toEqual(before);
    expect(rejects.map(({ struct, operation, path, code }) => ({ struct, operation, path, code }))).toEqual([
      { struct: 'Item', operation: 'fromMap', path: 'qty', code: 'OUT_OF_RANGE' },
      { struct: 'Item', operation: 'fromMap', path: 'sku', code: 'STRING_TOO_LONG' },
      { struct: 'Item', operation: 'fromMap', path: 'qty', code: 'TYPE_MISMATCH' },
    ]);
    expect(rejects.every((r) => r.message.length > 0)).toBe(true);
  });
});

describe('conversion tracing channels', () => {
  it('trace toMap and fromMap with the struct and tag, the result, and a refusal as an error', () => {
    const seen: string[] = [];
    const handlers = (label: string) => ({
      start: (c: { struct: string; tag: string | undefined }) => void seen.push(`${label} start ${c.struct} ${String(c.tag)}`),
      end: (c: { result?: unknown }) => void seen.push(`${label} end ${typeof c.result}`),
      asyncStart: () => {},
      asyncEnd: () => {},
      error: (c: { error?: unknown }) => void seen.push(`${label} error ${(c.error as ValueError).code}`),
    });
    const toMapTrace = tracingChannel(channels.toMap);
    const fromMapTrace = tracingChannel(channels.fromMap);
    const onToMap = handlers('toMap');
    const onFromMap = handlers('fromMap');
    toMapTrace.subscribe(onToMap as never);
    fromMapTrace.subscribe(onFromMap as never);
    const item = view(Item, new ArrayBuffer(8));
    try {
      fromMap(item, { qty: 3, sku: 'x' }, { tag: 'json' });
      expect(toMap(item)).toEqual({ qty: 3, sku: 'x' });
      expect(() => fromMap(item, { qty: 70_000, sku: 'x' })).toThrow(ValueError);
    } finally {
      toMapTrace.unsubscribe(onToMap as never);
      fromMapTrace.unsubscribe(onFromMap as never);
    }
    toMap(item);
    expect(seen).toEqual([
      'fromMap start Item json',
      'fromMap end object',
      'toMap start Item undefined',
      'toMap end object',
      'fromMap start Item undefined',
      'fromMap error OUT_OF_RANGE',
      'fromMap end undefined',
    ]);
    expect(toMap(item)).toEqual({ qty: 3, sku: 'x' });
  });
});

describe('a table bad input', () => {
  it('publishes no commit for a refused write', () => {
    const table = fresh();
    const commits = listen<CommitEvent>(channels.commit);
    const before = bytesOf(table);
    expect(() => table.update(1, (a) => void (a.balance = 1.5))).toThrow(expect.objectContaining({ code: 'NOT_INTEGER' }));
    expect(bytesOf(table)).toEqual(before);
    expect(commits).toEqual([]);
    expect(() => {
      const tx = table.begin(1);
      table.update(1, (a) => void (a.balance = 2));
      tx.view.balance = 3;
      tx.commit();
    }).toThrow(ConflictError);
    expect(commits.map((c) => c.fields)).toEqual([['balance']]);
  });
});

describe('structsync:pool:*', () => {
  it('publishes creation, acquire, release, growth and exhaustion with the pool and its counts', () => {
    const names = [channels.poolCreate, channels.poolAcquire, channels.poolRelease, channels.poolGrow, channels.poolExhausted];
    const seen: [string, PoolEvent][] = [];
    for (const name of names) {
      const listener = (message: unknown): void => void seen.push([name.slice('structsync:pool:'.length), message as PoolEvent]);
      subscribe(name, listener);
      subscriptions.push([name, listener]);
    }
    const pool = createPool(Item, { capacity: 1, grow: { maxCapacity: 2 } });
    const a = pool.acquire();
    pool.acquire(); // grows to 2
    expect(() => pool.acquire()).toThrow(expect.objectContaining({ code: 'POOL_EXHAUSTED' }));
    pool.release(a);
    expect(seen.map(([kind, { struct, capacity, inUse, from }]) => [kind, struct, capacity, inUse, from])).toEqual([
      ['create', 'Item', 1, 0, undefined],
      ['acquire', 'Item', 1, 1, undefined],
      ['grow', 'Item', 2, 1, 1],
      ['acquire', 'Item', 2, 2, undefined],
      ['exhausted', 'Item', 2, 2, undefined],
      ['release', 'Item', 2, 1, undefined],
    ]);
    expect(seen.every(([, event]) => event.pool === pool)).toBe(true);
    expect(pool.inUse).toBe(1);
  });
});
