// Per-field value checks and reads/writes at an absolute offset. Shared by the generated
// accessors (for the non-scalar kinds), the interpreted accessors, and struct↔map conversion, so
// every path accepts and refuses exactly the same values. Checks never write; writes never check.
import { checkAny, INVALID_ANY, readAny, writeAny } from '../layout/any-value.js';
import type { StructSyncErrorCode } from '../errors.js';
import { describeValue } from '../errors.js';
import { typedArrayLengthOf, typedArrayType } from '../intrinsics.js';
import type { FieldLayout } from '../layout/layout.js';
import { SCALARS, type ScalarType } from '../layout/types.js';
import { fitUtf8, HAS_NUL, readUtf8, utf8Length, writeUtf8 } from '../utf8.js';
import { getI64, getU64, setI64, setSafeInteger, setU64 } from '../int64-word.js';

export interface Problem {
  readonly code: StructSyncErrorCode;
  readonly message: string;
}

const problem = (code: StructSyncErrorCode, message: string): Problem => ({ code, message });
const TWO_32 = 4294967296;

/** The largest finite f32. */
export const F32_MAX = 3.4028234663852886e38;
/**
 * The smallest magnitude that rounds to Infinity as an f32: halfway between F32_MAX and 2^128
 * (a tie, which rounds to even: up). ±Infinity itself is stored as given; a finite number at or
 * past this would silently become Infinity, so it is refused.
 */
export const F32_OVERFLOW = 3.4028235677973366e38;

/** Source text of overflowsF32 for the expression `v`, for generated setters and writers. */
export function f32OverflowSource(v: string): string {
  return `((${v} >= ${F32_OVERFLOW} || ${v} <= -${F32_OVERFLOW}) && ${v} !== Infinity && ${v} !== -Infinity)`;
}

/** Whether finite `value` would be stored as ±Infinity in an f32. */
export function overflowsF32(value: number): boolean {
  return (value >= F32_OVERFLOW || value <= -F32_OVERFLOW) && value !== Infinity && value !== -Infinity;
}

/** Why `value` cannot be stored in a scalar of type `scalar`, or undefined. Allocates only on failure. */
export function scalarProblem(scalar: ScalarType, asNumber: boolean, value: unknown): Problem | undefined {
  if (scalar === 'bool') return typeof value === 'boolean' ? undefined : problem('TYPE_MISMATCH', `expected a boolean (bool), got ${describeValue(value)}`);
  const info = SCALARS[scalar];
  if (info.bigint) {
    if (typeof value === 'bigint') {
      if (value < (info.min as bigint) || value > (info.max as bigint)) return outOfRange(scalar, value);
      if (asNumber && (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))) {
        return problem('OUT_OF_RANGE', `${describeValue(value)} is not a safe integer (${scalar} as number)`);
      }
      return undefined;
    }
    if (typeof value !== 'number') return problem('TYPE_MISMATCH', `expected a bigint or a safe integer (${scalar}), got ${describeValue(value)}`);
    if (!Number.isInteger(value)) return problem('NOT_INTEGER', `${describeValue(value)} is not an integer (${scalar})`);
    if (!Number.isSafeInteger(value)) return problem('OUT_OF_RANGE', `${describeValue(value)} is not a safe integer; pass a bigint (${scalar})`);
    if (scalar === 'u64' && value < 0) return outOfRange(scalar, value);
    return undefined;
  }
  if (typeof value !== 'number') return problem('TYPE_MISMATCH', `expected a number (${scalar}), got ${describeValue(value)}`);
  if (scalar === 'f32' && overflowsF32(value)) {
    return problem('OUT_OF_RANGE', `${describeValue(value)} is beyond the largest f32 (±${F32_MAX}) and would be stored as ${value > 0 ? '' : '-'}Infinity`);
  }
  if (!info.integer) return undefined;
  if (!Number.isInteger(value)) return problem('NOT_INTEGER', `${describeValue(value)} is not an integer (${scalar})`);
  if (value < (info.min as number) || value > (info.max as number)) return outOfRange(scalar, value);
  return undefined;
}

