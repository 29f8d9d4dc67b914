// The non-scalar field kinds, shared by both accessor paths: typed arrays, bytes, any, nested
// structs and struct arrays. Child views and typed arrays are cached per view, so reading a
// nested field allocates nothing after the first time.
import { throwProblem } from './accessor-errors.js';
import { invalidAny, prepareAny } from '../layout/any-value.js';
import { describeError, MemoryError, StructSyncError, ValueError } from '../errors.js';
import { copyFieldElements, countProblem, elementCount, INVALID_ANY, readAnyValue, takesElements, valueProblem, writeValue } from './field-codec.js';
import { typedArrayBufferOf } from '../intrinsics.js';
import type { FieldLayout, StructLayout } from '../layout/layout.js';
import type { ScalarType } from '../layout/types.js';
import type { ViewObject } from './view-protocol.js';
import { accessFault, assertLive, fieldError, STATE, stateOf, type ViewState } from './view-state.js';

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

/** Makes a child view over a nested record (set by view.ts to avoid an import cycle). */
export type ChildFactory = (parent: ViewState, layout: StructLayout, offset: number) => ViewObject;
let makeChild: ChildFactory | undefined;
export function setChildFactory(factory: ChildFactory): void {
  makeChild = factory;
}

function typedArray(state: ViewState, field: FieldLayout, offset: number): unknown {
  const cache = (state.cache ??= []);
  const offsets = (state.cacheOffset ??= []);
  const cached = cache[field.index];
  if (cached !== undefined && offsets[field.index] === offset) return cached;
  const Ctor = field.kind === 'bytes' ? Uint8Array : TYPED_ARRAYS[field.scalar!];
  const width = field.kind === 'bytes' ? 1 : field.elementSize;
  if (offset % width !== 0) {
    // A typed array must start at a multiple of its element size; in a packed struct it may not.
    throw new MemoryError(
      'MISALIGNED',
      `${state.layout.name}.${field.name}: a ${field.scalar}[${field.length}] at byte ${offset} is not ${width}-aligned ` +
        `(packed struct), so it cannot be a zero-copy typed array; give the field align: ${width}`,
      { struct: state.layout.name, field: field.name },
    );
  }
  const array = new Ctor(state.buffer, offset, field.kind === 'bytes' ? field.size : field.length!);
  cache[field.index] = array;
  offsets[field.index] = offset;
  return array;
}

function addChild(state: ViewState, field: FieldLayout, relative: number): ViewObject {
  const view = makeChild!(state, field.struct!, state.offset + relative);
  (state.children ??= []).push({ state: view[STATE], relative });
  return view;
}

function child(state: ViewState, field: FieldLayout): ViewObject {
  const cache = (state.cache ??= []);
  let view = cache[field.index] as ViewObject | undefined;
  if (view === undefined) {
    view = addChild(state, field, field.offset);
    cache[field.index] = view;
  }
  return view;
}

function childArray(state: ViewState, field: FieldLayout): readonly ViewObject[] {
  const cache = (state.cache ??= []);
  let views = cache[field.index] as ViewObject[] | undefined;
  if (views === undefined) {
    views = [];
    for (let i = 0; i < field.length!; i++) views.push(addChild(state, field, field.offset + i * field.elementSize));
    Object.freeze(views);
    cache[field.index] = views;
  }
  return views;
}

/** Reads a non-scalar, non-string field (typed arrays, bytes, any, nested structs). */
export function getField(view: ViewObject, index: number): unknown {
  const state = view[STATE];
  try {
    assertLive(state);
    const field = state.layout.fields[index]!;
    const offset = state.offset + field.offset;
    switch (field.kind) {
      case 'bytes':
      case 'array':
        return typedArray(state, field, offset);
      case 'any': {
        const value = readAnyValue(state.data, state.bytes, offset, field.size);
        if (value === INVALID_ANY) throw invalidAny(state.layout.name, field.name, state.bytes[offset]);
        return value;
      }
      case 'struct':
        return child(state, field);
      case 'structArray':
        return childArray(state, field);
      default:
        throw new TypeError(`getField: ${field.kind} fields have their own accessors`);
    }
  } catch (error) {
    throw accessFault(view, error);
  }
}

/** Copies another view's record of the same struct into this one. */
function copyRecord(target: ViewState, targetOffset: number, field: FieldLayout, from: ViewState): void {
  assertLive(from);
  const size = field.struct!.size;
  if (from.buffer === target.buffer) target.bytes.copyWithin(targetOffset, from.offset, from.offset + size);
  else target.bytes.set(from.bytes.subarray(from.offset, from.offset + size), targetOffset);
}

