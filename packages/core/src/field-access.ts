// Field access through a view's state: the interpreted accessors (the no-eval path) and the
// non-scalar kinds of the generated ones. Child views and typed arrays are cached per view and
// re-pointed, so reading a nested field allocates nothing after the first time.
import { MemoryError } from './errors.js';
import { INVALID_ANY, readAnyValue, readScalar, valueProblem, writeValue, type Problem } from './field-codec.js';
import type { FieldLayout, StructLayout } from './layout.js';
import type { ScalarType } from './types.js';
import { readUtf8 } from './utf8.js';
import { accessFault, assertLive, fieldError, STATE, stateOf, type ViewState } from './view-state.js';

/** Re-points a view (generated or interpreted) at an absolute offset; no checks. */
export const REPOINT: unique symbol = Symbol('structsync.repoint');
/** Drops a view's memory so any later access throws (pool release). */
export const POISON: unique symbol = Symbol('structsync.poison');

type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayLike<unknown>;

const TYPED_ARRAYS: Readonly<Record<ScalarType, TypedArrayConstructor>> = {
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  i64: BigInt64Array,
  u64: BigUint64Array,
  f32: Float32Array,
  f64: Float64Array,
  bool: Uint8Array,
};

export interface ViewView {
  [STATE]: ViewState;
  [REPOINT](offset: number): void;
  [POISON](): void;
}

/** Makes a child view over a nested record (set by view.ts to avoid an import cycle). */
export type ChildFactory = (parent: ViewState, layout: StructLayout, offset: number) => ViewView;
let makeChild: ChildFactory | undefined;
export function setChildFactory(factory: ChildFactory): void {
  makeChild = factory;
}

export function throwProblem(view: object, field: FieldLayout, p: Problem): never {
  throw fieldError(stateOf(view)!.layout, field, p.code, p.message);
}

function typedArray(state: ViewState, field: FieldLayout, offset: number): unknown {
  const cached = state.cache[field.index];
  if (cached !== undefined && state.cacheOffset[field.index] === offset) return cached;
  const Ctor = field.kind === 'bytes' ? Uint8Array : TYPED_ARRAYS[field.scalar!];
  const width = field.kind === 'bytes' ? 1 : field.elementSize;
  if (offset % width !== 0) {
    throw new MemoryError(
      'MISALIGNED',
      `${state.layout.name}.${field.name}: a ${field.scalar}[${field.length}] at byte ${offset} is not ${width}-aligned ` +
        `(packed struct), so it cannot be a zero-copy typed array; give the field align: ${width}`,
      { struct: state.layout.name, field: field.name },
    );
  }
  const array = new Ctor(state.buffer, offset, field.kind === 'bytes' ? field.size : field.length!);
  state.cache[field.index] = array;
  state.cacheOffset[field.index] = offset;
  return array;
}

function child(state: ViewState, field: FieldLayout, offset: number): ViewView {
  let view = state.cache[field.index] as ViewView | undefined;
  if (view === undefined) {
    view = makeChild!(state, field.struct!, offset);
    state.cache[field.index] = view;
  } else {
    view[REPOINT](offset);
  }
  return view;
}

function childArray(state: ViewState, field: FieldLayout, offset: number): readonly ViewView[] {
  let views = state.cache[field.index] as ViewView[] | undefined;
  if (views === undefined) {
    views = [];
    for (let i = 0; i < field.length!; i++) views.push(makeChild!(state, field.struct!, offset + i * field.elementSize));
    Object.freeze(views);
    state.cache[field.index] = views;
  } else if (state.cacheOffset[field.index] !== offset) {
    for (let i = 0; i < views.length; i++) views[i]![REPOINT](offset + i * field.elementSize);
  }
  state.cacheOffset[field.index] = offset;
  return views;
}

/** Reads field `index` of a view. */
export function getField(view: ViewView, index: number): unknown {
  const state = view[STATE];
  try {
    assertLive(state);
    const field = state.layout.fields[index]!;
    const offset = state.offset + field.offset;
    switch (field.kind) {
      case 'scalar': {
        const value = readScalar(state.data, offset, field.scalar!, field.asNumber);
        if (field.asNumber && value !== value) {
          throw fieldError(state.layout, field, 'OUT_OF_RANGE', `the stored ${field.scalar} is past 2^53; declare it without as: 'number' to read a bigint`);
        }
        return value;
      }
      case 'str':
        return readUtf8(state.bytes, offset, field.size);
      case 'bytes':
      case 'array':
        return typedArray(state, field, offset);
      case 'any': {
        const value = readAnyValue(state.data, state.bytes, offset, field.size);
        if (value === INVALID_ANY) throw fieldError(state.layout, field, 'INVALID_BYTES', `kind byte ${state.bytes[offset]} was not written by structsync`);
        return value;
      }
      case 'struct':
        return child(state, field, offset);
      case 'structArray':
        return childArray(state, field, offset);
    }
  } catch (error) {
    throw accessFault(view, error);
  }
}

/** Copies another view's record of the same struct into this one. */
function copyRecord(target: ViewState, targetOffset: number, field: FieldLayout, source: unknown): void {
  const from = stateOf(source);
  if (from === undefined || from.layout !== field.struct) {
    throw fieldError(target.layout, field, 'TYPE_MISMATCH', `expected a ${field.struct!.name} view; use fromMap to write a plain object`);
  }
  assertLive(from);
  const size = field.struct!.size;
  if (from.buffer === target.buffer) target.bytes.copyWithin(targetOffset, from.offset, from.offset + size);
  else target.bytes.set(from.bytes.subarray(from.offset, from.offset + size), targetOffset);
}

/** Writes field `index` of a view after checking the value; on error nothing is written. */
export function setField(view: ViewView, index: number, value: unknown): void {
  const state = view[STATE];
  const field = state.layout.fields[index]!;
  try {
    assertLive(state);
    const offset = state.offset + field.offset;
    if (field.kind === 'struct') return copyRecord(state, offset, field, value);
    if (field.kind === 'structArray') {
      if (!Array.isArray(value) || value.length !== field.length) {
        throw fieldError(state.layout, field, 'TYPE_MISMATCH', `expected an array of ${field.length} ${field.struct!.name} views`);
      }
      for (const item of value) if (stateOf(item)?.layout !== field.struct) copyRecord(state, offset, field, item);
      value.forEach((item, i) => copyRecord(state, offset + i * field.elementSize, field, item));
      return;
    }
    const p = valueProblem(field, value);
    if (p !== undefined) throwProblem(view, field, p);
    writeValue(state.data, state.bytes, state.offset, field, value);
  } catch (error) {
    throw accessFault(view, error);
  }
}
