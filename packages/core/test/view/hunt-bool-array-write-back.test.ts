// Regression test (issue 12): a fixed bool array's getter returns a Uint8Array (zero-copy), but its
// setter and fromMap took only arrays of booleans, so `b.flags = a.flags` was TYPE_MISMATCH. A
// Uint8Array is taken now (each byte a truth value, as in C); an array of numbers is still refused
// (no coercion), and a refused value writes nothing.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { asMap, createPool, Field, fromMap, Struct, toMap, ValueError } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Switches {
  @Field({ type: 'bool', length: 4, tag: 'json:flags' }) flags!: Uint8Array;
  @Field({ type: 'u8', tag: 'json:n' }) n!: number;
}

describe.each([true, false])('bool_array_read_not_writable_back (codegen %s)', (codegen) => {
  const pair = () => {
    const pool = createPool(Switches, { capacity: 2, codegen });
    const a = pool.acquire();
    const b = pool.acquire();
    a.flags = new Uint8Array([1, 0, 1, 1]);
    return { a, b, bytes: new Uint8Array(pool.buffer) };
  };

  it('b.flags = a.flags copies the values', () => {
    const { a, b } = pair();
    expectTypeOf(a.flags).toEqualTypeOf<Uint8Array>();
    b.flags = a.flags;
    expect(Array.from(b.flags)).toEqual([1, 0, 1, 1]);
    expect(toMap(b, { tag: 'json' })).toEqual({ flags: [true, false, true, true], n: 0 });
  });

  it('a.flags = a.flags (the same bytes) and any non-zero byte is true', () => {
    const { a } = pair();
    a.flags = a.flags;
    expect(Array.from(a.flags)).toEqual([1, 0, 1, 1]);
    a.flags = new Uint8Array([0, 2, 255, 0]);
    expect(Array.from(a.flags)).toEqual([0, 1, 1, 0]);
  });

  it('fromMap and asMap take what the getter returns', () => {
    const { a, b } = pair();
    fromMap(b, { flags: a.flags, n: 1 }, { tag: 'json', codegen });
    expect(Array.from(b.flags)).toEqual([1, 0, 1, 1]);
    asMap(b, { tag: 'json' }).flags = new Uint8Array([0, 0, 0, 1]);
    expect(Array.from(b.flags)).toEqual([0, 0, 0, 1]);
  });

  it('numbers in a plain array, another typed array, or the wrong length: refused, nothing written', () => {
    const { b, bytes } = pair();
    const before = bytes.slice();
    expect(codeOf(() => (b.flags = [1, 0, 1, 1] as unknown as Uint8Array), ValueError)).toBe('TYPE_MISMATCH');
    expect(codeOf(() => (b.flags = new Int8Array([1, 0, 1, 1]) as unknown as Uint8Array), ValueError)).toBe('TYPE_MISMATCH');
    expect(codeOf(() => (b.flags = new Uint8Array(3)), ValueError)).toBe('INVALID_INPUT');
    expect(codeOf(() => fromMap(b, { flags: [1, 0, 1, 1], n: 2 }, { tag: 'json', codegen }), ValueError)).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
  });
});
