// A pool costs its bytes (issue 13): it keeps no view per slot, only a 32-bit generation, and free
// slots chain through their own bytes. So a view the user drops is collected, 10^5 slots in use
// cost their records plus about 4 bytes each, and stale-view detection still holds when the slot
// was released through an iteration cursor, which cannot reach the views held elsewhere: those
// check their slot's generation on every access, and never show the slot's next occupant.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { asMap, createPool, Field, fromMap, MemoryError, sizeof, Struct, toMap } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

@Struct()
class Item {
  @Field({ type: 'i32' }) qty!: number;
  @Field({ type: 'f64' }) price!: number;
}

@Struct()
class Line {
  @Field({ type: 'i64' }) id!: bigint;
  @Field({ type: Item }) item!: Item;
  @Field({ type: 'str', size: 12 }) note!: string;
}

@Struct()
class Tiny {
  @Field({ type: 'u8' }) flag!: number;
}

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

describe.each([true, false])('pool memory (codegen %s)', (codegen) => {
  it('keeps no view: a view the user drops is collected', async () => {
    const pool = createPool(Line, { capacity: 4, codegen });
    let held: Line | undefined = pool.acquire();
    held.id = 5n;
    const ref = new WeakRef(held);
    held = undefined;
    // A WeakRef target survives until the end of the job that made or read it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(ref.deref()).toBeUndefined();
    expect(pool.inUse).toBe(1);
    const ids: bigint[] = [];
    for (const line of pool) ids.push(line.id);
    expect(ids).toEqual([5n]);
  });

  it('10^5 slots in use cost their records and a few bytes each (a view per slot would be ~280)', () => {
    const count = 100_000;
    gc();
    gc();
    const before = used();
    const pool = createPool(Line, { capacity: count, codegen });
    for (let i = 0; i < count; i++) pool.acquire().item.qty = i;
    gc();
    gc();
    const perSlot = (used() - before) / count;
    expect(pool.inUse).toBe(count);
    // The record's bytes, the generation's 4, and room for what else the process allocates meanwhile.
    expect(perSlot).toBeGreaterThan(sizeof(Line));
    expect(perSlot).toBeLessThanOrEqual(sizeof(Line) + 8);
    let total = 0;
    for (const line of pool) total += line.item.qty;
    expect(total).toBe((count * (count - 1)) / 2);
  });

  it('a view held elsewhere goes stale when its slot is released through a cursor and taken again', () => {
    const pool = createPool(Line, { capacity: 2, codegen });
    const kept = pool.acquire();
    fromMap(kept, { id: 1n, item: { qty: 3, price: 2.5 }, note: 'first' });
    const nested = kept.item;
    for (const line of pool) pool.release(line);
    const next = pool.acquire(); // the same slot: released slots are reused first
    fromMap(next, { id: 2n, item: { qty: 9, price: 7 }, note: 'second' });
    const bytes = new Uint8Array(pool.buffer).slice();
    for (const attempt of [
      () => kept.id,
      () => (kept.id = 8n),
      () => kept.note,
      () => (kept.note = 'x'),
      () => nested.qty,
      () => (nested.price = 1),
      () => toMap(kept),
      () => fromMap(kept, { id: 3n }, { partial: true }),
      () => asMap(kept),
      () => pool.release(kept),
    ]) {
      expect(codeOf(attempt, MemoryError)).toMatch(/^(STALE_VIEW|DOUBLE_RELEASE)$/);
    }
    expect(codeOf(() => pool.release(kept), MemoryError)).toBe('DOUBLE_RELEASE');
    expect(new Uint8Array(pool.buffer)).toEqual(bytes);
    expect(toMap(next)).toEqual({ id: 2n, item: { qty: 9, price: 7 }, note: 'second' });
    expect(pool.inUse).toBe(1);
  });

  it('reuses released slots first and hands them out zeroed, also for records under 4 bytes', () => {
    const pool = createPool(Tiny, { capacity: 3, codegen });
    const [a, b, c] = [pool.acquire(), pool.acquire(), pool.acquire()];
    a.flag = 1;
    b.flag = 2;
    c.flag = 3;
    pool.release(b);
    pool.release(a);
    const again = [pool.acquire(), pool.acquire()];
    expect(codeOf(() => pool.acquire(), MemoryError)).toBe('POOL_EXHAUSTED');
    expect(again.map((t) => t.flag)).toEqual([0, 0]);
    expect([...new Uint8Array(pool.buffer)]).toEqual([0, 0, 3]);
    expect(codeOf(() => b.flag, MemoryError)).toBe('STALE_VIEW');
    const lines = createPool(Line, { capacity: 2, codegen });
    const first = lines.acquire();
    lines.acquire().id = 7n;
    first.note = 'abcdefghijkl';
    lines.release(first);
    expect(toMap(lines.acquire())).toEqual({ id: 0n, item: { qty: 0, price: 0 }, note: '' });
  });
});
