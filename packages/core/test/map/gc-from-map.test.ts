// Allocation-free struct↔map on the hot path: a warmed-up loop of 10^6 fromMap calls (all checks
// included) of an all-numeric struct into a pooled view triggers no garbage collection, and nor
// does toMap into a reused object. Counted with a PerformanceObserver on 'gc' entries, and heap growth.
import { describe, expect, it } from 'vitest';
import { createPool, Field, fromMap, Struct, toMap } from '@structsync/core';
import { allocationsOf } from '../support/gc-count.js';

@Struct()
class Sample {
  @Field({ type: 'i64', tag: 'json:id' }) id!: bigint;
  @Field({ type: 'u64', as: 'number', tag: 'json:seq' }) seq!: number;
  @Field({ type: 'f64', tag: 'json:value' }) value!: number;
  @Field({ type: 'f32', tag: 'json:ratio' }) ratio!: number;
  @Field({ type: 'i32', tag: 'json:count' }) count!: number;
  @Field({ type: 'u32', tag: 'json:flags' }) flags!: number;
  @Field({ type: 'i16', tag: 'json:delta' }) delta!: number;
  @Field({ type: 'u8', tag: 'json:kind' }) kind!: number;
  @Field({ type: 'bool', tag: 'json:"ok,omitempty"' }) ok!: boolean;
}

describe('struct↔map allocates nothing on the hot path (generated converters)', () => {
  const pool = createPool(Sample, { capacity: 8 });
  const record = pool.acquire();
  const input = { id: 7n, seq: 1, value: 0.5, ratio: 0.25, count: 0, flags: 3_000_000_000, delta: -3, kind: 200, ok: true };
  const options = { tag: 'json' } as const;
  const write = (i: number): void => {
    input.count = i;
    input.value = i * 0.5;
    input.ok = (i & 1) === 0;
    fromMap(record, input, options);
  };

  it('10^6 fromMap calls of an all-numeric struct into a pooled view: no GC', async () => {
    const { gcs, heapGrowth } = await allocationsOf(() => {
      for (let i = 0; i < 1_000_000; i++) write(i);
    }, 3);
    expect(record.count).toBe(999_999);
    // 16 bytes per call would be 16 MB and many scavenges.
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(1024 * 1024);
  });

  it('10^6 toMap calls into a reused object (no bigint fields): no GC', async () => {
    @Struct()
    class Numbers {
      @Field({ type: 'f64' }) value!: number;
      @Field({ type: 'i32' }) count!: number;
      @Field({ type: 'u16' }) port!: number;
      @Field({ type: 'bool' }) ok!: boolean;
    }
    const numbers = fromMap(createPool(Numbers, { capacity: 1 }).acquire(), { value: 0.5, count: 3, port: 8080, ok: true });
    const into: Record<string, unknown> = {};
    const intoOptions = { into };
    let sum = 0;
    const read = (): void => {
      toMap(numbers, intoOptions);
      sum += into.count as number;
    };
    const { gcs, heapGrowth } = await allocationsOf(() => {
      for (let i = 0; i < 1_000_000; i++) read();
    }, 3);
    expect(sum).toBe(3 * 4_000_000);
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(1024 * 1024);
  });

  // Last in this file: once the interpreted converters of the same struct have run, the call
  // sites that pick a converter have seen two kinds; the generated path must stay allocation-free.
  it('generated fromMap still allocates nothing after the interpreted converters have run', async () => {
    const interpreted = createPool(Sample, { capacity: 1, codegen: false }).acquire();
    for (let i = 0; i < 1000; i++) toMap(fromMap(interpreted, input, options), options);
    const { gcs, heapGrowth } = await allocationsOf(() => {
      for (let i = 0; i < 1_000_000; i++) write(i);
    }, 3);
    expect(record.count).toBe(999_999);
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(1024 * 1024);
  });
});
