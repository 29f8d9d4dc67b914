// Pools: zeroed slots, poisoned released views, generation-checked release, growth, iteration,
// and a shared pool read and written by a real worker thread.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createPool, Field, MemoryError, Struct, view, viewMemory } from '@structsync/core';
import { codeOf as codeOfAny } from '../support/error-code.js';

const codeOf = (fn: () => unknown): ReturnType<typeof codeOfAny> => codeOfAny(fn, MemoryError);

@Struct()
class Point {
  @Field({ type: 'i32' }) x!: number;
  @Field({ type: 'i32' }) y!: number;
}

@Struct()
class Segment {
  @Field({ type: Point }) from!: Point;
  @Field({ type: Point, length: 2 }) ends!: Point[];
}

describe.each([true, false])('createPool (codegen %s)', (codegen) => {
  it('hands out zeroed slots and counts them', () => {
    const pool = createPool(Point, { capacity: 2, codegen });
    const a = pool.acquire();
    a.x = 7;
    pool.release(a);
    const b = pool.acquire();
    expect(b.x).toBe(0);
    expect(b).toBeInstanceOf(Point);
    expect(pool.inUse).toBe(1);
    expect(pool.capacity).toBe(2);
    expect(pool.buffer.byteLength).toBe(16);
  });

  it('makes a released view throw instead of reading the next occupant', () => {
    const pool = createPool(Segment, { capacity: 1, codegen });
    const a = pool.acquire();
    const child = a.from;
    const end = a.ends[1]!;
    pool.release(a);
    const b = pool.acquire();
    b.from.x = 42;
    expect(codeOf(() => a.from)).toBe('STALE_VIEW');
    expect(codeOf(() => child.x)).toBe('STALE_VIEW');
    expect(codeOf(() => end.y)).toBe('STALE_VIEW');
    expect(codeOf(() => (child.x = 1))).toBe('STALE_VIEW');
    expect(b.from.x).toBe(42);
  });

  it('rejects double release and foreign views', () => {
    const pool = createPool(Point, { capacity: 2, codegen });
    const other = createPool(Point, { capacity: 1, codegen });
    const a = pool.acquire();
    pool.release(a);
    expect(codeOf(() => pool.release(a))).toBe('DOUBLE_RELEASE');
    expect(codeOf(() => pool.release(other.acquire()))).toBe('FOREIGN_VIEW');
    expect(codeOf(() => pool.release({} as Point))).toBe('FOREIGN_VIEW');
    expect(pool.inUse).toBe(0);
  });

  it('reports exhaustion, or grows in place keeping views valid', () => {
    const fixed = createPool(Point, { capacity: 1, codegen });
    fixed.acquire();
    expect(codeOf(() => fixed.acquire())).toBe('POOL_EXHAUSTED');

    const pool = createPool(Point, { capacity: 1, shared: true, grow: { maxCapacity: 4 }, codegen });
    const first = pool.acquire();
    first.y = 9;
    const more = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(pool.capacity).toBe(4);
    expect(pool.buffer).toBeInstanceOf(SharedArrayBuffer);
    more[2]!.x = 3;
    expect(first.y).toBe(9);
    expect(more[2]!.x).toBe(3);
    expect(codeOf(() => pool.acquire())).toBe('POOL_EXHAUSTED');
  });

  it('iterates in-use records with one reused view', () => {
    const pool = createPool(Point, { capacity: 4, codegen });
    const held = [pool.acquire(), pool.acquire(), pool.acquire()];
    held.forEach((p, i) => (p.x = i + 1));
    pool.release(held[1]!);
    const seen = new Set<object>();
    const xs: number[] = [];
    for (const p of pool) {
      seen.add(p);
      xs.push(p.x);
    }
    expect(xs).toEqual([1, 3]);
    expect(seen.size).toBe(1);
  });
});

