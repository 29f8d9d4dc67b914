// Records laid out back to back in a buffer, walked with one reused view: by index with `at`
// (the cheapest scan there is) or by iteration. Neither allocates per record.
import { describeValue, MemoryError } from '../errors.js';
import { layoutOf } from '../layout/layout.js';
import { checkOffset, regionOf, type BufferSource } from './memory-checks.js';
import type { StructClass } from '../layout/types.js';
import { codegenOption, createView, type ViewOptions } from './view.js';
import { readOptions } from '../options.js';
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
   * Re-points this object's one view at record `index` and returns it: the same view on every
   * call, so read it before the next call and do not keep it. An index that is not an integer in
   * [0, length) (unlike Array#at, a negative index does not count from the end) leaves the view on no record:
   * the next read or write through it, or toMap/fromMap/asMap of it, throws OUT_OF_BOUNDS and
   * touches no byte. `at` itself does not throw, so that a scan pays for no branch.
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
  const { count = available } = readOptions(options, ['count'], 'records', layout.name);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new MemoryError('INVALID_OPTION', `${layout.name}: records: count must be a non-negative integer, got ${describeValue(count)}`, { struct: layout.name });
  }
  if (count > available || count > 0xffffffff) {
    throw new MemoryError('OUT_OF_BOUNDS', `${layout.name}: ${String(count)} records do not fit in ${region.end - region.start} bytes`, {
      struct: layout.name,
    });
  }
  // Record 0's alignment vouches for every later one: a struct's size is a multiple of its alignment.
  if (count > 0) checkOffset(layout, region, 0);
  const makeView = (): ViewObject => createView(layout, region, region.start, codegen, false);
  const nested = layout.fields.some((f) => f.kind === 'struct' || f.kind === 'structArray');
  return nested ? new NestedRecordList<T>(makeView, count) : new RecordList<T>(makeView, count);
}

/**
 * `at` does not branch on the index. In V8 a branch inside a small inlined method (an imported
 * binding's hole check counts) makes every field read on the view it returns re-check the view's
 * map, which cost the 10k-record scan 1.3× the plain-object time against 0.93× without it
 * (bench:core, same process). So the index test only selects the offset: a bad index parks the
 * view at -2^31, a negative offset that every accessor and converter refuses (OUT_OF_BOUNDS)
 * before reading or writing a byte. Fields are assigned once, in the constructor (`declare` keeps TypeScript from emitting
 * field definitions that would count as a first assignment), so for a list in a constant V8
 * folds them into the caller's loop. Frozen: the fields are the list's integrity.
 */
class RecordList<T> implements Records<T> {
  declare readonly length: number;
  protected declare readonly cursor: T;
  protected declare readonly state: ViewState;
  protected declare readonly start: number;
  protected declare readonly size: number;
  protected declare readonly makeView: () => ViewObject;

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
    // `>>> 0` tests integer and sign at once (a list is shorter than 2^32 records).
    this.state.offset = typeof index === 'number' && index >>> 0 === index && index < this.length ? this.start + index * this.size : -2147483648;
    return this.cursor;
  }

  [Symbol.iterator](): Iterator<T> {
    return new RecordIterator<T>(this.makeView(), this.size, this.length);
  }
}

/** For structs with nested struct fields: their cached child views move with the record. */
class NestedRecordList<T> extends RecordList<T> {
  override at(index: number): T {
    const state = this.state;
    state.offset = typeof index === 'number' && index >>> 0 === index && index < this.length ? this.start + index * this.size : -2147483648;
    if (state.children !== undefined) moveChildren(state);
    return this.cursor;
  }

  override [Symbol.iterator](): Iterator<T> {
    return new NestedRecordIterator<T>(this.makeView(), this.size, this.length);
  }
}

/**
 * One reused view and one reused result object; detachment is caught by the view's accessors.
 * TypeScript-private fields: `#private` fields cost a brand check per access in Node 20.
 */
class RecordIterator<T> implements Iterator<T> {
  protected declare readonly state: ViewState;
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
    this.state.offset = offset;
    this.nextOffset = offset + this.stride;
    return this.result;
  }
}

/** For structs with nested struct fields: the cursor's cached child views move with it. */
class NestedRecordIterator<T> extends RecordIterator<T> {
  override next(): IteratorResult<T> {
    const step = super.next();
    const state = this.state;
    if (!step.done && state.children !== undefined) moveChildren(state);
    return step;
  }
}
