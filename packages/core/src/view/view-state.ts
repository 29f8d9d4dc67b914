// The memory behind a view: one state record per view object, kept in a non-enumerable symbol
// slot, so map and table code can reach a view's bytes without allocating, and so faults
// (released slot, detached buffer) are diagnosed in one place.
import { MemoryError, ValueError, type StructSyncErrorCode } from '../errors.js';
import type { FieldLayout, StructLayout } from '../layout/layout.js';

/** What map and table code needs to read or write a view's record directly. */
export interface ViewMemory {
  readonly layout: StructLayout;
  /** A DataView over the whole underlying buffer; `offset` is absolute within it. */
  readonly data: DataView;
  /** A Uint8Array over the whole underlying buffer. */
  readonly bytes: Uint8Array;
  /** Absolute byte offset of the record. */
  readonly offset: number;
}

export interface ViewState extends ViewMemory {
  data: DataView;
  bytes: Uint8Array;
  offset: number;
  buffer: ArrayBufferLike;
  /** First and one-past-last byte this view may address (the ArrayBufferView's own region). */
  regionStart: number;
  regionEnd: number;
  /**
   * Largest offset, relative to regionStart, at which a whole record still fits; -1 for views
   * that cannot be re-pointed on their own (pool slots and nested views move with their owner).
   */
  limit: number;
  /** `layout.align - 1`, for the alignment test when re-pointing. */
  readonly alignMask: number;
  /** Set when a pool slot is released: every later access throws STALE_VIEW. */
  released: boolean;
  /** Owner bookkeeping (pool slot and generation); undefined for plain views. */
  owner: unknown;
  slot: number;
  generation: number;
  /**
   * A pool's slot generations, for its views and their nested views (undefined for others): the
   * view is stale once `live[slot] !== generation`, also when the pool released the slot through
   * an iteration cursor and could not reach this view to poison it (the pool keeps no views).
   */
  live: Uint32Array | undefined;
  /** Whether child views use generated accessors. */
  readonly codegen: boolean;
  /**
   * Lazily created child views and typed arrays, by field index (the lists themselves are made
   * on first use: most views never need them, and two empty arrays were 64 of the 308 bytes a kept
   * pool view cost).
   */
  cache: unknown[] | undefined;
  /** The absolute offset each cached typed array was made for. */
  cacheOffset: number[] | undefined;
  /** Cached child views (nested structs), moved eagerly with this view. */
  children: ChildView[] | undefined;
}

/** A cached nested view and its offset inside the parent record. */
export interface ChildView {
  readonly state: ViewState;
  readonly relative: number;
}

export const STATE: unique symbol = Symbol('structsync.view');

/** The state of a view, or undefined when `v` is not one (a revoked Proxy is not one: found in review). */
export function stateOf(v: unknown): ViewState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  try {
    return (v as { [STATE]?: ViewState })[STATE] ?? undefined;
  } catch {
    return undefined;
  }
}

export function isView(v: unknown): boolean {
  return stateOf(v) !== undefined;
}

export function isDetached(buffer: ArrayBufferLike): boolean {
  // A detached ArrayBuffer reports byteLength 0 (Node 20 has no `detached` property); only then
  // is the costlier test needed: making a typed array over a detached buffer throws.
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

export function detachedError(layout: StructLayout): MemoryError {
  return new MemoryError('DETACHED_BUFFER', `${layout.name}: the view's buffer was detached (transferred with postMessage or structuredClone)`, {
    struct: layout.name,
  });
}

/** Whether the view's pool slot was released (poisoned, or through an iteration cursor). */
export function isReleased(state: ViewState): boolean {
  return state.released || (state.live !== undefined && state.live[state.slot] !== state.generation);
}

/** Throws the right MemoryError when the view cannot be used now. */
export function assertLive(state: ViewState): void {
  if (isReleased(state)) {
    throw new MemoryError('STALE_VIEW', `${state.layout.name}: this view's pool slot was released; acquire a new one`, {
      struct: state.layout.name,
    });
  }
  // A negative offset is a view on no record (records().at was given a bad index).
  if (state.offset < 0) {
    throw new MemoryError('OUT_OF_BOUNDS', `${state.layout.name}: the view points at no record: records().at() was given an index that is not an integer in [0, length)`, {
      struct: state.layout.name,
    });
  }
  if (isDetached(state.buffer)) throw detachedError(state.layout);
  if (state.offset + state.layout.size > state.buffer.byteLength) {
    // A resizable ArrayBuffer was shrunk under the view.
    throw new MemoryError('OUT_OF_BOUNDS', `${state.layout.name}: the buffer shrank to ${state.buffer.byteLength} bytes under the view at byte ${state.offset}`, {
      struct: state.layout.name,
    });
  }
}

/**
 * Checks that `v` is a live view and returns its memory without allocating. The returned record
 * belongs to the view: treat it as read-only; its offset moves when the view is re-pointed.
 */
export function viewMemory(v: object): ViewMemory {
  const state = stateOf(v);
  if (state === undefined) throw notAView('viewMemory', v);
  assertLive(state);
  return state;
}

export function notAView(operation: string, v: unknown): MemoryError {
  return new MemoryError('INVALID_INPUT', `${operation}: expected a structsync view, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  try {
    const ctor: unknown = Object.getPrototypeOf(v)?.constructor;
    return `an object (${typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'no class'})`;
  } catch {
    return 'an object that cannot be inspected (a revoked Proxy?)';
  }
}

/**
 * Turns a low-level failure inside an accessor into the library's error: DataView methods throw
 * TypeError on a detached buffer (and on the dead DataView a released view holds) and RangeError
 * past the end of a shrunk resizable buffer.
 */
export function accessFault(view: object, error: unknown): unknown {
  const state = stateOf(view);
  if (state === undefined) return error;
  try {
    assertLive(state);
  } catch (fault) {
    return fault;
  }
  return error;
}

/** A ValueError for one field, with the struct name and field named in the message. */
export function fieldError(layout: StructLayout, field: FieldLayout | string, code: StructSyncErrorCode, problem: string, path?: string): ValueError {
  const name = path ?? (typeof field === 'string' ? field : field.name);
  return new ValueError(code, `${layout.name}.${name}: ${problem}`, { struct: layout.name, field: name });
}

/**
 * Memory a released view is left holding: a DataView and a Uint8Array over an empty buffer, so
 * that any access through them throws (and is reported as STALE_VIEW) while accessor fields keep
 * one type, which keeps them monomorphic. Empty, not detached: detaching any ArrayBuffer switches
 * off a V8 protector for the whole process, after which every typed-array and DataView access
 * everywhere pays an extra detachment check (about 15% on a record scan).
 */
export const DEAD_DATA: DataView = new DataView(new ArrayBuffer(0));
export const DEAD_BYTES: Uint8Array = new Uint8Array(0);
