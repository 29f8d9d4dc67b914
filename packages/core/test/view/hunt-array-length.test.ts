// Regression tests (found in review): array and bytes values whose length lies — a typed-array
// subclass with a `length` getter, an own `length` property, a Proxy array — made setters and
// fromMap write past the field (zeroing the next record until a raw RangeError), and fromMap
// turned any typed array given for a `bytes` field into bytes (1000 stored as 232, 1.5 as 1).
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Sample {
  @Field({ type: 'i32', length: 4 }) values!: Int32Array;
  @Field({ type: 'bytes', size: 4 }) raw!: Uint8Array;
  @Field({ type: 'i32' }) tail!: number;
}

/** A Proxy over `real` whose `length` answers each read with the next of `lengths` (the last repeats). */
function lyingArray(real: unknown[], lengths: readonly unknown[]): unknown[] {
  let reads = 0;
  return new Proxy(real, {
    get(target, key, receiver) {
      if (key === 'length') return lengths[Math.min(reads++, lengths.length - 1)];
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** A typed array whose inherited `length` says 4 at first and 64 after (or `first` then `later`). */
function lyingTyped<T extends Int32Array | Uint8Array>(Base: new (n: number) => T, first: number, later: number, honestReads: number): T {
  let reads = 0;
  const array = new Base(4);
  Object.defineProperty(array, 'length', { get: () => (reads++ < honestReads ? first : later) });
  return array;
}

type Write = (sample: Sample, key: 'values' | 'raw', value: unknown) => void;

const writes: readonly (readonly [string, boolean, Write])[] = [true, false].flatMap((codegen) => [
  [`setter, codegen ${codegen}`, codegen, (s: Sample, key: string, value: unknown) => void ((s as unknown as Record<string, unknown>)[key] = value)] as const,
  [`fromMap, codegen ${codegen}`, codegen, (s: Sample, key: string, value: unknown) => void fromMap(s, { [key]: value }, { partial: true, codegen })] as const,
]);

describe.each(writes)('array_length_read_once (%s)', (_name, codegen, write) => {
  const setup = (): { first: Sample; bytes: Uint8Array; before: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Sample) * 2);
    const first = view(Sample, buffer, 0, { codegen });
    const second = view(Sample, buffer, sizeof(Sample), { codegen });
    first.values = Int32Array.of(1, 2, 3, 4);
    first.tail = 77;
    second.values = Int32Array.of(9, 9, 9, 9);
    second.raw = Uint8Array.of(5, 5, 5, 5);
    second.tail = 88;
    const bytes = new Uint8Array(buffer);
    return { first, bytes, before: bytes.slice() };
  };

  it('a Proxy array whose length grows after the check writes nothing past the field', () => {
    const { first, bytes, before } = setup();
    const value = lyingArray([1, 2, 3, 4], [1000, 4, 4, 4, 4, 4, 4, 4, 4, 1000]);
    expect(codeOf(() => write(first, 'values', value), ValueError)).toBe('INVALID_INPUT');
    expect(bytes).toEqual(before);
  });

  it('a Proxy bytes array whose length grows after the check writes nothing past the field', () => {
    const { first, bytes, before } = setup();
    const value = lyingArray([1, 2, 3, 4], [1000, 4, 4, 4, 4, 4, 4, 4, 4, 1000]);
    expect(codeOf(() => write(first, 'raw', value), ValueError)).toBe('VALUE_TOO_LARGE');
    expect(bytes).toEqual(before);
  });

  it('a Proxy array whose length is not a number is refused', () => {
    const { first, bytes, before } = setup();
    expect(codeOf(() => write(first, 'values', lyingArray([1, 2, 3, 4], ['4'])), ValueError)).toBe('INVALID_INPUT');
    expect(bytes).toEqual(before);
  });

  it('a typed array with a lying length writes its real elements and nothing past the field', () => {
    const { first, bytes } = setup();
    const value = lyingTyped(Int32Array, 4, 64, 6);
    value.set([5, 6, 7, 8]);
    write(first, 'values', value);
    expect(Array.from(first.values)).toEqual([5, 6, 7, 8]);
    expect(first.tail).toBe(77);
    // The second record is untouched.
    expect(bytes.subarray(sizeof(Sample))).toEqual(setupSecond());
  });

  it('a typed array that claims the right length but holds more is refused by its real length', () => {
    const { first, bytes, before } = setup();
    const value = Object.defineProperty(new Int32Array(8), 'length', { value: 4 });
    expect(codeOf(() => write(first, 'values', value), ValueError)).toBe('INVALID_INPUT');
    expect(bytes).toEqual(before);
  });

  it('a Uint8Array with a lying length writes its real bytes and nothing past the field', () => {
    const { first, bytes } = setup();
    const value = lyingTyped(Uint8Array, 1000, 12, 1);
    value.set([1, 2, 3, 4]);
    write(first, 'raw', value);
    expect(Array.from(first.raw)).toEqual([1, 2, 3, 4]);
    expect(first.tail).toBe(77);
    expect(bytes.subarray(sizeof(Sample))).toEqual(setupSecond());
  });

  it.each([
    ['Int32Array', new Int32Array([1000, 1, 2, 3])],
    ['Float64Array', new Float64Array([1.5, 2, 3, 4])],
    ['Uint8ClampedArray', new Uint8ClampedArray([1, 2, 3, 4])],
    ['a Float64Array re-prototyped as a Uint8Array', Object.setPrototypeOf(new Float64Array([1.5, 300, -1, 4]), Uint8Array.prototype) as unknown],
  ])('bytes refuses a typed array that is not a Uint8Array: %s', (_kind, value) => {
    const { first, bytes, before } = setup();
    expect(codeOf(() => write(first, 'raw', value), ValueError)).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
  });
});

/** The bytes of the second record as `setup` leaves them. */
function setupSecond(): Uint8Array {
  const record = view(Sample, new ArrayBuffer(sizeof(Sample)));
  record.values = Int32Array.of(9, 9, 9, 9);
  record.raw = Uint8Array.of(5, 5, 5, 5);
  record.tail = 88;
  return new Uint8Array(record.values.buffer);
}

@Struct()
class Shifted {
  @Field({ type: 'i32' }) pad!: number;
  @Field({ type: 'i32', length: 3 }) values!: Int32Array;
}

/** An Int32Array that claims to be over another buffer, hiding that it overlaps the field. */
class Disguised extends Int32Array {
  override get buffer(): ArrayBuffer {
    return new ArrayBuffer(16);
  }
}

describe.each([true, false])('overlap_is_judged_by_the_real_buffer (codegen %s)', (codegen) => {
  it('a typed array over the field’s own bytes, one element behind, lying about its buffer, is read before it is overwritten', () => {
    const buffer = new ArrayBuffer(sizeof(Shifted));
    const shifted = view(Shifted, buffer, 0, { codegen });
    shifted.pad = 7;
    shifted.values = Int32Array.of(1, 2, 3);
    shifted.values = new Disguised(buffer, 0, 3);
    expect(Array.from(shifted.values)).toEqual([7, 1, 2]);
  });
});

