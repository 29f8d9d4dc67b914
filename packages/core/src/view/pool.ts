// Pools: fixed-size slots in one ArrayBuffer or SharedArrayBuffer, handed out as views. The pool
// keeps no views: per slot it holds one 32-bit generation (odd while in use), and free slots are
// chained through their own bytes, so 10^6 slots cost their records plus 4 bytes each, and a view
// the user drops is collected. A view remembers the generation it was handed out under and
// checks it on every access: a released slot's views throw STALE_VIEW, never show the next
// occupant's data, also when the slot was released through an iteration cursor.
import type { Channel } from 'node:diagnostics_channel';
import { describeError, describeValue, MemoryError } from '../errors.js';
import { poolAcquireChannel, poolCreateChannel, poolExhaustedChannel, poolGrowChannel, poolReleaseChannel } from '../event-channels.js';
import type { PoolEvent } from '../events.js';
import { moveChildren, poison, type RegionMemory, type ViewObject } from './view-protocol.js';
import { layoutOf, type StructLayout } from '../layout/layout.js';
import { readOptions } from '../options.js';
import { regionOf } from './memory-checks.js';
import type { StructClass } from '../layout/types.js';
import { createView } from './view.js';
import { detachedError, isDetached, STATE, stateOf, type ViewState } from './view-state.js';

export interface PoolOptions {
  /** Number of records the pool starts with. */
  readonly capacity: number;
  /** Back the pool with a SharedArrayBuffer (to post to workers). Default false. */
  readonly shared?: boolean;
  /**
   * Grow when exhausted, up to `maxCapacity` records, by doubling. The buffer is a resizable
   * ArrayBuffer (or growable SharedArrayBuffer) reserved up to maxCapacity records and grown in
   * place, so `pool.buffer` stays the same object and every existing view stays valid.
   * Default: no growth (exhaustion throws POOL_EXHAUSTED).
   */
  readonly grow?: { readonly maxCapacity: number };
  /** Use generated accessors (default true); see ViewOptions. */
  readonly codegen?: boolean;
}

export interface Pool<T extends object> extends Iterable<T> {
  readonly layout: StructLayout;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly capacity: number;
  readonly inUse: number;
  /** A zeroed record as a view. */
  acquire(): T;
  /**
   * Returns a record to the pool; the view and its nested views then throw STALE_VIEW on any
   * access. Typed arrays taken from its array and bytes fields are plain zero-copy views of the
   * slot and cannot be revoked: drop them before releasing (the next occupant would show there).
   */
  release(record: T): void;
}

const MAX_BYTES = 2 ** 31;
/** Iterations in progress whose cursors release() poisons (nested loops rarely go deeper). */
const MAX_TRACKED_CURSORS = 8;

type ResizableBufferConstructor = new (length: number, options?: { maxByteLength: number }) => ArrayBuffer | SharedArrayBuffer;