// The ProtoJSON form of a 64-bit integer: optional '-', then digits without leading zeros; "-0",
// "+1", " 1", "01", "1e3", "1.0" and "0x1" are refused, so one value has one text.
const CANONICAL_DECIMAL = /^(?:0|-?[1-9][0-9]*)$/;

/**
 * A 64-bit integer given as its canonical decimal text (how toJSON and `int64: 'string'` write
 * them, since JSON has no bigint), as a bigint; or why not (the range is checked by the caller).
 */
export function decimalInt64(scalar: ScalarType, text: string): bigint | Problem {
  if (!CANONICAL_DECIMAL.test(text)) {
    return problem('TYPE_MISMATCH', `${describeValue(text)} is not a canonical decimal integer (${scalar}: digits, an optional '-', no leading zeros, spaces, '+', exponent or "-0")`);
  }
  // Past 21 characters no text is in range; the cut spares parsing a megabyte of digits.
  if (text.length > 21) return problem('OUT_OF_RANGE', `${describeValue(text)} is out of range for ${scalar} [${SCALARS[scalar].min}, ${SCALARS[scalar].max}]`);
  return BigInt(text);
}

/** Whether `scalar` is a 64-bit integer type (the ones fromMap also takes as decimal text). */
export function isInt64(scalar: ScalarType | undefined): boolean {
  return scalar === 'i64' || scalar === 'u64';
}

function outOfRange(scalar: ScalarType, value: number | bigint): Problem {
  const { min, max } = SCALARS[scalar];
  return problem('OUT_OF_RANGE', `${describeValue(value)} is out of range for ${scalar} [${min}, ${max}]`);
}

/** Why a string cannot go into a `str` field of `size` bytes (unless truncating), or undefined. */
export function stringProblem(size: number, value: unknown, truncate: boolean): Problem | undefined {
  if (typeof value !== 'string') return problem('TYPE_MISMATCH', `expected a string (str[${size}]), got ${describeValue(value)}`);
  const n = utf8Length(value);
  if (n < 0) {
    return problem('INVALID_STRING', n === HAS_NUL ? 'a string with U+0000 cannot be stored (fields are NUL-padded)' : 'a string with a lone surrogate has no UTF-8 form');
  }
  if (n > size && !truncate) return problem('STRING_TOO_LONG', `${n} UTF-8 bytes do not fit in str[${size}]`);
  return undefined;
}

/** Why `value` cannot be stored in `field` by a setter or fromMap, or undefined. Nested structs are checked by the caller. */
export function valueProblem(field: FieldLayout, value: unknown, truncate = false): Problem | undefined {
  switch (field.kind) {
    case 'scalar':
      return scalarProblem(field.scalar!, field.asNumber, value);
    case 'str':
      return stringProblem(field.size, value, truncate);
    case 'bytes':
    case 'array': {
      if (!takesElements(field, value)) return elementTypeProblem(field, value);
      const count = elementCount(value);
      const p = countProblem(field, count);
      if (p !== undefined) return p;
      // A Uint8Array holds bytes by construction, and is what a bool array's getter returns (each
      // byte a truth value, as in C): a value read must be writable back (found in review).
      // Anything else is checked element by element.
      if (field.kind === 'bytes' ? !Array.isArray(value) : field.scalar === 'bool' && typedArrayType(value) === 'Uint8Array') return undefined;
      return elementsProblem(field.kind === 'bytes' ? 'u8' : field.scalar!, false, value, count);
    }
    case 'any': {
      const why = checkAny(value, field.size);
      return why === undefined ? undefined : problem(why.includes('does not fit') ? 'VALUE_TOO_LARGE' : 'TYPE_MISMATCH', why);
    }
    default:
      return undefined;
  }
}

// A typed array's type and length come from its internal slots (intrinsics.ts): a subclass
// getter, an own `length` or a swapped prototype made a lying length run writes past the field
// (found in review). Element reads (`a[i]`) on a typed array never reach user code.