describe.each([true, false])('createPool edge cases (codegen %s)', (codegen) => {
  it('a stale view never reaches the slot’s next occupant, and releasing it again is refused', () => {
    const pool = createPool(Point, { capacity: 1, codegen });
    const first = pool.acquire();
    first.x = 1;
    pool.release(first);
    const second = pool.acquire();
    second.x = 2;
    expect(codeOf(() => first.x)).toBe('STALE_VIEW');
    expect(codeOf(() => (first.x = 3))).toBe('STALE_VIEW');
    expect(codeOf(() => viewMemory(first))).toBe('STALE_VIEW');
    expect(codeOf(() => JSON.stringify(first))).toBe('STALE_VIEW');
    expect(codeOf(() => pool.release(first))).toBe('DOUBLE_RELEASE');
    expect(second.x).toBe(2);
    expect(pool.inUse).toBe(1);
    expect(() => first.x).toThrow(/^Point: this view's pool slot was released/);
  });

  it('refuses views made elsewhere over its own buffer', () => {
    const pool = createPool(Point, { capacity: 2, codegen });
    pool.acquire();
    const lookalike = view(Point, pool.buffer, 0, { codegen });
    expect(codeOf(() => pool.release(lookalike))).toBe('FOREIGN_VIEW');
    expect(codeOf(() => pool.release(null as unknown as Point))).toBe('FOREIGN_VIEW');
    expect(pool.inUse).toBe(1);
  });

  it('zeroes a slot on acquire, even after a stale write attempt', () => {
    const pool = createPool(Segment, { capacity: 1, codegen });
    const a = pool.acquire();
    a.from.x = 5;
    a.ends[0]!.y = 6;
    pool.release(a);
    const b = pool.acquire();
    expect([b.from.x, b.ends[0]!.y]).toEqual([0, 0]);
    expect(new Uint8Array(pool.buffer).every((byte) => byte === 0)).toBe(true);
  });

  it('rejects bad options', () => {
    for (const options of [{ capacity: 0 }, { capacity: 1.5 }, { capacity: -1 }, { capacity: 4, grow: { maxCapacity: 2 } }, { capacity: 2 ** 40 }]) {
      expect(codeOf(() => createPool(Point, options))).toBe('INVALID_OPTION');
    }
  });

  it.each([
    ['grow: null', { capacity: 2, grow: null }],
    ['grow: a number', { capacity: 2, grow: 8 }],
    ['grow: a string', { capacity: 2, grow: '8' }],
    ['grow without maxCapacity', { capacity: 2, grow: {} }],
    ['grow.maxCapacity: a string', { capacity: 2, grow: { maxCapacity: '8' } }],
    ['grow.maxCapacity: NaN', { capacity: 2, grow: { maxCapacity: Number.NaN } }],
    ['grow.maxCapacity: fractional', { capacity: 2, grow: { maxCapacity: 4.5 } }],
    ['capacity: NaN', { capacity: Number.NaN }],
    ['capacity: -1', { capacity: -1 }],
    ['capacity: 1.5', { capacity: 1.5 }],
    ["capacity: '5'", { capacity: '5' }],
    ['capacity: Infinity', { capacity: Infinity }],
    ['capacity missing', {}],
    ['shared: a string', { capacity: 2, shared: 'yes' }],
    ['shared: 1', { capacity: 2, shared: 1 }],
    ['shared: null', { capacity: 2, shared: null }],
    ['codegen: a string', { capacity: 2, codegen: 'false' }],
    ['codegen: 0', { capacity: 2, codegen: 0 }],
    ['options: null', null],
    ['options: a number', 5],
    ['options: a string', 'capacity'],
  ])('pool_option_type_checks: %s is INVALID_OPTION naming the struct', (_, options) => {
    const create = (): unknown => createPool(Point, options as never);
    expect(codeOf(create)).toBe('INVALID_OPTION');
    expect(create).toThrow(expect.objectContaining({ struct: 'Point' }));
    expect(create).toThrow(/^Point: createPool: /);
  });

  it('grows a non-shared pool in place: the buffer object and old views survive', () => {
    const pool = createPool(Point, { capacity: 2, grow: { maxCapacity: 8 }, codegen });
    const buffer = pool.buffer;
    const early = pool.acquire();
    early.x = 11;
    const rest = Array.from({ length: 7 }, () => pool.acquire());
    expect(pool.capacity).toBe(8);
    expect(pool.buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(64);
    rest[6]!.y = 12;
    expect(early.x).toBe(11);
    expect(new Int32Array(buffer)[15]).toBe(12);
    expect([...pool].length).toBe(8);
  });
});

describe('a shared pool', () => {
  it('is visible to a real worker thread through pool.buffer', async () => {
    const pool = createPool(Point, { capacity: 4, shared: true });
    const p = pool.acquire();
    const q = pool.acquire();
    p.x = 40;
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', (buffer) => {
         const words = new Int32Array(buffer);
         Atomics.store(words, 3, words[0] + 2); // q.y = p.x + 2
         parentPort.postMessage('done');
       });`,
      { eval: true },
    );
    try {
      const done = new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage(pool.buffer);
      await done;
      expect(q.y).toBe(42);
      expect(p.x).toBe(40); // a SharedArrayBuffer is shared, not transferred
    } finally {
      await worker.terminate();
    }
  });
});