export function createPool<T extends object>(type: StructClass<T>, options: PoolOptions): Pool<T> {
  const layout = layoutOf(type);
  const name = layout.name;
  const bad = (message: string): never => {
    throw new MemoryError('INVALID_OPTION', `${name}: createPool: ${message}`, { struct: name });
  };
  // Every option is type-checked: a JavaScript caller (or JSON config) can pass anything, and a
  // wrong type must be INVALID_OPTION, never a TypeError from deep inside (found in review).
  if (typeof options !== 'object' || options === null) bad(`options must be an object like { capacity: 1024 }, got ${describeValue(options)}`);
  const { capacity, shared = false, grow, codegen = true } = readOptions(options, ['capacity', 'shared', 'grow', 'codegen'], 'createPool', name);
  if (!Number.isSafeInteger(capacity) || capacity < 1) bad(`capacity must be a positive integer, got ${describeValue(capacity)}`);
  if (typeof shared !== 'boolean') bad(`shared must be true or false, got ${describeValue(shared)}`);
  if (typeof codegen !== 'boolean') bad(`codegen must be true or false, got ${describeValue(codegen)}`);
  if (grow !== undefined && (typeof grow !== 'object' || grow === null)) bad(`grow must be an object like { maxCapacity: 4096 }, got ${describeValue(grow)}`);
  const maxCapacity = grow === undefined ? capacity : readOptions(grow, ['maxCapacity'], 'createPool: grow', name).maxCapacity;
  if (!Number.isSafeInteger(maxCapacity) || maxCapacity < capacity) {
    bad(`grow.maxCapacity must be an integer >= capacity (${capacity}), got ${describeValue(maxCapacity)}`);
  }
  if (maxCapacity * layout.size > MAX_BYTES) bad(`${maxCapacity} records of ${layout.size} bytes exceed ${MAX_BYTES} bytes`);
  const pool = new StructPool<T>(layout, capacity, maxCapacity, shared, codegen);
  if (poolCreateChannel.hasSubscribers) publishPool(poolCreateChannel, pool, undefined);
  return pool;
}

/** Publishes a pool event (callers check hasSubscribers first, so an unobserved pool pays one load). */
function publishPool(on: Channel, pool: StructPool<object>, from: number | undefined): void {
  const event: PoolEvent = { pool, struct: pool.layout.name, capacity: pool.capacity, inUse: pool.inUse, from };
  on.publish(event);
}

class StructPool<T extends object> implements Pool<T> {
  readonly layout: StructLayout;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  #capacity: number;
  readonly #maxCapacity: number;
  readonly #codegen: boolean;
  readonly #growable: boolean;
  #inUse = 0;
  /** Per slot: bumped on acquire (to odd) and on release (to even); views compare theirs with it. */
  readonly #generations: Uint32Array;
  /**
   * Slots at and above `fresh` were never handed out: still zero, and on no free chain. An object
   * of its own, so that iterators read it as a field (a closure call per step cost a pool scan ~20%).
   */
  readonly #used = { fresh: 0 };
  /**
   * The last released slot, or -1. A free slot's first 4 bytes hold the next one (the record's
   * bytes are unused until acquire zeroes them); records under 4 bytes chain through #next.
   */
  #freeHead = -1;
  readonly #next: Int32Array | undefined;
  readonly #data: DataView;
  readonly #bytes: Uint8Array;
  /** The owner of the views iteration hands out, telling them apart from slots in release(). */
  readonly #cursorMark: object = Object.freeze({});
  /** Cursors of iterations in progress, poisoned when the record they show is released. */
  readonly #cursors: ViewState[] = [];
  /** The whole reserved region (up to maxCapacity records); views check liveness against byteLength. */
  readonly #region: RegionMemory;

  constructor(layout: StructLayout, capacity: number, maxCapacity: number, shared: boolean, codegen: boolean) {
    this.layout = layout;
    this.#capacity = capacity;
    this.#maxCapacity = maxCapacity;
    this.#codegen = codegen;
    const bytes = capacity * layout.size;
    const max = maxCapacity * layout.size;
    const growable = maxCapacity > capacity;
    this.#growable = growable;
    // Resizable buffers (ES2024, in Node 20) keep every existing view valid when the pool grows.
    const Buffer = (shared ? SharedArrayBuffer : ArrayBuffer) as unknown as ResizableBufferConstructor;
    this.buffer = growable ? new Buffer(bytes, { maxByteLength: max }) : new Buffer(bytes);
    this.#region = { ...regionOf(layout, this.buffer), end: max };
    this.#data = this.#region.data;
    this.#bytes = this.#region.bytes;
    // Zeroed memory is committed by the system as it is first written, so reserving maxCapacity costs nothing up front.
    this.#generations = new Uint32Array(maxCapacity);
    this.#next = layout.size < 4 ? new Int32Array(maxCapacity) : undefined;
  }

  get capacity(): number {
    return this.#capacity;
  }