/** Elements of an array (read once by the caller), or of a typed array by its internal slot. */
export function elementCount(value: ArrayLike<unknown>): number {
  return typedArrayType(value) === undefined ? value.length : typedArrayLengthOf(value as unknown as ArrayBufferView);
}

/** Whether an array or bytes field takes this kind of value: arrays and typed arrays; bytes only Uint8Arrays (a Node Buffer is one). */
export function takesElements(field: FieldLayout, value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  const type = typedArrayType(value);
  return field.kind === 'bytes' ? type === 'Uint8Array' : type !== undefined;
}

function elementTypeProblem(field: FieldLayout, value: unknown): Problem {
  return field.kind === 'bytes'
    ? problem('TYPE_MISMATCH', `expected a Uint8Array or an array of bytes (bytes[${field.size}]), got ${describeValue(value)}`)
    : problem('TYPE_MISMATCH', `expected an array of ${field.length} ${field.scalar} values, got ${describeValue(value)}`);
}

/** Why `count` elements (as an array reported it: a Proxy may say anything) do not fit an array or bytes field. */
export function countProblem(field: FieldLayout, count: unknown): Problem | undefined {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return problem('INVALID_INPUT', `the array reports a length of ${describeValue(count)}`);
  if (field.kind === 'bytes') return count > field.size ? problem('VALUE_TOO_LARGE', `${count} bytes do not fit in bytes[${field.size}]`) : undefined;
  return count !== field.length ? problem('INVALID_INPUT', `expected ${field.length} elements (${field.scalar}[${field.length}]), got ${count}`) : undefined;
}

/** The first `count` elements of an array or typed array, copied into a plain array. */
export function copyElements(value: ArrayLike<unknown>, count: number): unknown[] {
  const copy = new Array<unknown>(count);
  for (let i = 0; i < count; i++) copy[i] = value[i];
  return copy;
}

/** copyElements for a field: a bool array's bytes (a Uint8Array, as its getter returns) become booleans. */
export function copyFieldElements(field: FieldLayout, value: ArrayLike<unknown>, count: number): unknown[] {
  if (field.scalar !== 'bool' || field.kind !== 'array' || typedArrayType(value) !== 'Uint8Array') return copyElements(value, count);
  const copy = new Array<boolean>(count);
  for (let i = 0; i < count; i++) copy[i] = value[i] !== 0;
  return copy;
}

function elementsProblem(scalar: ScalarType, asNumber: boolean, values: ArrayLike<unknown>, count: number): Problem | undefined {
  for (let i = 0; i < count; i++) {
    const p = scalarProblem(scalar, asNumber, values[i]);
    if (p !== undefined) return problem(p.code, `[${i}]: ${p.message}`);
  }
  return undefined;
}

/** Reads a scalar. i64/u64 as number: NaN when the value is past 2^53 (the caller throws). */
export function readScalar(data: DataView, offset: number, scalar: ScalarType, asNumber: boolean): number | bigint | boolean {
  switch (scalar) {
    case 'i8':
      return data.getInt8(offset);
    case 'u8':
      return data.getUint8(offset);
    case 'i16':
      return data.getInt16(offset, true);
    case 'u16':
      return data.getUint16(offset, true);
    case 'i32':
      return data.getInt32(offset, true);
    case 'u32':
      return data.getUint32(offset, true);
    case 'f32':
      return data.getFloat32(offset, true);
    case 'f64':
      return data.getFloat64(offset, true);
    case 'bool':
      return data.getUint8(offset) !== 0;
    case 'i64':
      return asNumber ? readInt64AsNumber(data, offset, true) : getI64(data, offset);
    case 'u64':
      return asNumber ? readInt64AsNumber(data, offset, false) : getU64(data, offset);
  }
}

