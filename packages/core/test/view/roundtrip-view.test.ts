// Property-based round trips through view setters and getters for every field type, on both
// accessor paths, and a model check that the generated and interpreted paths never disagree:
// same accepted values, same error codes, same bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Field, layoutOf, Struct, StructSyncError, view, viewMemory, type FieldLayout } from '@structsync/core';
import { overflowsF32 } from '../../src/view/field-codec.js';

/** Doubles an f32 can hold (finite ones past its range are refused, not stored as Infinity). */
const f32Double = fc.double().filter((d) => !overflowsF32(d));

@Struct()
class Point {
  @Field({ type: 'i16' }) x!: number;
  @Field({ type: 'u8' }) y!: number;
}

@Struct()
class Everything {
  @Field({ type: 'i8' }) i8!: number;
  @Field({ type: 'u8' }) u8!: number;
  @Field({ type: 'i16' }) i16!: number;
  @Field({ type: 'u16' }) u16!: number;
  @Field({ type: 'i32' }) i32!: number;
  @Field({ type: 'u32' }) u32!: number;
  @Field({ type: 'i64' }) i64!: bigint;
  @Field({ type: 'u64' }) u64!: bigint;
  @Field({ type: 'i64', as: 'number' }) i64n!: number;
  @Field({ type: 'u64', as: 'number' }) u64n!: number;
  @Field({ type: 'f32' }) f32!: number;
  @Field({ type: 'f64' }) f64!: number;
  @Field({ type: 'bool' }) flag!: boolean;
  @Field({ type: 'str', size: 12 }) text!: string;
  @Field({ type: 'bytes', size: 6 }) raw!: Uint8Array;
  @Field({ type: 'i16', length: 3 }) shorts!: Int16Array;
  @Field({ type: 'f32', length: 2 }) floats!: Float32Array;
  @Field({ type: 'u64', length: 2 }) longs!: BigUint64Array;
  @Field({ type: 'any', size: 24 }) extra!: unknown;
  @Field({ type: Point }) point!: Point;
  @Field({ type: Point, length: 2 }) points!: readonly Point[];
}

type Record = { [key: string]: unknown };
const layout = layoutOf(Everything);
const field = (name: string): FieldLayout => layout.fields.find((f) => f.name === name)!;
const utf8 = (s: string): number => new TextEncoder().encode(s).length;
const int = (min: number, max: number) => fc.integer({ min, max });
const noNegativeZero = (n: number): number => (n === 0 ? 0 : n);

/** Valid values for each field, and what a read returns after writing one. */
const VALID: { [name: string]: { arbitrary: fc.Arbitrary<unknown>; expected: (value: unknown) => unknown } } = {
  i8: { arbitrary: int(-128, 127), expected: noNegativeZero as (v: unknown) => unknown },
  u8: { arbitrary: int(0, 255), expected: (v) => v },
  i16: { arbitrary: int(-32768, 32767), expected: (v) => v },
  u16: { arbitrary: int(0, 65535), expected: (v) => v },
  i32: { arbitrary: fc.oneof(int(-(2 ** 31), 2 ** 31 - 1), fc.constant(-0)), expected: (v) => noNegativeZero(v as number) },
  u32: { arbitrary: int(0, 2 ** 32 - 1), expected: (v) => v },
  i64: {
    arbitrary: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger()),
    expected: (v) => BigInt(v as bigint),
  },
  u64: { arbitrary: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.maxSafeNat()), expected: (v) => BigInt(v as bigint) },
  i64n: {
    arbitrary: fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: BigInt(Number.MIN_SAFE_INTEGER), max: BigInt(Number.MAX_SAFE_INTEGER) })),
    expected: (v) => noNegativeZero(Number(v)),
  },
  u64n: { arbitrary: fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) })), expected: (v) => Number(v) },
  f32: { arbitrary: f32Double, expected: (v) => Math.fround(v as number) },
  f64: { arbitrary: fc.double(), expected: (v) => v },
  flag: { arbitrary: fc.boolean(), expected: (v) => v },
  text: {
    arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\u0000') && utf8(s) <= 12),
    expected: (v) => v,
  },
  raw: { arbitrary: fc.uint8Array({ maxLength: 6 }), expected: (v) => [...(v as Uint8Array), 0, 0, 0, 0, 0, 0].slice(0, 6) },
  shorts: { arbitrary: fc.array(int(-32768, 32767), { minLength: 3, maxLength: 3 }), expected: (v) => v },
  floats: { arbitrary: fc.array(f32Double, { minLength: 2, maxLength: 2 }), expected: (v) => (v as number[]).map(Math.fround) },
  longs: { arbitrary: fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 2, maxLength: 2 }), expected: (v) => v },
  extra: {
    arbitrary: fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.double(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      // Strings with NUL are refused by any fields (their strings are NUL-terminated too).
      fc.string({ unit: 'binary', maxLength: 16 }).filter((s) => !s.includes('\u0000') && utf8(s) <= 16),
    ),
    expected: (v) => v,
  },
};

/** A field's value in a comparable form (typed arrays as plain arrays, nested views by their fields). */
function readable(v: Record, name: string): unknown {
  const value = v[name];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (name === 'point') return { x: (value as Point).x, y: (value as Point).y };
  if (name === 'points') return (value as Point[]).map((p) => ({ x: p.x, y: p.y }));
  return value;
}

