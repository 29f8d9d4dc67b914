// toMap: nested objects and plain arrays, tags and `-`, omitempty's zero values, `into` reuse,
// 64-bit values, toJSON, faults, and hostile names through the generated converters.
import { describe, expect, it } from 'vitest';
import { createPool, Field, fromMap, MemoryError, offsetof, sizeof, Struct, toMap, view } from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';
import { Account, validAccount } from '../support/map-structs.js';

@Struct()
class Tagged {
  @Field({ type: 'i32', tag: 'json:"a,omitempty" db:"col_a"' }) a!: number;
  @Field({ type: 'str', size: 8, tag: 'json:"b,omitempty" db:-' }) b!: string;
  @Field({ type: 'bool', tag: 'json:"c,omitempty"' }) c!: boolean;
  @Field({ type: 'u64', tag: 'json:"d,omitempty"' }) d!: bigint;
  @Field({ type: 'f64', tag: 'json:"e,omitempty" yaml:e_value' }) e!: number;
  @Field({ type: 'any', size: 16, tag: 'json:"f,omitempty"' }) f!: unknown;
  @Field({ type: 'u8', length: 2, tag: 'json:"g,omitempty"' }) g!: Uint8Array;
  @Field({ type: 'i32', tag: 'json:-' }) secret!: number;
}