  get inUse(): number {
    return this.#inUse;
  }

  acquire(): T {
    // Checked before a slot is taken: a failure below would lose it (found in review).
    if (isDetached(this.buffer)) throw detachedError(this.layout);
    const size = this.layout.size;
    let slot = this.#freeHead;
    if (slot >= 0) {
      const offset = slot * size;
      this.#freeHead = this.#next === undefined ? this.#data.getInt32(offset, true) : this.#next[slot]!;
      this.#bytes.fill(0, offset, offset + size);
    } else {
      const used = this.#used;
      if (used.fresh >= this.#capacity) this.#grow();
      slot = used.fresh++; // zero since the buffer was made or grown
    }
    const generation = (this.#generations[slot]! + 1) >>> 0;
    this.#generations[slot] = generation;
    const record = createView(this.layout, this.#region, slot * size, this.#codegen, false, this.#generations);
    const state = record[STATE];
    state.owner = this;
    state.slot = slot;
    state.generation = generation;
    this.#inUse++;
    if (poolAcquireChannel.hasSubscribers) publishPool(poolAcquireChannel, this, undefined);
    return record as unknown as T;
  }

  release(record: T): void {
    const state = stateOf(record);
    const name = this.layout.name;
    if (state !== undefined && state.owner === this.#cursorMark) return this.#releaseShown(state);
    if (state === undefined || state.owner !== this) {
      throw new MemoryError('FOREIGN_VIEW', `${name}: release() was given a view this pool did not hand out`, { struct: name });
    }
    if (state.released || this.#generations[state.slot] !== state.generation) {
      throw new MemoryError('DOUBLE_RELEASE', `${name}: slot ${state.slot} was already released`, { struct: name });
    }
    poison(state);
    this.#free(state.slot);
  }

  /**
   * Releases the record an iteration cursor shows (found in review: releasing while iterating
   * threw FOREIGN_VIEW). The cursor is stale until the iteration's next step re-arms it; views of
   * the slot held elsewhere see its generation move on.
   */
  #releaseShown(cursor: ViewState): void {
    const slot = cursor.offset / this.layout.size;
    if (cursor.released || (this.#generations[slot]! & 1) === 0) {
      const name = this.layout.name;
      throw new MemoryError('DOUBLE_RELEASE', `${name}: the record this iteration view shows was already released`, { struct: name });
    }
    this.#free(slot);
    if (!cursor.released) poison(cursor); // a cursor past the tracked few
  }

  #free(slot: number): void {
    const offset = slot * this.layout.size;
    // A cursor showing this record must not go on showing the slot (or its next occupant).
    const cursors = this.#cursors;
    for (let i = 0; i < cursors.length; i++) if (cursors[i]!.offset === offset && !cursors[i]!.released) poison(cursors[i]!);
    this.#generations[slot] = (this.#generations[slot]! + 1) >>> 0;
    if (this.#next === undefined) this.#data.setInt32(offset, this.#freeHead, true);
    else this.#next[slot] = this.#freeHead;
    this.#freeHead = slot;
    this.#inUse--;
    if (poolReleaseChannel.hasSubscribers) publishPool(poolReleaseChannel, this, undefined);
  }

  #grow(): void {
    const name = this.layout.name;
    if (this.#capacity >= this.#maxCapacity) {
      if (poolExhaustedChannel.hasSubscribers) publishPool(poolExhaustedChannel, this, undefined);
      throw new MemoryError(
        'POOL_EXHAUSTED',
        `${name}: all ${this.#capacity} records are in use; release some` +
          // A pool made with grow has reached its limit: suggesting grow again was wrong (found in review).
          (this.#growable ? ` (the pool has grown to its maxCapacity ${this.#maxCapacity})` : ', or create the pool with grow: { maxCapacity }'),
        { struct: name },
      );
    }
    const next = Math.min(this.#maxCapacity, this.#capacity * 2);
    const buffer = this.buffer as unknown as { resize?(n: number): void; grow?(n: number): void };
    try {
      if (typeof buffer.resize === 'function') buffer.resize(next * this.layout.size);
      else buffer.grow!(next * this.layout.size);
    } catch (error) {
      // The pool is left as it was: no slot taken, the capacity unchanged.
      if (isDetached(this.buffer)) throw detachedError(this.layout);
      if (poolExhaustedChannel.hasSubscribers) publishPool(poolExhaustedChannel, this, undefined);
      throw new MemoryError('POOL_EXHAUSTED', `${name}: all ${this.#capacity} records are in use and growing to ${next} failed: ${describeError(error)}`, {
        struct: name,
        cause: error,
      });
    }
    const from = this.#capacity;
    this.#capacity = next;
    if (poolGrowChannel.hasSubscribers) publishPool(poolGrowChannel, this, from);
  }

  /** In-use records, in slot order, through ONE reused view (do not keep it past an iteration). */
  [Symbol.iterator](): Iterator<T> {
    const cursor = createView(this.layout, this.#region, 0, this.#codegen, false);
    cursor[STATE].owner = this.#cursorMark;
    // Tracked while the iteration runs; only the latest few, so abandoned iterations cannot pile up.
    if (this.#cursors.push(cursor[STATE]) > MAX_TRACKED_CURSORS) this.#cursors.shift();
    return new InUseIterator<T>(this.#generations, this.#used, this.layout.size, this.#region, this.#cursors, cursor);
  }
}

/** Gives a poisoned cursor (and its nested views) its memory back. */
function revive(state: ViewState, memory: RegionMemory): void {
  state.released = false;
  state.data = memory.data;
  state.bytes = memory.bytes;
  for (const child of state.children ?? []) revive(child.state, memory);
}

/**
 * Walks the occupied slots (odd generation) with one reused view and one reused result: no
 * allocation per record. TypeScript-private fields: `#private` ones cost a brand check per access in Node 20.
 */
class InUseIterator<T> implements Iterator<T> {
  private readonly generations: Uint32Array;
  /** `fresh`: the number of slots ever handed out; the walk ends there (it grows if the loop acquires). */
  private readonly used: { readonly fresh: number };
  private readonly stride: number;
  private readonly region: RegionMemory;
  private readonly tracked: ViewState[];
  private readonly state: ViewState;
  private readonly result: IteratorResult<T>;
  private slot = 0;
  private done = false;

  constructor(generations: Uint32Array, used: { readonly fresh: number }, stride: number, region: RegionMemory, tracked: ViewState[], cursor: ViewObject) {
    this.generations = generations;
    this.used = used;
    this.stride = stride;
    this.region = region;
    this.tracked = tracked;
    this.state = cursor[STATE];
    this.result = { value: cursor as unknown as T, done: false };
  }

  next(): IteratorResult<T> {
    if (this.done) return { value: undefined, done: true };
    const generations = this.generations;
    const end = this.used.fresh;
    let slot = this.slot;
    while (slot < end && (generations[slot]! & 1) === 0) slot++;
    if (slot >= end) return this.return();
    this.slot = slot + 1;
    const state = this.state;
    // Released through the cursor at the last step: it shows a live record again.
    if (state.released) revive(state, this.region);
    state.offset = slot * this.stride;
    if (state.children !== undefined) moveChildren(state);
    return this.result;
  }

  /**
   * The iteration is over (run to the end, `break`, or an exception in the loop): the cursor goes
   * stale, so a view kept past its iteration throws STALE_VIEW instead of showing whatever
   * record later takes its slot (found in review).
   */
  return(): IteratorResult<T> {
    this.done = true;
    const state = this.state;
    if (!state.released) poison(state);
    const at = this.tracked.indexOf(state);
    if (at >= 0) this.tracked.splice(at, 1);
    return { value: undefined, done: true };
  }
}
