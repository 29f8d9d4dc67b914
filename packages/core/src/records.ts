// Records laid out back to back in a buffer, walked with one reused view: by index with `at`
// (the cheapest scan there is) or by iteration. Neither allocates per record.
import { MemoryError } from './errors.js';
import { layoutOf } from './layout.js';
import { checkOffset, describeOffset, regionOf, type BufferSource } from './memory-checks.js';
import type { StructClass } from './types.js';
import { codegenOption, createView, type ViewOptions } from './view.js';
import { moveChildren, type ViewObject } from './view-protocol.js';
import { STATE, type ViewState } from './view-state.js';

/** Options of `records`: how many records there are (default: as many as fit). */
export interface RecordsOptions extends ViewOptions {
  readonly count?: number;
}

/** Consecutive records of one struct in a buffer. */
export interface Records<T> extends Iterable<T> {
  /** How many records there are. */
  readonly length: number;
  /**
   * Re-points this object's one view at record `index` (0 ≤ index < length; unlike Array#at,
   * negative indexes are refused) and returns it: the same view on every call, so read it before
   * the next call and do not keep it.
   */
  at(index: number): T;
}

/**
 * The records from the start of `buffer`. `at(i)` moves one view; each iteration walks its own
 * reused view (and one reused iterator result).
 */
export function records<T extends object>(type: StructClass<T>, buffer: BufferSource, options: RecordsOptions = {}): Records<T> {
  const layout = layoutOf(type);
  const codegen = codegenOption(layout, 'records', options);
  const region = regionOf(layout, buffer);
  const available = Math.floor((region.end - region.start) / layout.size);
  const count = options.count ?? available;
  if (!Number.isSafeInteger(count) || count < 0 || count > available) {
    throw new MemoryError('OUT_OF_BOUNDS', `${layout.name}: ${String(count)} records do not fit in ${region.end - region.start} bytes`, {
      struct: layout.name,
    });
  }
  // Record 0's alignment vouches for every later one: a struct's size is a multiple of its alignment.
  if (count > 0) checkOffset(layout, region, 0);
  return new RecordList<T>(() => createView(layout, region, region.start, codegen, false), count);
}

/**
 * For a list held in a constant, V8 folds its fields into the caller's loop (they are assigned
 * once, in the constructor: `declare` keeps TypeScript from emitting field definitions that
 * would count as a first assignment), so a scan by `at(i)` costs one bounds test and one store
 * per record. Frozen: the fields are the list's integrity.
 */
class RecordList<T> implements Records<T> {
  declare readonly length: number;
  private declare readonly cursor: T;
  private declare readonly state: ViewState;
  private declare readonly start: number;
  private declare readonly size: number;
  private declare readonly makeView: () => ViewObject;

  constructor(makeView: () => ViewObject, length: number) {
    const cursor = makeView();
    this.length = length;
    this.cursor = cursor as unknown as T;
    this.state = cursor[STATE];
    this.start = this.state.offset;
    this.size = this.state.layout.size;
    this.makeView = makeView;
    Object.freeze(this);
  }

  at(index: number): T {
    // `>>> 0` tests integer and sign at once; indexes from 2^32 take the checked path.
    if (typeof index === 'number' && index >>> 0 === index && index < this.length) return this.moveTo(index);
    return this.atChecked(index);
  }

  private atChecked(index: unknown): T {
    const name = this.state.layout.name;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      throw new MemoryError('INVALID_OFFSET', `${name}: record index ${describeOffset(index)} is not a non-negative integer`, { struct: name });
    }
    if (index >= this.length) {
      throw new MemoryError('OUT_OF_BOUNDS', `${name}: record ${index} is past the last of ${this.length} records`, { struct: name });
    }
    return this.moveTo(index);
  }

  private moveTo(index: number): T {
    const state = this.state;
    state.offset = this.start + index * this.size;
    if (state.children !== undefined) moveChildren(state);
    return this.cursor;
  }

  [Symbol.iterator](): Iterator<T> {
    return new RecordIterator<T>(this.makeView(), this.size, this.length);
  }
}

/**
 * One reused view and one reused result object; detachment is caught by the view's accessors.
 * TypeScript-private fields: `#private` fields cost a brand check per access in Node 20.
 */
class RecordIterator<T> implements Iterator<T> {
  private declare readonly state: ViewState;
  private declare readonly result: IteratorResult<T>;
  private declare readonly stride: number;
  private declare readonly end: number;
  private declare nextOffset: number;

  constructor(cursor: ViewObject, stride: number, count: number) {
    this.state = cursor[STATE];
    this.result = { value: cursor as unknown as T, done: false };
    this.stride = stride;
    this.nextOffset = this.state.offset;
    this.end = this.nextOffset + count * stride;
  }

  next(): IteratorResult<T> {
    const offset = this.nextOffset;
    if (offset >= this.end) return { value: undefined, done: true };
    const state = this.state;
    state.offset = offset;
    if (state.children !== undefined) moveChildren(state);
    this.nextOffset = offset + this.stride;
    return this.result;
  }
}
