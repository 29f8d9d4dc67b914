// Regression test (found in review): a pool created with grow that reached its maxCapacity said
// "create the pool with grow: { maxCapacity }", advice the caller had already followed.
import { describe, expect, it } from 'vitest';
import { createPool, Field, MemoryError, Struct } from '@structsync/core';

@Struct()
class Token {
  @Field({ type: 'u32' }) value!: number;
}

function exhaustionOf(pool: { acquire(): unknown }): MemoryError {
  try {
    for (;;) pool.acquire();
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryError);
    return error as MemoryError;
  }
}

describe('pool_exhausted_hint', () => {
  it('a growing pool at its maxCapacity names that limit, not grow', () => {
    const error = exhaustionOf(createPool(Token, { capacity: 1, grow: { maxCapacity: 4 } }));
    expect(error.code).toBe('POOL_EXHAUSTED');
    expect(error.message).not.toMatch(/create the pool with grow/);
    expect(error.message).toMatch(/maxCapacity 4/);
  });

  it('a fixed pool still suggests grow', () => {
    const error = exhaustionOf(createPool(Token, { capacity: 2 }));
    expect(error.code).toBe('POOL_EXHAUSTED');
    expect(error.message).toMatch(/grow: \{ maxCapacity \}/);
  });
});