/**
 * Copies views into the elements of a struct array. The sources may be elements of this same
 * array (`v.items = [v.items[1], v.items[0]]`), so all of them are copied out first: copying
 * element by element would read elements already overwritten (found in review).
 */
function copyRecords(target: ViewState, targetOffset: number, field: FieldLayout, sources: readonly ViewState[]): void {
  const size = field.elementSize;
  const scratch = new Uint8Array(size * sources.length);
  for (let i = 0; i < sources.length; i++) {
    const from = sources[i]!;
    scratch.set(from.bytes.subarray(from.offset, from.offset + size), i * size);
  }
  target.bytes.set(scratch, targetOffset);
}

/** The state of `value` when it is a view of `layout`. */
function recordState(value: unknown, layout: StructLayout): ViewState | undefined {
  const state = stateOf(value);
  return state?.layout === layout ? state : undefined;
}

/**
 * The states of an array of `field.length` views of the struct, each element read once (a Proxy
 * array cannot show one view to the check and another to the copy), or undefined.
 */
function recordStates(value: unknown, field: FieldLayout): ViewState[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const length = value.length;
  if (length !== field.length) return undefined;
  const states: ViewState[] = [];
  for (let i = 0; i < length; i++) {
    const state = recordState(value[i], field.struct!);
    if (state === undefined) return undefined;
    states.push(state);
  }
  return states;
}

/**
 * The elements of an array or bytes value as they are now, so that what is written is what was
 * checked (found in review). A plain array may have index getters or be a Proxy answering
 * differently on a second read, its `length` included: copied, its length read once (a wrong
 * count is refused here, before any copy). A typed array over this view's own buffer may overlap
 * the field, and an element-by-element write would read bytes it already overwrote: copied. Any
 * other typed array is stable (its length comes from its internal slot) and written as is,
 * without allocating. Values the field does not take are left for the check to refuse.
 */
function stableElements(view: ViewObject, state: ViewState, field: FieldLayout, value: unknown): unknown {
  if (!takesElements(field, value)) return value;
  const isArray = Array.isArray(value);
  const count = elementCount(value);
  const p = countProblem(field, count);
  if (p !== undefined) throwProblem(view, field, p);
  if (isArray || typedArrayBufferOf(value as unknown as ArrayBufferView) === state.buffer) return copyFieldElements(field, value, count);
  return value;
}

/** Writes a non-scalar, non-string field after checking the value; on error nothing is written. */
export function setField(view: ViewObject, index: number, value: unknown): void {
  const state = view[STATE];
  const field = state.layout.fields[index]!;
  try {
    assertLive(state);
    const offset = state.offset + field.offset;
    if (field.kind === 'struct') {
      const from = recordState(value, field.struct!);
      if (from === undefined) {
        throw fieldError(state.layout, field, 'TYPE_MISMATCH', `expected a ${field.struct!.name} view; use fromMap to write a plain object`);
      }
      return copyRecord(state, offset, field, from);
    }
    if (field.kind === 'structArray') {
      const sources = recordStates(value, field);
      if (sources === undefined) {
        throw fieldError(state.layout, field, 'TYPE_MISMATCH', `expected an array of ${field.length} ${field.struct!.name} views`);
      }
      for (const from of sources) assertLive(from);
      return copyRecords(state, offset, field, sources);
    }
    // An object for an `any` field is stringified once: the text checked is the text written.
    const checked = field.kind === 'any' ? prepareAny(value) : field.kind === 'array' || field.kind === 'bytes' ? stableElements(view, state, field, value) : value;
    const p = valueProblem(field, checked);
    if (p !== undefined) throwProblem(view, field, p);
    writeValue(state.data, state.bytes, state.offset, field, checked);
  } catch (error) {
    const fault = accessFault(view, error);
    throw fault instanceof StructSyncError ? fault : unreadableValue(state.layout, field, fault);
  }
}

/**
 * A value whose inspection threw (a revoked Proxy, a throwing trap or index getter): INVALID_INPUT
 * with the original error as the cause, as fromMap reports it, never the raw error (found in review).
 */
function unreadableValue(layout: StructLayout, field: FieldLayout, error: unknown): ValueError {
  return new ValueError('INVALID_INPUT', `${layout.name}.${field.name}: reading the value threw: ${describeError(error)}`, { struct: layout.name, field: field.name, cause: error });
}
