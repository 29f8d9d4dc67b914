// Field access shared by both accessor paths: the non-scalar kinds (typed arrays, bytes, any,
// nested structs) and the view protocol (move, re-bind, poison). Child views and typed arrays are
// cached per view, so reading a nested field allocates nothing after the first time.
import { MemoryError, StructSyncError } from './errors.js';
import { INVALID_ANY, readAnyValue, scalarProblem, stringProblem, valueProblem, writeValue, type Problem } from './field-codec.js';
import type { FieldLayout, StructLayout } from './layout.js';
import type { ScalarType } from './types.js';
import { accessFault, assertLive, DEAD_BYTES, DEAD_DATA, fieldError, STATE, stateOf, type ViewState } from './view-state.js';

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

/** A view object, generated or interpreted: everything it knows lives in its state. */
export interface ViewView {
  readonly [STATE]: ViewState;
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

/** Moves nested views a view handed out along with it (the view's own offset is already set). */
export function moveChildren(state: ViewState): void {
  const children = state.children!;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    child.state.offset = state.offset + child.relative;
    if (child.state.children !== undefined) moveChildren(child.state);
  }
}

/** Points a view (and its nested views) at another buffer region; cached typed arrays are dropped. */
export function rebind(state: ViewState, memory: RegionMemory, offset: number): void {
  state.buffer = memory.buffer;
  state.data = memory.data;
  state.bytes = memory.bytes;
  state.regionStart = memory.start;
  state.regionEnd = memory.end;
  if (state.limit >= 0) state.limit = memory.end - memory.start - state.layout.size;
  state.offset = offset;
  state.cacheOffset.fill(-1);
  for (const child of state.children ?? []) rebind(child.state, memory, offset + child.relative);
}

