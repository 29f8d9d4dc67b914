// Views: instances of the decorated class whose properties read and write one record of an
// ArrayBuffer, SharedArrayBuffer or ArrayBufferView in place. Every offset is checked when the
// view is made or re-pointed, so accessors can use literal offsets without re-checking.
import { accessorClass } from './codegen.js';
import { MemoryError, ValueError } from './errors.js';
import { POISON, REPOINT, setChildFactory, type ViewView } from './field-access.js';
import { layoutOf, type StructLayout } from './layout.js';
import type { StructClass } from './types.js';
import { isDetached, STATE, stateOf, type ViewState } from './view-state.js';

export interface ViewOptions {
  /**
   * Use generated accessor classes (default true). With false, or where `new Function` is
   * forbidden (CSP), interpreted accessors with identical behaviour are used.
   */
  readonly codegen?: boolean;
}

export type BufferSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

interface Region {
  readonly buffer: ArrayBufferLike;
  readonly start: number;
  readonly end: number;
}

const memory = new WeakMap<ArrayBufferLike, { data: DataView; bytes: Uint8Array }>();

/** One DataView and one Uint8Array per buffer, shared by all its views. */
function memoryOf(buffer: ArrayBufferLike): { data: DataView; bytes: Uint8Array } {
  let m = memory.get(buffer);
  if (m === undefined) {
    m = { data: new DataView(buffer), bytes: new Uint8Array(buffer) };
    memory.set(buffer, m);
  }
  return m;
}

export function regionOf(layout: StructLayout, source: unknown): Region {
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) {
    if (isDetached(source)) throw detached(layout);
    return { buffer: source, start: 0, end: source.byteLength };
  }
  if (ArrayBuffer.isView(source)) {
    if (isDetached(source.buffer)) throw detached(layout);
    return { buffer: source.buffer, start: source.byteOffset, end: source.byteOffset + source.byteLength };
  }
  throw new ValueError('INVALID_INPUT', `${layout.name}: expected an ArrayBuffer, a SharedArrayBuffer or an ArrayBufferView`, {
    struct: layout.name,
  });
}

function detached(layout: StructLayout): MemoryError {
  return new MemoryError('DETACHED_BUFFER', `${layout.name}: the buffer is detached (transferred with postMessage or structuredClone)`, {
    struct: layout.name,
  });
}

/** Checks a relative byte offset against a region; returns the absolute offset. */
export function checkOffset(layout: StructLayout, region: Region, byteOffset: unknown): number {
  const name = layout.name;
  if (typeof byteOffset !== 'number' || !Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new MemoryError('INVALID_OFFSET', `${name}: byte offset ${String(byteOffset)} is not a non-negative integer`, { struct: name });
  }
  // Compare sizes before adding, so a huge offset cannot overflow into range.
  const length = region.end - region.start;
  if (byteOffset > length || layout.size > length - byteOffset) {
    throw new MemoryError('OUT_OF_BOUNDS', `${name}: a ${layout.size}-byte record at ${byteOffset} does not fit in ${length} bytes`, {
      struct: name,
    });
  }
  const absolute = region.start + byteOffset;
  if (absolute % layout.align !== 0) {
    throw new MemoryError(
      'MISALIGNED',
      `${name}: byte ${absolute} of the underlying buffer is not ${layout.align}-aligned` +
        (region.start === 0 ? '' : ` (the ArrayBufferView starts at byte ${region.start})`),
      { struct: name },
    );
  }
  return absolute;
}

/** Makes a view at a checked absolute offset. */
export function createView(layout: StructLayout, region: Region, offset: number, codegen: boolean, parent?: ViewState): ViewView {
  const { data, bytes } = memoryOf(region.buffer);
  const state: ViewState = {
    layout,
    data,
    bytes,
    offset,
    buffer: region.buffer,
    regionStart: region.start,
    regionEnd: region.end,
    released: false,
    owner: parent,
    slot: -1,
    generation: 0,
    codegen,
    cache: [],
    cacheOffset: [],
  };
  return new (accessorClass(layout, codegen))(state);
}

setChildFactory((parent, layout, offset) =>
  createView(layout, { buffer: parent.buffer, start: parent.regionStart, end: parent.regionEnd }, offset, parent.codegen, parent),
);

/**
 * A view of the record at `byteOffset` (relative to an ArrayBufferView's own start). The view is
 * an instance of `type`: its methods work, and its fields read and write the bytes in place.
 */
export function view<T extends object>(type: StructClass<T>, source: BufferSource, byteOffset = 0, options: ViewOptions = {}): T {
  const layout = layoutOf(type);
  const region = regionOf(layout, source);
  return createView(layout, region, checkOffset(layout, region, byteOffset), options.codegen !== false) as unknown as T;
}

/**
 * Moves a view to another record of the same buffer (a flyweight: one object walks many records
 * without allocating). `byteOffset` is relative to the view's buffer region. Pool views cannot move.
 */
export function repoint(v: object, byteOffset: number): void {
  const state = stateOf(v);
  if (state === undefined) throw new ValueError('INVALID_INPUT', 'repoint: expected a structsync view');
  if (state.slot >= 0 || state.owner !== undefined) {
    throw new MemoryError('INVALID_STATE', `${state.layout.name}: pool and nested views cannot be re-pointed`, { struct: state.layout.name });
  }
  if (state.released || isDetached(state.buffer)) throw detached(state.layout);
  const offset = checkOffset(state.layout, { buffer: state.buffer, start: state.regionStart, end: state.regionEnd }, byteOffset);
  (v as ViewView)[REPOINT](offset);
}

/** Marks a view and every child view it handed out as unusable (pool release). */
export function poison(v: ViewView): void {
  const state = v[STATE];
  state.released = true;
  v[POISON]();
  for (const cached of state.cache) {
    if (Array.isArray(cached)) cached.forEach((c: ViewView) => poison(c));
    else if (stateOf(cached) !== undefined) poison(cached as ViewView);
  }
}

/**
 * Iterates consecutive records from the start of `source` with ONE reused view (and one reused
 * iterator result), so a scan allocates nothing per record.
 */
export function records<T extends object>(type: StructClass<T>, source: BufferSource, options: ViewOptions & { count?: number } = {}): Iterable<T> {
  const layout = layoutOf(type);
  const region = regionOf(layout, source);
  const available = Math.floor((region.end - region.start) / layout.size);
  const count = options.count ?? available;
  if (!Number.isSafeInteger(count) || count < 0 || count > available) {
    throw new MemoryError('OUT_OF_BOUNDS', `${layout.name}: ${String(count)} records do not fit in ${region.end - region.start} bytes`, { struct: layout.name });
  }
  return {
    [Symbol.iterator](): Iterator<T> {
      let index = 0;
      let v: ViewView | undefined;
      const result = { value: undefined as unknown as T, done: false };
      return {
        next(): IteratorResult<T> {
          if (index >= count) return { value: undefined, done: true };
          const offset = region.start + index * layout.size;
          if (v === undefined) {
            checkOffset(layout, region, offset - region.start);
            v = createView(layout, region, offset, options.codegen !== false);
          } else {
            if (isDetached(region.buffer)) throw detached(layout);
            v[REPOINT](offset);
          }
          index++;
          result.value = v as unknown as T;
          return result;
        },
      };
    },
  };
}
