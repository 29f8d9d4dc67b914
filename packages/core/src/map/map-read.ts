// Record → map, interpreted: the no-eval path of `toMap`, and the helpers the generated readers
// call for the kinds that are not worth inlining (arrays, bytes, `any`). Only allow-listed keys
// are written; nested objects and arrays of `into` are reused when they have the right shape.
import { INVALID_ANY, readAnyValue, readInt64AsNumber, readScalar } from '../view/field-codec.js';
import { mapKeys, type FieldLayout, type StructLayout } from '../layout/layout.js';
import { invalidAny } from '../layout/any-value.js';
import { joinPath, unsafeInt64, unsafeStored } from './map-errors.js';
import { readString } from './map-strings.js';
import { stateOf } from '../view/view-state.js';
import { jsonOutput, shortestF32 } from './json-text.js';

/** How toMap gives 64-bit integers: bigints, decimal strings (JSON's form, as toJSON does), or numbers (refused past 2^53). */
export type Int64Mode = 'bigint' | 'string' | 'number';

/** Which converter: keys under `tag`; 64-bit integers (and bigints held by `any` fields) as `int64` says. */
export interface ReadMode {
  readonly tag: string | undefined;
  readonly int64: Int64Mode;
}

export type MapObject = Record<string, unknown>;

/** Reads one record into `into` (or a new object). `path` locates it under the root, for errors. */
export type RecordReader = (data: DataView, bytes: Uint8Array, offset: number, into: MapObject | undefined, path: string) => MapObject;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * An object of `into` that can be refilled in place: not null, not an array or typed array, and
 * not a view or an asMap map (refilling one would write its record: toMap never writes a record;
 * a new object takes its place instead).
 */
export function reusable(value: unknown): MapObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && stateOf(value) === undefined && !liveMaps.has(value)
    ? (value as MapObject)
    : undefined;
}

/** The maps asMap made: live over a record, so toMap never refills one (that writes the record). */
export const liveMaps = new WeakSet<object>();

/**
 * `omitempty` zero values of scalar and str fields, as Go's encoding/json defines them for
 * fixed-size data: 0 (and -0), 0n, false, ''. Fixed arrays, bytes and nested structs are never
 * empty (Go keeps a [4]int of zeros and a zero struct too). An `any` field: see isEmptyAny.
 */
function isEmptyValue(value: unknown): boolean {
  return value === 0 || value === 0n || value === false || value === '';
}

/**
 * An `any` field is empty only when it holds nothing (null, or undefined), as Go omits only a nil
 * interface: one holding 0, false or '' was left out, and written back as null (found in review).
 */
export function isEmptyAny(value: unknown): boolean {
  return value === null || value === undefined;
}

/** Whether toMap leaves out an `omitempty` key of `field` holding `value`. */
export function isEmptyField(field: FieldLayout, value: unknown): boolean {
  return field.kind === 'any' ? isEmptyAny(value) : isEmptyValue(value);
}

/**
 * What an absent `omitempty` key stands for when fromMap writes a whole record: the zero value
 * toMap left it out for (`source` is its literal for generated writers). Refusing the absence
 * (MISSING_KEY) meant toMap's own output could not be written back (found in review). Undefined
 * for kinds toMap never leaves out (arrays, bytes, structs), whose absence stays an error.
 */
export function omittedZero(field: FieldLayout): { readonly value: unknown; readonly source: string } | undefined {
  switch (field.kind) {
    case 'scalar':
      if (field.scalar === 'bool') return { value: false, source: 'false' };
      // A bigint for 64-bit fields read as bigints: validation rules then see the field's own type.
      return (field.scalar === 'i64' || field.scalar === 'u64') && !field.asNumber ? { value: 0n, source: '0n' } : { value: 0, source: '0' };
    case 'str':
      return { value: '', source: '""' };
    case 'any':
      return { value: null, source: 'null' };
    default:
      return undefined;
  }
}

/** Removes an omitted key that a reused `into` may still hold from an earlier record. */
export function dropKey(into: MapObject, key: string): void {
  if (hasOwn.call(into, key)) delete into[key];
}