/** A buffer region with the shared DataView and Uint8Array over its whole buffer. */
export interface RegionMemory {
  readonly buffer: ArrayBufferLike;
  readonly data: DataView;
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * Makes a view and its nested views unusable (pool release): any later access throws STALE_VIEW.
 * Typed arrays already handed out cannot be revoked; the cached ones are dropped.
 */
export function poison(state: ViewState): void {
  state.released = true;
  state.data = DEAD_DATA;
  state.bytes = DEAD_BYTES;
  state.cacheOffset.fill(-1);
  for (const child of state.children ?? []) poison(child.state);
}

function typedArray(state: ViewState, field: FieldLayout, offset: number): unknown {
  const cached = state.cache[field.index];
  if (cached !== undefined && state.cacheOffset[field.index] === offset) return cached;
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
  state.cache[field.index] = array;
  state.cacheOffset[field.index] = offset;
  return array;
}

function addChild(state: ViewState, field: FieldLayout, relative: number): ViewView {
  const view = makeChild!(state, field.struct!, state.offset + relative);
  (state.children ??= []).push({ state: view[STATE], relative });
  return view;
}

function child(state: ViewState, field: FieldLayout): ViewView {
  let view = state.cache[field.index] as ViewView | undefined;
  if (view === undefined) {
    view = addChild(state, field, field.offset);
    state.cache[field.index] = view;
  }
  return view;
}

function childArray(state: ViewState, field: FieldLayout): readonly ViewView[] {
  let views = state.cache[field.index] as ViewView[] | undefined;
  if (views === undefined) {
    views = [];
    for (let i = 0; i < field.length!; i++) views.push(addChild(state, field, field.offset + i * field.elementSize));
    Object.freeze(views);
    state.cache[field.index] = views;
  }
  return views;
}

/** Reads a non-scalar, non-string field (typed arrays, bytes, any, nested structs). */
export function getField(view: ViewView, index: number): unknown {
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
        if (value === INVALID_ANY) throw fieldError(state.layout, field, 'INVALID_BYTES', `kind byte ${state.bytes[offset]} was not written by structsync`);
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
function copyRecord(target: ViewState, targetOffset: number, field: FieldLayout, source: unknown): void {
  const from = stateOf(source)!;
  assertLive(from);
  const size = field.struct!.size;
  if (from.buffer === target.buffer) target.bytes.copyWithin(targetOffset, from.offset, from.offset + size);
  else target.bytes.set(from.bytes.subarray(from.offset, from.offset + size), targetOffset);
}

function isRecordOf(value: unknown, layout: StructLayout): boolean {
  return stateOf(value)?.layout === layout;
}

/** Writes a non-scalar, non-string field after checking the value; on error nothing is written. */
export function setField(view: ViewView, index: number, value: unknown): void {
  const state = view[STATE];
  const field = state.layout.fields[index]!;
  try {
    assertLive(state);
    const offset = state.offset + field.offset;
    if (field.kind === 'struct') {
      if (!isRecordOf(value, field.struct!)) {
        throw fieldError(state.layout, field, 'TYPE_MISMATCH', `expected a ${field.struct!.name} view; use fromMap to write a plain object`);
      }
      return copyRecord(state, offset, field, value);
    }
    if (field.kind === 'structArray') {
      if (!Array.isArray(value) || value.length !== field.length || !value.every((item) => isRecordOf(item, field.struct!))) {
        throw fieldError(state.layout, field, 'TYPE_MISMATCH', `expected an array of ${field.length} ${field.struct!.name} views`);
      }
      for (const item of value) assertLive(stateOf(item)!);
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

/** Reading an i64/u64 declared `as: 'number'` whose stored value is not a safe integer. */
export function tooBig(view: ViewView, index: number): never {
  const state = view[STATE];
  const field = state.layout.fields[index]!;
  throw fieldError(state.layout, field, 'OUT_OF_RANGE', `the stored ${field.scalar} is past 2^53; declare it without as: 'number' to read a bigint`);
}
/** The library error for a failed access (detached, released, shrunk), or the original error. */
export function fault(view: ViewView, error: unknown): unknown {
  const translated = accessFault(view, error);
  if (translated !== null && translated !== undefined) return translated;
  const name = view[STATE].layout.name;
  return new MemoryError('OUT_OF_BOUNDS', `${name}: the record is outside its buffer`, { struct: name });
}

// Setter checks shared by both accessor paths: `bad` throws; bad64 and badString only on a bad value.
export function bad(view: ViewView, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  throwProblem(view, field, scalarProblem(field.scalar!, field.asNumber, value)!);
}
export function bad64(view: ViewView, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  const p = scalarProblem(field.scalar!, field.asNumber, value);
  if (p !== undefined) throwProblem(view, field, p);
}
export function badString(view: ViewView, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  const p = stringProblem(field.size, value, false);
  if (p !== undefined) throwProblem(view, field, p);
}

/** Node's hook for `console.log` / `util.inspect`, so a view prints like the record it shows. */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * `User { id: 1n, name: 'alice', age: 31 }` for a live view; a stale or detached view prints as
 * such instead of throwing (printing must never fail).
 */
export function inspectView(view: ViewView, depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
  const state = view[STATE];
  const name = state.layout.name;
  try {
    assertLive(state);
  } catch (error) {
    return `${name} <${(error as MemoryError).code === 'STALE_VIEW' ? 'released' : 'detached'}>`;
  }
  if (depth < 0) return `[${name}]`;
  const fields: Record<string, unknown> = {};
  for (const field of state.layout.fields) {
    try {
      fields[field.name] = (view as unknown as Record<string, unknown>)[field.name];
    } catch (error) {
      fields[field.name] = error instanceof StructSyncError ? `<${error.code}>` : '<unreadable>';
    }
  }
  // The fields object stands where the view stands: it gets the depth left at this level.
  const nested = { ...options, depth: (options as { depth?: number | null }).depth == null ? null : depth };
  return `${name} ${inspect(fields, nested)}`;
}

/**
 * Makes views instances of the decorated class (instanceof, methods, `constructor`) without its
 * constructor ever running.
 */
export function asInstancesOf<C extends abstract new (...args: never[]) => unknown>(View: C, layout: StructLayout): C {
  Object.setPrototypeOf(View.prototype, layout.type.prototype);
  Object.defineProperty(View.prototype, 'constructor', { value: layout.type, writable: true, configurable: true });
  return View;
}
