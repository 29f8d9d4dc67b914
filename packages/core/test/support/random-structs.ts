// Random struct layouts for property tests: fields of every kind (64-bit integers, strings, bytes,
// scalar arrays, `any`, nested structs and struct arrays, some omitempty), each with an arbitrary
// of values that JSON can carry exactly (finite floats other than -0; no bigint in `any`).
import fc from 'fast-check';
import type { StructClass } from '@structsync/core';
import { defineStruct } from './define-struct.js';
import { utf8Length } from '../../src/utf8.js';

export interface RandomStruct {
  readonly type: StructClass;
  /** Values for a whole record, keyed by the json keys (the property names). */
  readonly value: fc.Arbitrary<Record<string, unknown>>;
  /** The spec, for a failing case's report. */
  readonly description: string;
}

interface FieldPlan {
  readonly spec: Record<string, unknown>;
  readonly value: fc.Arbitrary<unknown>;
  readonly text: string;
}

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  i8: [-128, 127],
  u8: [0, 255],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
};

const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => Number.isFinite(d) && !Object.is(d, -0));
const i64 = fc.oneof(fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const u64 = fc.oneof(fc.constantFrom(0n, 2n ** 64n - 1n, 2n ** 53n + 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const char = fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', 'é', '€', '😀', '\n');

function scalarValue(type: string): fc.Arbitrary<unknown> {
  const range = INT_RANGES[type];
  if (range !== undefined) return fc.oneof(fc.constantFrom(range[0], range[1], 0), fc.integer({ min: range[0], max: range[1] }));
  if (type === 'i64') return i64;
  if (type === 'u64') return u64;
  if (type === 'f32') return finite.map(Math.fround).filter((d) => Number.isFinite(d) && !Object.is(d, -0));
  if (type === 'f64') return finite;
  return fc.boolean();
}

function strValue(size: number): fc.Arbitrary<string> {
  return fc.array(char, { maxLength: size }).map((cs) => cs.join('')).filter((s) => utf8Length(s) <= size);
}

const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  finite,
  strValue(12),
  fc.record({ a: fc.integer({ min: -9, max: 9 }), b: fc.constantFrom('x', 'é') }),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }),
);

const SCALARS = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'bool'];

/** A plan for one field; structs nest `depth` levels at most. */
function fieldPlan(depth: number): fc.Arbitrary<FieldPlan> {
  const plans: fc.Arbitrary<FieldPlan>[] = [
    fc.constantFrom(...SCALARS).map((type) => ({ spec: { type }, value: scalarValue(type), text: type })),
    fc.constantFrom('i64', 'u64').map((type) => ({ spec: { type, as: 'number' }, value: type === 'i64' ? fc.maxSafeInteger() : fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), text: `${type} as number` })),
    fc.integer({ min: 1, max: 20 }).map((size) => ({ spec: { type: 'str', size }, value: strValue(size), text: `str[${size}]` })),
    fc.integer({ min: 1, max: 6 }).map((size) => ({ spec: { type: 'bytes', size }, value: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: size, maxLength: size }), text: `bytes[${size}]` })),
    fc.tuple(fc.constantFrom('i16', 'u32', 'i64', 'u64', 'f64'), fc.integer({ min: 1, max: 3 })).map(([type, length]) => ({
      spec: { type, length },
      value: fc.array(scalarValue(type), { minLength: length, maxLength: length }),
      text: `${type}[${length}]`,
    })),
    fc.constant({ spec: { type: 'any', size: 32 }, value: anyValue, text: 'any' }),
  ];
  if (depth > 0) {
    plans.push(
      fc.tuple(structPlan(depth - 1), fc.integer({ min: 0, max: 3 })).map(([inner, length]) => ({
        spec: length === 0 ? { type: inner.type } : { type: inner.type, length },
        value: length === 0 ? inner.value : fc.array(inner.value, { minLength: length, maxLength: length }),
        text: `${length === 0 ? '' : `[${length}]`}{${inner.description}}`,
      })),
    );
  }
  return fc.oneof(...plans);
}

let structs = 0;

/** A random @Struct class and an arbitrary of its records. */
export function structPlan(depth = 2): fc.Arbitrary<RandomStruct> {
  return fc.array(fc.tuple(fieldPlan(depth), fc.boolean()), { minLength: 1, maxLength: 6 }).map((fields) => {
    const keys = fields.map((_, i) => `f${i}`);
    const type = defineStruct(
      `Random${structs++}`,
      fields.map(([plan, omitEmpty], i) => [keys[i]!, { ...plan.spec, tag: omitEmpty ? `json:"${keys[i]},omitempty"` : `json:"${keys[i]}"` }] as const),
    );
    const value = fc.tuple(...fields.map(([plan]) => plan.value)).map((values) => Object.fromEntries(values.map((v, i) => [keys[i]!, v])));
    return { type, value, description: fields.map(([plan], i) => `${keys[i]}: ${plan.text}`).join(', ') };
  });
}