/** Bigints as decimal strings (JSON has no bigint). */
export function jsonValue(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Bigints as numbers (`int64: 'number'`); one past 2^53 would lose digits, so it is an error naming where. */
export function numberValue(struct: string, recordPath: string, name: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  if (value > MAX_SAFE || value < MIN_SAFE) throw unsafeInt64(struct, joinPath(recordPath, name), value);
  return Number(value);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** `value` as `int64` says (the record's path is only joined to `field` on error). */
export function int64Value(int64: Int64Mode, struct: string, recordPath: string, field: string, value: unknown): unknown {
  if (typeof value !== 'bigint' || int64 === 'bigint') return value;
  return int64 === 'string' ? value.toString() : numberValue(struct, recordPath, field, value);
}

/** A scalar of the record at `recordPath` (its field path is only built for an error). */
export function readScalarField(struct: string, recordPath: string, field: FieldLayout, data: DataView, offset: number): unknown {
  const value = readScalar(data, offset, field.scalar!, field.asNumber);
  if (field.asNumber && value !== value) throw unsafeStored(struct, joinPath(recordPath, field.name), field);
  return value;
}

/** An i64/u64 `as: 'number'` field, without allocating a bigint. */
export function readInt64Number(struct: string, recordPath: string, field: FieldLayout, data: DataView, offset: number): number {
  const value = readInt64AsNumber(data, offset, field.scalar === 'i64');
  if (value !== value) throw unsafeStored(struct, joinPath(recordPath, field.name), field);
  return value;
}

function arrayFor(reuse: unknown, length: number): unknown[] {
  return Array.isArray(reuse) && reuse.length === length ? reuse : new Array<unknown>(length);
}

/** A fixed scalar array as a plain array (bigints as `int64` says; `struct` and `recordPath` name an error). */
export function readScalarArray(field: FieldLayout, data: DataView, offset: number, int64: Int64Mode, reuse: unknown, struct = '', recordPath = ''): unknown[] {
  const length = field.length!;
  const out = arrayFor(reuse, length);
  const scalar = field.scalar!;
  for (let i = 0; i < length; i++) {
    const value = readScalar(data, offset + i * field.elementSize, scalar, false);
    // In JSON's form, float32s at their shortest, as Go prints them (json-text.ts).
    out[i] = typeof value === 'bigint' && int64 !== 'bigint' ? int64Value(int64, struct, joinPath(recordPath, field.name), String(i), value) : int64 === 'string' && scalar === 'f32' ? shortestF32(value as number) : value;
  }
  return out;
}

/** A `bytes` field as a plain array of numbers (JSON-friendly, and refillable through `into`). */
export function readBytesArray(field: FieldLayout, bytes: Uint8Array, offset: number, reuse: unknown): number[] {
  const out = arrayFor(reuse, field.size) as number[];
  for (let i = 0; i < field.size; i++) out[i] = bytes[offset + i]!;
  return out;
}

/** An `any` field; a kind byte this library never writes is an INVALID_BYTES error. */
export function readAnyField(struct: string, recordPath: string, field: FieldLayout, data: DataView, bytes: Uint8Array, offset: number): unknown {
  const value = readAnyValue(data, bytes, offset, field.size);
  if (value === INVALID_ANY) throw invalidAny(struct, joinPath(recordPath, field.name), bytes[offset]);
  return value;
}

/** A struct array as a plain array of maps, each read by `read`. */
export function readStructArray(field: FieldLayout, read: RecordReader, data: DataView, bytes: Uint8Array, offset: number, reuse: unknown, path: string): MapObject[] {
  const length = field.length!;
  const out = arrayFor(reuse, length) as MapObject[];
  for (let i = 0; i < length; i++) {
    out[i] = read(data, bytes, offset + i * field.elementSize, reusable(out[i]), joinPath(path, i));
  }
  return out;
}

/**
 * The interpreted reader for `layout` under `mode`, errors naming the root struct `root`. Nested
 * readers are made once per reader, not per call.
 */
export function interpretedReader(root: string, layout: StructLayout, mode: ReadMode): RecordReader {
  const keys = mapKeys(layout, mode.tag);
  const nested = keys.map(({ field }) => (field.struct === undefined ? undefined : interpretedReader(root, field.struct, mode)));
  return (data, bytes, base, into, path) => {
    const out: MapObject = into ?? {};
    for (let i = 0; i < keys.length; i++) {
      const { key, field, omitEmpty, asString } = keys[i]!;
      const offset = base + field.offset;
      const reuse = into === undefined ? undefined : into[key];
      let value: unknown;
      switch (field.kind) {
        case 'scalar':
          value = readScalarField(root, path, field, data, offset);
          break;
        case 'str':
          value = readString(data, bytes, offset, field.size);
          break;
        case 'bytes':
          value = readBytesArray(field, bytes, offset, reuse);
          break;
        case 'array':
          value = readScalarArray(field, data, offset, mode.int64, reuse, root, path);
          break;
        case 'any':
          value = readAnyField(root, path, field, data, bytes, offset);
          break;
        case 'struct':
          value = nested[i]!(data, bytes, offset, reusable(reuse), joinPath(path, field.name));
          break;
        case 'structArray':
          value = readStructArray(field, nested[i]!, data, bytes, offset, reuse, joinPath(path, field.name));
          break;
      }
      if (omitEmpty && isEmptyField(field, value)) {
        if (into !== undefined) dropKey(out, key);
      } else {
        // JSON's form (toJSON, int64: 'string'): `,string` quoting and float32s at their shortest, as Go writes them.
        out[key] = mode.int64 === 'string' && (asString || (field.kind === 'scalar' && field.scalar === 'f32')) ? jsonOutput(field, asString, value) : int64Value(mode.int64, root, path, field.name, value);
      }
    }
    return out;
  };
}
