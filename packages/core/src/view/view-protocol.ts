// The view protocol: what every view object is (its state under one symbol) and the operations
// that move, re-bind, poison, print and class-link views, shared by both accessor paths.
import { StructSyncError, type MemoryError } from '../errors.js';
import type { StructLayout } from '../layout/layout.js';
import { assertLive, DEAD_BYTES, DEAD_DATA, STATE, type ViewState } from './view-state.js';

// A view's toJSON() is toMap with json names, which the map stage (above this one) supplies when
// it loads: the accessor classes reach it through here instead of importing upward.
let jsonOfView: (view: object) => unknown = (view) => {
  const name = (view as Partial<ViewObject>)[STATE]?.layout.name ?? 'a view';
  throw new StructSyncError('INVALID_STATE', `${name}: toJSON() needs the map stage of @structsync/core, which was not loaded`);
};

/** Called once by the map stage: the function behind every view's toJSON(). */
export function supplyViewToJSON(toJSON: (view: object) => unknown): void {
  jsonOfView = toJSON;
}

/** What a view's `toJSON()` returns (see map's viewToJSON). */
export function viewToJSON(view: object): unknown {
  return jsonOfView(view);
}

/** A view object, generated or interpreted: everything it knows lives in its state. */
export interface ViewObject {
  readonly [STATE]: ViewState;
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
  state.cacheOffset?.fill(-1);
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
  state.cacheOffset?.fill(-1);
  for (const child of state.children ?? []) poison(child.state);
}

/** Node's hook for `console.log` / `util.inspect`, so a view prints like the record it shows. */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** How a view that cannot be read prints; anything else (a shrunk buffer, a cursor on no record) is out of bounds (found in review). */
const FAULT_LABELS: Readonly<Partial<Record<string, string>>> = { STALE_VIEW: 'released', DETACHED_BUFFER: 'detached' };

/**
 * `User { id: 1n, name: 'alice', age: 31 }` for a live view; a released, detached or out-of-bounds
 * view prints as such instead of throwing (printing must never fail).
 */
export function inspectView(view: ViewObject, depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
  const state = view[STATE];
  const name = state.layout.name;
  try {
    assertLive(state);
  } catch (error) {
    return `${name} <${FAULT_LABELS[(error as MemoryError).code] ?? 'out of bounds'}>`;
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
