import { describe, expect, it } from 'vitest';
import { createPool, Field, MemoryError, Struct, type StructSyncErrorCode } from '@structsync/core';

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

function codeOf(fn: () => unknown): StructSyncErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryError);
    return (error as MemoryError).code;
  }
  return undefined;
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
