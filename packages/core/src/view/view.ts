// Views: instances of the decorated class whose properties read and write one record of an
// ArrayBuffer, SharedArrayBuffer or ArrayBufferView in place, and re-pointing one view across
// records (walking records with one reused view is records.ts).
import { accessorClass } from './codegen.js';
import { describeValue, MemoryError } from '../errors.js';
import { unreadableOptions } from '../options.js';
import { setChildFactory } from './field-access.js';
import { moveChildren, rebind, type RegionMemory, type ViewObject } from './view-protocol.js';
import { layoutOf, type StructLayout } from '../layout/layout.js';
import { checkOffset, regionOf, type BufferSource } from './memory-checks.js';
import type { StructClass } from '../layout/types.js';
import { notAView, STATE, stateOf, type ViewState } from './view-state.js';

export type { BufferSource };

// A module-local copy of the symbol: an imported binding is a module-cell load on every use,
// which costs the re-pointing fast path a third of its time.
const VIEW: typeof STATE = STATE;

export interface ViewOptions {
  /**
   * Use generated accessor classes (default true). With false, or where `new Function` is
   * forbidden (CSP), interpreted accessors with identical behaviour are used.
   */
  readonly codegen?: boolean;
}

/**
 * Makes a view at a checked absolute offset. `movable: false` for pool slots and nested views;
 * `live`, a pool's slot generations, for the views of a pool slot (see ViewState.live).
 */
export function createView(layout: StructLayout, region: RegionMemory, offset: number, codegen: boolean, movable = true, live?: Uint32Array): ViewObject {
  const state: ViewState = {
    layout,
    data: region.data,
    bytes: region.bytes,
    offset,
    buffer: region.buffer,
    regionStart: region.start,
    regionEnd: region.end,
    limit: movable ? region.end - region.start - layout.size : -1,
    alignMask: layout.align - 1,
    released: false,
    owner: undefined,
    slot: -1,
    generation: 0,
    live,
    codegen,
    cache: undefined,
    cacheOffset: undefined,
    children: undefined,
  };
  return new (accessorClass(layout, codegen))(state);
}

setChildFactory((parent, layout, offset) => {
  const child = createView(
    layout,
    { buffer: parent.buffer, data: parent.data, bytes: parent.bytes, start: parent.regionStart, end: parent.regionEnd },
    offset,
    parent.codegen,
    false,
    parent.live,
  );
  // A pool view's nested views go stale with its slot.
  const state = child[VIEW];
  state.slot = parent.slot;
  state.generation = parent.generation;
  return child;
});

/**
 * A view of the record at `byteOffset` (relative to an ArrayBufferView's own start). The view is
 * an instance of `type`: its methods work, and its fields read and write the bytes in place.
 * The class's constructor is not run (its field initialisers would shadow the accessors).
 * Every access through the view throws DETACHED_BUFFER once the buffer is transferred; typed
 * arrays taken from array and bytes fields are plain typed arrays and, like any, then read
 * undefined: read them again through the view.
 */
export function view<T extends object>(type: StructClass<T>, buffer: BufferSource, byteOffset = 0, options: ViewOptions = {}): T {
  const layout = layoutOf(type);
  const codegen = codegenOption(layout, 'view', options);
  const region = regionOf(layout, buffer);
  return createView(layout, region, checkOffset(layout, region, byteOffset), codegen) as unknown as T;
}

/** The `codegen` choice of a view-making call's options, type-checked (a JavaScript caller can pass anything). */
export function codegenOption(layout: StructLayout, operation: string, options: ViewOptions): boolean {
  const bad = (what: string, value: unknown): never => {
    throw new MemoryError('INVALID_OPTION', `${layout.name}: ${operation}: ${what}, got ${describeValue(value)}`, { struct: layout.name });
  };
  if (typeof options !== 'object' || options === null) bad('options must be an object', options);
  // Read in place, not through readOptions: snapshots make a view per read, and must not allocate a copy.
  let codegen: unknown;
  try {
    ({ codegen } = options);
  } catch (error) {
    throw unreadableOptions(operation, error, layout.name);
  }
  if (codegen !== undefined && typeof codegen !== 'boolean') bad('codegen must be true or false', codegen);
  return codegen !== false;
}

/**
 * Moves a view to another record (a flyweight: one object walks many records without
 * allocating). `byteOffset` is relative to the view's buffer region, or to `buffer`'s when one
 * is given (the view then moves to that buffer). Nested views it handed out move with it;
 * typed arrays it handed out stay where they were (a typed array cannot move).
 * Pool slots and nested views cannot be re-pointed on their own.
 */
export function repoint(v: object, byteOffset: number, buffer?: BufferSource): void {
  // Guarded apart from the load: a conditional `state` (view or undefined) measurably slows the path.
  if (v === null || v === undefined) throw notAView('repoint', v);
  let state: ViewState | undefined;
  try {
    state = (v as Partial<ViewObject>)[VIEW];
  } catch {
    // A revoked Proxy (found in review).
    throw notAView('repoint', v);
  }
  // The common case, checked inline: a movable view, the same buffer, an aligned in-bounds
  // offset below 2^32 (`>>> 0` tests integer and sign at once; larger ones take the slow path;
  // the typeof test, free for a number, keeps a bigint or symbol from throwing a TypeError here).
  // Detachment is not checked here: every access through the view checks it anyway.
  if (
    state !== undefined &&
    buffer === undefined &&
    typeof byteOffset === 'number' &&
    byteOffset >>> 0 === byteOffset &&
    byteOffset <= state.limit &&
    ((state.regionStart + byteOffset) & state.alignMask) === 0
  ) {
    state.offset = state.regionStart + byteOffset;
    if (state.children !== undefined) moveChildren(state);
    return;
  }
  repointChecked(v, state, byteOffset, buffer);
}

function repointChecked(v: object, state: ViewState | undefined, byteOffset: number, buffer: BufferSource | undefined): void {
  if (state === undefined || stateOf(v) !== state) throw notAView('repoint', v);
  const { layout } = state;
  if (state.limit < 0) {
    throw new MemoryError('INVALID_STATE', `${layout.name}: pool slots, nested views and the views of records() and pool iteration cannot be re-pointed; make a view with view()`, {
      struct: layout.name,
    });
  }
  const region = buffer === undefined ? { start: state.regionStart, end: state.regionEnd } : regionOf(layout, buffer);
  const offset = checkOffset(layout, region, byteOffset);
  if (buffer !== undefined) {
    rebind(state, region as RegionMemory, offset);
    return;
  }
  // An offset past 2^32 that checkOffset accepted.
  state.offset = offset;
  if (state.children !== undefined) moveChildren(state);
}