describe.each([true, false])('toMap (codegen %s)', (codegen) => {
  const account = (): Account => fromMap(view(Account, new ArrayBuffer(sizeof(Account)), 0, { codegen }), validAccount(), { tag: 'json' });
  const tagged = (): Tagged => view(Tagged, new ArrayBuffer(sizeof(Tagged)), 0, { codegen });

  it('gives nested structs as plain objects and arrays, bytes and struct arrays as plain arrays', () => {
    const out = toMap(account(), { tag: 'json' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.home).toEqual({ zip: 7500, city: 'Paris' });
    expect(Array.isArray(out.points) && Array.isArray(out.raw) && Array.isArray(out.spots)).toBe(true);
    expect(out.points).toEqual([1, -2, 3]);
    expect(out.raw).toEqual([1, 2, 3, 4]);
    expect(out.spots).toEqual([
      { zip: 1, city: 'a' },
      { zip: 2, city: 'b' },
    ]);
    expect([out.id, out.big, out.safe]).toEqual([1n, 2n ** 64n - 1n, 2 ** 53 - 1]);
  });

  it('keys by the asked tag, leaves out `-` fields, falls back to property names', () => {
    const t = fromMap(tagged(), { a: 1, b: 'x', c: true, d: 2n, e: 0.5, f: 'y', g: [1, 2] }, { tag: 'json' });
    t.secret = 42;
    expect(toMap(t, { tag: 'db' })).toEqual({ col_a: 1, c: true, d: 2n, e: 0.5, f: 'y', g: [1, 2], secret: 42 });
    expect(Object.keys(toMap(t, { tag: 'yaml' }))).toEqual(['a', 'b', 'c', 'd', 'e_value', 'f', 'g', 'secret']);
    expect('secret' in toMap(t, { tag: 'json' })).toBe(false);
    // No tag: the struct's priority, json first.
    expect(Object.keys(toMap(t))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('omitempty drops 0, -0, 0n, false, "" and a null any; keeps NaN, zero arrays and zero structs', () => {
    const t = tagged();
    expect(toMap(t, { tag: 'json' })).toEqual({ g: [0, 0] });
    fromMap(t, { a: -0, e: NaN }, { tag: 'json', partial: true });
    expect(toMap(t, { tag: 'json' })).toEqual({ e: NaN, g: [0, 0] });
    const zeros = toMap(account(), { tag: 'json' });
    expect(zeros.home).toBeDefined();
  });

  it('orders keys by field whichever fields are omitted', () => {
    const t = fromMap(tagged(), { a: 0, b: 'x', c: false, d: 5n, e: 0, f: null, g: [0, 0] }, { tag: 'json' });
    expect(Object.keys(toMap(t, { tag: 'json' }))).toEqual(['b', 'd', 'g']);
  });

  it('refills `into`: same object, same nested objects and arrays, omitted keys deleted, foreign keys kept', () => {
    const a = account();
    const into: Record<string, unknown> = { other: 'kept' };
    const first = toMap(a, { tag: 'json', into });
    expect(first).toBe(into);
    const { home, points, spots } = into;
    a.count = 5;
    a.home.zip = 9;
    const second = toMap(a, { tag: 'json', into });
    expect(second).toBe(into);
    expect(into.home).toBe(home);
    expect(into.points).toBe(points);
    expect(into.spots).toBe(spots);
    expect((into.home as { zip: number }).zip).toBe(9);
    expect([into.count, into.other]).toEqual([5, 'kept']);

    const t = fromMap(tagged(), { a: 1, b: 'x', c: true, d: 1n, e: 1, f: 1, g: [1, 1] }, { tag: 'json' });
    const reuse: Record<string, unknown> = {};
    toMap(t, { tag: 'json', into: reuse });
    fromMap(t, { a: 0, b: '' }, { tag: 'json', partial: true });
    toMap(t, { tag: 'json', into: reuse });
    expect('a' in reuse || 'b' in reuse).toBe(false);
    expect(reuse.c).toBe(true);
  });

  it('refuses an `into` that is not an object', () => {
    expect(() => toMap(account(), { into: [] as unknown as Record<string, unknown> })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it("refuses a stored 64-bit value past 2^53 in an as: 'number' field", () => {
    const Big = defineStruct('Big', [['n', { type: 'u64', as: 'number' }]]);
    const buffer = new ArrayBuffer(8);
    new DataView(buffer).setBigUint64(0, 2n ** 60n, true);
    expect(() => toMap(view(Big, buffer, 0, { codegen }))).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE', field: 'n' }));
    new DataView(buffer).setBigUint64(0, 2n ** 53n - 1n, true);
    expect(toMap(view(Big, buffer, 0, { codegen }))).toEqual({ n: 2 ** 53 - 1 });
  });

  it('gives JSON through the view: json names, bigints as decimal strings', () => {
    const text = JSON.stringify(account());
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect([parsed.id, parsed.big, parsed.safe]).toEqual(['1', '18446744073709551615', 2 ** 53 - 1]);
    expect(parsed.home).toEqual({ zip: 7500, city: 'Paris' });
  });

  it('reports foreign any bytes, stale views, detached buffers and non-views', () => {
    const buffer = new ArrayBuffer(sizeof(Account));
    const a = fromMap(view(Account, buffer, 0, { codegen }), validAccount(), { tag: 'json' });
    new Uint8Array(buffer)[offsetof(Account, 'extra')] = 99; // a kind byte structsync never writes
    expect(() => toMap(a, { tag: 'json' })).toThrow(MemoryError);
    expect(() => toMap(a, { tag: 'json' })).toThrow(expect.objectContaining({ code: 'INVALID_BYTES', field: 'extra' }));

    const pool = createPool(Account, { capacity: 1, codegen });
    const pooled = pool.acquire();
    pool.release(pooled);
    expect(() => toMap(pooled)).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => toMap(a)).toThrow(expect.objectContaining({ code: 'DETACHED_BUFFER' }));
    expect(() => toMap({})).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('ends in STALE_VIEW, never with the next occupant\'s values, when `into` releases the view midway', () => {
    @Struct()
    class Inner {
      @Field({ type: 'str', size: 8 }) s!: string;
    }
    @Struct()
    class Outer {
      @Field({ type: 'i32' }) a!: number;
      @Field({ type: Inner }) n!: Inner;
      @Field({ type: 'str', size: 8 }) z!: string;
    }
    const pool = createPool(Outer, { capacity: 1, codegen });
    let other: Outer | undefined;
    // The next occupant of the same (only) slot.
    const takeOver = (): void => {
      pool.release(v);
      other = fromMap(pool.acquire(), { a: 2, n: { s: 'SECRET' }, z: 'SECRET' });
    };
    // A setter of `into` itself, and a getter of the nested object it reuses.
    let v = fromMap(pool.acquire(), { a: 1, n: { s: 'mine' }, z: 'mine' });
    const bySetter = { set a(_: unknown) { takeOver(); }, n: {}, z: '' };
    expect(() => toMap(v, { into: bySetter })).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
    expect(toMap(other!)).toEqual({ a: 2, n: { s: 'SECRET' }, z: 'SECRET' });
    pool.release(other!);
    v = fromMap(pool.acquire(), { a: 1, n: { s: 'mine' }, z: 'mine' });
    const byGetter = { a: 0, get n() { takeOver(); return {}; }, z: '' };
    expect(() => toMap(v, { into: byGetter })).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
  });

  it('handles hostile field names and tag values (safe code generation)', () => {
    const hostile = 'a"]};process.exit(1)//';
    const lineSeparator = 'x\u2028y\u2029z';
    const Evil = defineStruct('Evil', [
      // db, not json: encoding/json would refuse these names (INVALID_TAG); other keys take any text.
      [hostile, { type: 'i32', tag: { db: "b'`${1}\\" } }],
      ['plain', { type: 'str', size: 4, tag: { db: lineSeparator } }],
    ]);
    const v = view(Evil, new ArrayBuffer(sizeof(Evil)), 0, { codegen });
    fromMap(v, { "b'`${1}\\": 7, [lineSeparator]: 'ok' }, { tag: 'db' });
    expect(toMap(v, { tag: 'db' })).toEqual({ "b'`${1}\\": 7, [lineSeparator]: 'ok' });
    expect(toMap(v)).toEqual({ "b'`${1}\\": 7, [lineSeparator]: 'ok' });
    expect(toMap(v, { tag: 'yaml' })).toEqual({ [hostile]: 7, plain: 'ok' });
  });
});