/** A 64-bit integer as a number without allocating a bigint; NaN when it is not a safe integer. */
export function readInt64AsNumber(data: DataView, offset: number, signed: boolean): number {
  const lo = data.getUint32(offset, true);
  const hi = signed ? data.getInt32(offset + 4, true) : data.getUint32(offset + 4, true);
  const value = hi * TWO_32 + lo;
  return value <= Number.MAX_SAFE_INTEGER && value >= Number.MIN_SAFE_INTEGER ? value : NaN;
}

/** Writes a 64-bit integer given as a bigint or a safe-integer number, without allocating for numbers. */
export function writeInt64(data: DataView, offset: number, value: number | bigint, signed: boolean): void {
  if (typeof value === 'bigint') {
    if (signed) setI64(data, offset, value);
    else setU64(data, offset, value);
    return;
  }
  setSafeInteger(data, offset, value);
}

/** Writes a scalar that passed `scalarProblem`. */
export function writeScalar(data: DataView, offset: number, scalar: ScalarType, value: unknown): void {
  switch (scalar) {
    case 'i8':
      return data.setInt8(offset, value as number);
    case 'u8':
      return data.setUint8(offset, value as number);
    case 'i16':
      return data.setInt16(offset, value as number, true);
    case 'u16':
      return data.setUint16(offset, value as number, true);
    case 'i32':
      return data.setInt32(offset, value as number, true);
    case 'u32':
      return data.setUint32(offset, value as number, true);
    case 'f32':
      return data.setFloat32(offset, value as number, true);
    case 'f64':
      return data.setFloat64(offset, value as number, true);
    case 'bool':
      return data.setUint8(offset, value === true ? 1 : 0);
    case 'i64':
      return writeInt64(data, offset, value as number | bigint, true);
    case 'u64':
      return writeInt64(data, offset, value as number | bigint, false);
  }
}

/** Elements of `value` to write, never more than `max` (nor a fraction or a negative count). */
function boundedCount(value: ArrayLike<unknown>, max: number): number {
  const count = elementCount(value);
  return count >= 0 && count <= max ? Math.floor(count) : max;
}

/** Writes a value that passed `valueProblem` into a non-struct field at `base + field.offset`. */
export function writeValue(data: DataView, bytes: Uint8Array, base: number, field: FieldLayout, value: unknown, truncate = false): void {
  const offset = base + field.offset;
  switch (field.kind) {
    case 'scalar':
      return writeScalar(data, offset, field.scalar!, value);
    case 'str': {
      const s = value as string;
      return writeUtf8(bytes, offset, field.size, s, truncate ? fitUtf8(s, field.size) : s.length);
    }
    // The count is bounded by the field: whatever a value claims, a write never leaves its field.
    case 'bytes': {
      const src = value as ArrayLike<number>;
      const count = boundedCount(src, field.size);
      for (let i = 0; i < count; i++) bytes[offset + i] = src[i]!;
      bytes.fill(0, offset + count, offset + field.size);
      return;
    }
    case 'array': {
      const src = value as ArrayLike<unknown>;
      const scalar = field.scalar!;
      const step = field.elementSize;
      const count = boundedCount(src, field.length!);
      // A bool array takes booleans or a Uint8Array's bytes (any non-zero byte is true).
      if (scalar === 'bool') for (let i = 0; i < count; i++) bytes[offset + i] = src[i] === true || (typeof src[i] === 'number' && src[i] !== 0) ? 1 : 0;
      else for (let i = 0; i < count; i++) writeScalar(data, offset + i * step, scalar, src[i]);
      return;
    }
    case 'any':
      return writeAny(data, bytes, offset, field.size, value);
    default:
      throw new TypeError(`writeValue: ${field.kind} fields are written by the caller`);
  }
}

/** Reads a `str` field. */
export function readString(bytes: Uint8Array, offset: number, size: number): string {
  return readUtf8(bytes, offset, size);
}

/** Reads an `any` field; INVALID_ANY for bytes this library did not write. */
export function readAnyValue(data: DataView, bytes: Uint8Array, offset: number, size: number): unknown {
  return readAny(data, bytes, offset, size);
}

export { INVALID_ANY };
