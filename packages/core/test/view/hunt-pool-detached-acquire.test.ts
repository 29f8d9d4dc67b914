// Regression test (issue 12): pool.acquire() after the pool's buffer was transferred threw a raw
// TypeError (from zeroing the slot, or from resizing a growable pool's buffer) after taking a slot
// off the free list. Now it is DETACHED_BUFFER, and the pool is as it was.
import { describe, expect, it } from 'vitest';
import { createPool, Field, MemoryError, Struct } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Item {
  @Field({ type: 'i32' }) id!: number;
}

describe('pool_acquire_after_transfer', () => {
  it('a pool with free slots: DETACHED_BUFFER, nothing taken', () => {
    const pool = createPool(Item, { capacity: 4 });
    pool.acquire().id = 1;
    structuredClone(pool.buffer, { transfer: [pool.buffer as ArrayBuffer] });
    expect(codeOf(() => pool.acquire(), MemoryError)).toBe('DETACHED_BUFFER');
    expect(codeOf(() => pool.acquire(), MemoryError)).toBe('DETACHED_BUFFER');
    expect([pool.capacity, pool.inUse]).toEqual([4, 1]);
  });

  it('a full growable pool (its resize would fail): DETACHED_BUFFER, capacity unchanged', () => {
    const pool = createPool(Item, { capacity: 1, grow: { maxCapacity: 8 } });
    pool.acquire();
    structuredClone(pool.buffer, { transfer: [pool.buffer as ArrayBuffer] });
    expect(codeOf(() => pool.acquire(), MemoryError)).toBe('DETACHED_BUFFER');
    expect([pool.capacity, pool.inUse]).toEqual([1, 1]);
  });

  it('the same pools still hand out zeroed slots while their buffer is theirs', () => {
    const pool = createPool(Item, { capacity: 1, grow: { maxCapacity: 8 } });
    const first = pool.acquire();
    first.id = 9;
    const second = pool.acquire(); // grows
    expect([second.id, pool.capacity, pool.inUse]).toEqual([0, 2, 2]);
  });
});