function outcome(action: () => unknown): unknown {
  try {
    return { ok: action() };
  } catch (error) {
    if (!(error instanceof StructSyncError)) throw error;
    return { code: error.code, field: error.field };
  }
}

describe.each([true, false])('view round trips (codegen %s)', (codegen) => {
  for (const [name, { arbitrary, expected }] of Object.entries(VALID)) {
    it(`${name}: what is written is read back`, () => {
      const v = view(Everything, new ArrayBuffer(layout.size), 0, { codegen }) as unknown as Record;
      fc.assert(
        fc.property(arbitrary, (value) => {
          v[name] = value;
          expect(readable(v, name)).toEqual(expected(value));
          // Re-reading through a fresh view of the same bytes gives the same value.
          const again = view(Everything, viewMemory(v).data.buffer, 0, { codegen }) as unknown as Record;
          expect(readable(again, name)).toEqual(expected(value));
        }),
      );
    });
  }

  it('keeps the boundaries exact', () => {
    const v = view(Everything, new ArrayBuffer(layout.size), 0, { codegen });
    const cases: [keyof Everything, unknown, unknown][] = [
      ['i8', -128, -128],
      ['i8', 127, 127],
      ['u8', 255, 255],
      ['i16', -32768, -32768],
      ['u16', 65535, 65535],
      ['i32', -(2 ** 31), -(2 ** 31)],
      ['u32', 2 ** 32 - 1, 2 ** 32 - 1],
      ['i64', -(2n ** 63n), -(2n ** 63n)],
      ['u64', 2n ** 64n - 1n, 2n ** 64n - 1n],
      ['u64n', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
      ['i64n', Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
      ['f32', 0.1, Math.fround(0.1)],
      ['f32', 3.4028235677973362e38, 3.4028234663852886e38], // just below the rounding midpoint: the largest f32
      ['f32', Infinity, Infinity],
      ['f32', -Infinity, -Infinity],
      ['f32', Number.NaN, Number.NaN],
      ['f64', -0, -0],
      ['f32', -0, -0],
      ['f64', Number.MIN_VALUE, Number.MIN_VALUE],
      ['text', '😀😀😀', '😀😀😀'],
      ['text', 'aé€😀', 'aé€😀'],
    ];
    for (const [name, value, read] of cases) {
      (v as unknown as Record)[name] = value;
      expect(v[name]).toBe(read);
    }
    const { bytes } = viewMemory(v);
    const before = bytes.slice();
    expect(outcome(() => ((v as unknown as Record).text = '😀😀😀a'))).toEqual({ code: 'STRING_TOO_LONG', field: 'text' });
    expect(outcome(() => ((v as unknown as Record).i8 = 128))).toEqual({ code: 'OUT_OF_RANGE', field: 'i8' });
    expect(outcome(() => ((v as unknown as Record).u8 = -1))).toEqual({ code: 'OUT_OF_RANGE', field: 'u8' });
    expect(outcome(() => ((v as unknown as Record).u64 = 2n ** 64n))).toEqual({ code: 'OUT_OF_RANGE', field: 'u64' });
    // A finite number an f32 cannot hold would silently become Infinity: refused.
    expect(outcome(() => ((v as unknown as Record).f32 = 3.4028235677973366e38))).toEqual({ code: 'OUT_OF_RANGE', field: 'f32' });
    expect(outcome(() => ((v as unknown as Record).f32 = -Number.MAX_VALUE))).toEqual({ code: 'OUT_OF_RANGE', field: 'f32' });
    expect(outcome(() => ((v as unknown as Record).floats = [1, 1e39]))).toEqual({ code: 'OUT_OF_RANGE', field: 'floats' });
    expect(bytes).toEqual(before);
  });
});

/** Any value at all, biased towards the edges of the field types. */
const junk = fc.oneof(
  fc.anything({ withBigInt: true, withTypedArray: true, withNullPrototype: true }),
  fc.constantFrom(-129, 128, 256, -1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1.5, -0, Number.NaN, Infinity, '5', '', '\u0000', '\ud800', 'x'.repeat(13)),
  fc.constantFrom(2n ** 63n, 2n ** 64n, -1n, 1n, true, null, undefined, [], [1, 2, 3], new Uint8Array(7), Symbol('s'), () => 1),
);

describe('generated and interpreted accessors agree', () => {
  it('on every write, valid or not: same result, same error, same bytes', () => {
    const names = layout.fields.map((f) => f.name);
    const operation = fc.constantFrom(...names).chain((name) =>
      fc.tuple(fc.constant(name), VALID[name] === undefined ? junk : fc.oneof(VALID[name]!.arbitrary, junk)),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 20 }), (operations) => {
        const generated = view(Everything, new ArrayBuffer(layout.size), 0, { codegen: true }) as unknown as Record;
        const interpreted = view(Everything, new ArrayBuffer(layout.size), 0, { codegen: false }) as unknown as Record;
        for (const [name, value] of operations) {
          const a = outcome(() => {
            generated[name] = value;
          });
          const b = outcome(() => {
            interpreted[name] = value;
          });
          expect(a).toEqual(b);
          expect(viewMemory(generated).bytes).toEqual(viewMemory(interpreted).bytes);
          expect(outcome(() => readable(generated, name))).toEqual(outcome(() => readable(interpreted, name)));
        }
      }),
      { numRuns: 300 },
    );
    expect(field('point').kind).toBe('struct');
  });
});
