// Zero allocation on the view hot paths, counted rather than assumed: a warmed-up loop of 10^6
// numeric field reads and writes (and re-points, record and pool iteration, nested fields) must
// trigger no garbage collection and must not grow the heap. Used by view-allocation*.test.ts.
import { describe, expect, it } from 'vitest';
import { createPool, Field, records, repoint, sizeof, Struct, view } from '@structsync/core';
import { allocationsOf } from './gc-count.js';

@Struct()
class Point {
  @Field({ type: 'i32' }) x!: number;
  @Field({ type: 'i32' }) y!: number;
}

@Struct()
class Sample {
  @Field({ type: 'i32' }) count!: number;
  @Field({ type: 'u8' }) level!: number;
  @Field({ type: 'bool' }) active!: boolean;
  @Field({ type: 'f64' }) value!: number;
  @Field({ type: 'u64', as: 'number' }) total!: number;
  @Field({ type: 'i64' }) id!: bigint;
  @Field({ type: Point }) at!: Point;
}

const ITERATIONS = 1_000_000;
const RECORDS = 1000;
const POOLED = 100_000;

/**
 * The suite for one accessor path. Each path runs in its own test file: call sites shared by both
 * (one function literal in describe.each) would see two view classes, turn polymorphic and stop
 * inlining, which measures the test's own code rather than the accessors.
 */
export function allocationSuite(codegen: boolean): void {
describe(`allocation-free view paths (codegen ${codegen})`, () => {
  const buffer = new ArrayBuffer(sizeof(Sample) * RECORDS);

  it('10^6 numeric reads and writes through one view', async () => {
    const v = view(Sample, buffer, 0, { codegen });
    const { gcs, heapGrowth, result } = await allocationsOf(() => {
      let sum = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        v.count = i;
        v.value = i * 0.5;
        v.active = (i & 1) === 0;
        sum += v.count + v.value + (v.active ? 1 : 0);
      }
      return sum;
    });
    expect(result).toBeGreaterThan(0);
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(256 * 1024);
  });

  it('10^6 reads and writes of each numeric type', async () => {
    // One loop per field: a loop touching many fields can exhaust V8's inlining budget, and a
    // getter that is not inlined returns its double boxed (the interpreted path's larger getters
    // hit this first). Each accessor itself allocates nothing.
    const v = view(Sample, buffer, 0, { codegen });
    const loops: (() => number)[] = [
      () => { let s = 0; for (let i = 0; i < ITERATIONS; i++) { v.count = -i; s += v.count; } return s; },
      () => { let s = 0; for (let i = 0; i < ITERATIONS; i++) { v.level = i & 255; s += v.level; } return s; },
      () => { let s = 0; for (let i = 0; i < ITERATIONS; i++) { v.active = (i & 1) === 0; s += v.active ? 1 : 0; } return s; },
      () => { let s = 0; for (let i = 0; i < ITERATIONS; i++) { v.value = i * 0.25; s += v.value; } return s; },
      () => { let s = 0; for (let i = 0; i < ITERATIONS; i++) { v.total = i * 4096; s += v.total; } return s; },
    ];
    for (const loop of loops) {
      const { gcs, heapGrowth } = await allocationsOf(loop);
      expect(gcs).toBe(0);
      expect(heapGrowth).toBeLessThan(256 * 1024);
    }
  });

  it('10^6 re-points with reads of numeric and nested fields', async () => {
    const cursor = view(Sample, buffer, 0, { codegen });
    const size = sizeof(Sample);
    const { gcs, heapGrowth } = await allocationsOf(() => {
      let sum = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        repoint(cursor, (i % RECORDS) * size);
        cursor.at.x = i;
        sum += cursor.count + cursor.at.x;
      }
      return sum;
    });
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(256 * 1024);
  });

  it('10^6 records().at(i) moves and reads', async () => {
    const list = records(Sample, buffer, { codegen });
    const { gcs, heapGrowth } = await allocationsOf(() => {
      let sum = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const r = list.at(i % RECORDS);
        sum += r.count + r.at.x;
      }
      return sum;
    });
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(256 * 1024);
  });

  it('records() and pool iteration with one reused view', async () => {
    const pool = createPool(Sample, { capacity: POOLED, codegen });
    for (let i = 0; i < POOLED; i++) pool.acquire().count = i;
    const scanned = new ArrayBuffer(sizeof(Sample) * POOLED);
    const { gcs, heapGrowth } = await allocationsOf(() => {
      let sum = 0;
      for (let round = 0; round < ITERATIONS / POOLED / 2; round++) {
        for (const r of records(Sample, scanned, { codegen })) sum += r.count;
        for (const r of pool) sum += r.count;
      }
      return sum;
    });
    // Each scan makes one iterator and one view (about a kilobyte), never anything per record.
    expect(gcs).toBe(0);
    expect(heapGrowth).toBeLessThan(256 * 1024);
  });

  it('the harness does see allocation (bigints read and kept in an array allocate)', async () => {
    // Kept: a bigint only compared is no longer allocated (V8 lowers the word read and the compare).
    const v = view(Sample, buffer, 0, { codegen });
    v.id = 2n ** 62n;
    const kept: bigint[] = new Array<bigint>(1024).fill(0n);
    const { gcs } = await allocationsOf(() => {
      for (let i = 0; i < ITERATIONS; i++) kept[i & 1023] = v.id;
      return kept.length;
    });
    expect(gcs).toBeGreaterThan(0);
  });
});
}
