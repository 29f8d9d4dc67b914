// Array and bytes setters write exactly the elements they checked: an array whose elements
// answer differently on a second read (index getters, a Proxy) cannot slip an unchecked value
// past the checks. A refused array writes nothing.
import { describe, expect, it } from 'vitest';
import { Field, sizeof, Struct, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Samples {
  @Field({ type: 'i32', length: 3 }) values!: Int32Array;
  @Field({ type: 'bytes', size: 4 }) raw!: Uint8Array;
  @Field({ type: 'i64', length: 2 }) wide!: BigInt64Array;
}

/** An array over `first` whose elements read as `first[i]` the first time and `later` after. */
function changing<T>(first: readonly T[], later: unknown): T[] {
  const reads = first.map(() => 0);
  return new Proxy([...first], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) return reads[Number(key)]!++ === 0 ? first[Number(key)] : later;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** Assigns through the setter with any value (plain arrays where the property is typed as a typed array). */
function assign(samples: Samples, key: 'values' | 'raw' | 'wide', value: unknown): void {
  (samples as unknown as Record<string, unknown>)[key] = value;
}

describe.each([true, false])('array_setter_writes_what_it_checked (codegen %s)', (codegen) => {
  const setup = (): { samples: Samples; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Samples));
    return { samples: view(Samples, buffer, 0, { codegen }), bytes: new Uint8Array(buffer) };
  };

  it('a scalar array whose elements change after the check', () => {
    const { samples } = setup();
    assign(samples, 'values', changing([1, 2, 3], 'not a number'));
    expect(Array.from(samples.values)).toEqual([1, 2, 3]);
  });

  it('a bytes array whose elements change after the check', () => {
    const { samples } = setup();
    assign(samples, 'raw', changing([1, 2, 3, 4], 1000));
    expect(Array.from(samples.raw)).toEqual([1, 2, 3, 4]);
  });

  it('a 64-bit array whose elements change after the check', () => {
    const { samples } = setup();
    assign(samples, 'wide', changing([1n, -2n], 'x'));
    expect(Array.from(samples.wide)).toEqual([1n, -2n]);
  });

  it('a typed array over the same bytes, shifted, is read before it is overwritten', () => {
    const { samples, bytes } = setup();
    assign(samples, 'values', [1, 2, 3]);
    // Ahead of the field: elements 1..3 of it (the last one is the raw field's zero bytes).
    assign(samples, 'values', new Int32Array(bytes.buffer, samples.values.byteOffset + 4, 3));
    expect(Array.from(samples.values)).toEqual([2, 3, 0]);
    // Behind the field: the byte before it, then its own first three bytes.
    assign(samples, 'raw', [1, 2, 3, 4]);
    const rawAt = samples.raw.byteOffset;
    bytes[rawAt - 1] = 9;
    assign(samples, 'raw', bytes.subarray(rawAt - 1, rawAt + 3));
    expect(Array.from(samples.raw)).toEqual([9, 1, 2, 3]);
  });

  it('an array refused on its first read writes nothing', () => {
    const { samples, bytes } = setup();
    assign(samples, 'values', [7, 8, 9]);
    const before = bytes.slice();
    const bad = [1, 2, 3];
    Object.defineProperty(bad, 1, { get: () => 1.5 });
    expect(codeOf(() => assign(samples, 'values', bad), ValueError)).toBe('NOT_INTEGER');
    expect(bytes).toEqual(before);
  });
});
