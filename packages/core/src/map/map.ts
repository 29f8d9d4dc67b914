// struct↔map sync, public entry points: `toMap` builds a plain object keyed by tag names from the
// layout's allow-list; `fromMap` checks every key and value first and only then writes, so on any
// error the record is byte-for-byte unchanged. Converters are generated per (struct, tag, options)
// and cached; an interpreted twin serves `codegen: false` and runtimes that forbid `new Function`.
import { canGenerate } from '../view/codegen.js';
import type { TracingChannel } from 'node:diagnostics_channel';
import { StructSyncError, ValueError, describeError, describeValue } from '../errors.js';
import { fromMapTracing, rejectChannel, toMapTracing } from '../event-channels.js';
import type { ConversionContext, RejectEvent } from '../events.js';
import type { StructLayout } from '../layout/layout.js';
import { unreadableOptions } from '../options.js';
import { generateReader, generateWriter, TooLargeToUnroll } from './map-codegen.js';
import { interpretedReader, liveMaps, type Int64Mode, type MapObject, type ReadMode, type RecordReader } from './map-read.js';
import { interpretedWriter, isMapObject, type RecordWriter, type WriteMode } from './map-write.js';
import { writeChecked } from './validate.js';
import { supplyViewToJSON } from '../view/view-protocol.js';
import { assertLive, isReleased, stateOf, viewMemory, type ViewState } from '../view/view-state.js';

const toMapStart = toMapTracing.start;
const fromMapStart = fromMapTracing.start;
/** A conversion is being observed: the inner call runs the conversion itself (and a subscriber's own conversions are not traced). */
let observing = false;

export interface ToMapOptions {
  /** Tag whose names key the map (json, db, yaml, …). Default: the struct's tag priority. */
  readonly tag?: string;
  /**
   * Fill and return this object instead of a new one; its nested objects and arrays of the right
   * length are refilled too, so steady-state conversion allocates only the values (strings,
   * bigints). Keys outside the allow-list are left alone; omitted (`omitempty`) keys are deleted.
   */
  readonly into?: Record<string, unknown>;
  /** Generated converter (default: as the view was made, normally true) or the interpreted one. */
  readonly codegen?: boolean;
  /**
   * How i64/u64 fields (and bigints held by `any` fields) come out: `'bigint'` (default),
   * `'string'` (decimal text, as `toJSON` writes them: the result can go to JSON.stringify), or
   * `'number'` (a value past 2^53 is an OUT_OF_RANGE error, never a rounded number).
   */
  readonly int64?: Int64Mode;
}

export interface FromMapOptions {
  readonly tag?: string;
  /** Missing keys keep their current values instead of being an error (at every level). Default false. */
  readonly partial?: boolean;
  /** Unknown keys: 'error' (default) or 'strip' (ignored). `__proto__`, `constructor`, `prototype` are refused either way. */
  readonly unknown?: 'error' | 'strip';
  /** Cut overlong strings at a UTF-8 boundary instead of refusing them. Default false. */
  readonly truncate?: boolean;
  /** Then run the class-validator rules declared on the struct's class on the values that passed the checks (needs class-validator). Default false. */
  readonly validate?: boolean;
  /**
   * Report every problem, not only the first: one ValueError whose `errors` lists each
   * `{ path, code, message }` (its own code and message are the first's). Nothing is written.
   */
  readonly allErrors?: boolean;
  /** Generated converter (default: as the view was made, normally true) or the interpreted one. */
  readonly codegen?: boolean;
}

const NO_OPTIONS: ToMapOptions & FromMapOptions = Object.freeze({});

// Converters by layout, then tag, then a small integer of the boolean options.
const readers = new WeakMap<StructLayout, Map<string | undefined, (RecordReader | undefined)[]>>();
const writers = new WeakMap<StructLayout, Map<string | undefined, (RecordWriter | undefined)[]>>();

function slotsFor<T>(cache: WeakMap<StructLayout, Map<string | undefined, (T | undefined)[]>>, layout: StructLayout, tag: string | undefined): (T | undefined)[] {
  let byTag = cache.get(layout);
  if (byTag === undefined) cache.set(layout, (byTag = new Map()));
  let slots = byTag.get(tag);
  if (slots === undefined) {
    checkTagName(layout, tag);
    byTag.set(tag, (slots = []));
  }
  return slots;
}

const declared = new WeakMap<StructLayout, ReadonlySet<string>>();

/** The tag names the fields of `layout` declare, nested structs' fields included. */
function declaredTags(layout: StructLayout): ReadonlySet<string> {
  let names = declared.get(layout);
  if (names === undefined) {
    const found = new Set<string>();
    for (const field of layout.fields) {
      for (const key of Object.keys(field.tags)) found.add(key);
      if (field.struct !== undefined) for (const key of declaredTags(field.struct)) found.add(key);
    }
    declared.set(layout, (names = found));
  }
  return names;
}

/**
 * A tag no field declares and the tag priority does not name is a typo (`tag: 'jsn'`): keys would
 * silently fall back to property names. Checked once per layout and tag, when a converter is made.
 */
export function checkTagName(layout: StructLayout, tag: string | undefined): void {
  // json is always known: a view's toJSON reads with it, whatever the struct declares.
  if (tag === undefined || tag === 'json' || layout.tagPriority.includes(tag) || declaredTags(layout).has(tag)) return;
  const known = [...new Set([...layout.tagPriority, ...declaredTags(layout)])].map((t) => JSON.stringify(t)).join(', ');
  throw new StructSyncError('INVALID_OPTION', `${layout.name}: no field declares the tag ${JSON.stringify(tag)} and its tagPriority does not name it (known: ${known})`, { struct: layout.name });
}

/** Generated when allowed and asked for; interpreted otherwise (or when a struct is too big to unroll). */
function build<T>(codegen: boolean, generate: () => T, interpret: () => T): T {
  if (codegen && canGenerate()) {
    try {
      return generate();
    } catch (error) {
      if (!(error instanceof TooLargeToUnroll)) throw error;
    }
  }
  return interpret();
}

// One-entry memos in front of the caches: a hot loop converts one struct with one set of options.
const lastReader = { layout: undefined as StructLayout | undefined, tag: undefined as string | undefined, slot: -1, reader: undefined as unknown as RecordReader };
const lastWriter = { layout: undefined as StructLayout | undefined, tag: undefined as string | undefined, slot: -1, writer: undefined as unknown as RecordWriter };

/** The cached reader for `layout` under `tag`, giving 64-bit integers as `int64` says. */
export function readerFor(layout: StructLayout, tag: string | undefined, int64: Int64Mode, codegen: boolean): RecordReader {
  const slot = (int64 === 'bigint' ? 0 : int64 === 'string' ? 1 : 2) | (codegen ? 4 : 0);
  if (lastReader.layout === layout && lastReader.tag === tag && lastReader.slot === slot) return lastReader.reader;
  const reader = cachedReader(layout, tag, slot, int64, codegen);
  lastReader.layout = layout;
  lastReader.tag = tag;
  lastReader.slot = slot;
  lastReader.reader = reader;
  return reader;
}

// The cache lookups are apart from the memo checks on purpose: closures over `layout` in the
// same function make V8 allocate a context on every call, the memo hit included (seen as 40
// bytes per fromMap once a second kind of converter had been built).
function cachedReader(layout: StructLayout, tag: string | undefined, slot: number, int64: Int64Mode, codegen: boolean): RecordReader {
  const slots = slotsFor(readers, layout, tag);
  const mode: ReadMode = { tag, int64 };
  return (slots[slot] ??= build(codegen, () => generateReader(layout.name, layout, mode), () => interpretedReader(layout.name, layout, mode)));
}

/** The cached writer for `layout` under these options (no allocation once cached). */
export function writerFor(layout: StructLayout, tag: string | undefined, partial: boolean, strip: boolean, truncate: boolean, codegen: boolean): RecordWriter {
  const slot = (partial ? 1 : 0) | (strip ? 2 : 0) | (truncate ? 4 : 0) | (codegen ? 8 : 0);
  if (lastWriter.layout === layout && lastWriter.tag === tag && lastWriter.slot === slot) return lastWriter.writer;
  const writer = cachedWriter(layout, tag, slot, partial, strip, truncate, codegen);
  lastWriter.layout = layout;
  lastWriter.tag = tag;
  lastWriter.slot = slot;
  lastWriter.writer = writer;
  return writer;
}

function cachedWriter(layout: StructLayout, tag: string | undefined, slot: number, partial: boolean, strip: boolean, truncate: boolean, codegen: boolean): RecordWriter {
  const slots = slotsFor(writers, layout, tag);
  const mode: WriteMode = Object.freeze({ tag, partial, strip, truncate });
  return (slots[slot] ??= build(codegen, () => generateWriter(layout, mode), () => interpretedWriter(layout, mode)));
}

/**
 * The state of live view `v`. The usual case costs two loads and a compare; anything unusual
 * (not a view, released, detached, shrunk) goes to viewMemory/assertLive for the precise error.
 */
function liveState(v: object): ViewState {
  return liveOrUndefined(v) ?? (viewMemory(v) as ViewState);
}

/** The state of `v` when it is a live view; undefined for anything unusual, which liveState diagnoses. */
function liveOrUndefined(v: object): ViewState | undefined {
  const state = stateOf(v);
  if (state === undefined || isReleased(state) || state.offset < 0 || state.bytes.length < state.offset + state.layout.size) return undefined;
  return state;
}

/**
 * The record's offset for a converter: `| 0` below 2^31, so it travels as a small integer, never a
 * boxed double; as it is above (a buffer of up to 4 GiB), where `| 0` went negative (found in review).
 */
function recordOffset(memory: ViewState): number {
  const offset = memory.offset;
  return offset < 2147483648 ? offset | 0 : offset;
}

export function badOption(name: string, expected: string, value: unknown): never {
  throw new StructSyncError('INVALID_OPTION', `${name} must be ${expected}, got ${describeValue(value)}`);
}

function isFlag(value: unknown): boolean {
  return value === undefined || value === true || value === false;
}

/** Options must be an object (or left out): null or a string must not end in a TypeError. */
export function checkOptionsObject(options: unknown): void {
  if (typeof options !== 'object' || options === null) badOption('options', 'an object', options);
}

// Option checks, split by direction so that toMap pays only for the options it reads.
function checkCommonOptions(tag: unknown, codegen: unknown): void {
  if (tag !== undefined && typeof tag !== 'string') badOption('tag', 'a string', tag);
  if (!isFlag(codegen)) badOption('codegen', 'true or false', codegen);
}

function checkWriteOptions(options: FromMapOptions): void {
  checkCommonOptions(options.tag, options.codegen);
  if (!isFlag(options.partial)) badOption('partial', 'true or false', options.partial);
  if (!isFlag(options.allErrors)) badOption('allErrors', 'true or false', options.allErrors);
  if (!isFlag(options.truncate)) badOption('truncate', 'true or false', options.truncate);
  if (!isFlag(options.validate)) badOption('validate', 'true or false', options.validate);
  const { unknown } = options;
  if (unknown !== undefined && unknown !== 'error' && unknown !== 'strip') badOption('unknown', "'error' or 'strip'", unknown);
}

export function checkInt64Option(int64: unknown): void {
  if (int64 !== 'bigint' && int64 !== 'string' && int64 !== 'number') badOption('int64', "'bigint', 'string' or 'number'", int64);
}

/**
 * The record of view `v` as a plain object keyed by tag names: nested structs as nested objects,
 * fixed arrays and `bytes` as plain arrays, 64-bit integers as bigints (numbers with `as: 'number'`).
 * Fields tagged `-` are left out, `omitempty` fields holding a zero value too.
 */
export function toMap(v: object, options: ToMapOptions = NO_OPTIONS): Record<string, unknown> {
  // As fromMap: the usual call is small enough to inline at the caller's site.
  if (!toMapStart.hasSubscribers && typeof options === 'object' && options !== null) {
    const memory = servedByLastReader(v, options);
    if (memory !== undefined) return lastReader.reader(memory.data, memory.bytes, recordOffset(memory), undefined, '');
  }
  return toMapChecked(v, options);
}

/** The memory of `v` when the last call's reader serves this call too (see servedByLastWriter). */
function servedByLastReader(v: object, options: ToMapOptions): ViewState | undefined {
  // The options first: a call with `into` leaves here at once, for the checked path.
  let tag: string | undefined;
  try {
    if (options.into !== undefined || options.int64 !== undefined || options.codegen !== undefined) return undefined;
    tag = options.tag;
  } catch {
    return undefined;
  }
  const state = liveOrUndefined(v);
  const last = lastReader;
  if (state === undefined || last.layout !== state.layout || last.tag !== tag || last.slot !== (state.codegen ? 4 : 0)) return undefined;
  return state;
}

function toMapChecked(v: object, options: ToMapOptions): Record<string, unknown> {
  if (toMapStart.hasSubscribers && !observing) return observe(toMapTracing, toMap, v, options);
  const memory = liveState(v);
  checkOptionsObject(options);
  let tag: string | undefined;
  let codegen: boolean | undefined;
  let into: Record<string, unknown> | undefined;
  let int64: Int64Mode | undefined;
  try {
    ({ tag, codegen, into, int64 = 'bigint' } = options);
  } catch (error) {
    // A revoked Proxy, or a getter that throws (found in review).
    throw unreadableOptions('toMap', error, memory.layout.name);
  }
  checkCommonOptions(tag, codegen);
  checkInt64Option(int64);
  if (into !== undefined && !isIntoObject(memory.layout.name, into)) badOption('into', 'a plain object', into);
  const reader = readerFor(memory.layout, tag, int64, codegen ?? memory.codegen);
  if (into === undefined) return reader(memory.data, memory.bytes, recordOffset(memory), undefined, '');
  return readInto(memory, reader, into as MapObject);
}

/**
 * A read into the caller's object runs the caller's code midway (its setters, and getters of the
 * nested objects it reuses), which may release the view or detach its buffer; the reads after
 * that would come from the slot's next occupant. So the view must still be live once the read is
 * over (or when it failed): otherwise the call ends in STALE_VIEW / DETACHED_BUFFER, never with
 * another record's values passed off as this one's.
 */
function readInto(memory: ViewState, reader: RecordReader, into: MapObject): Record<string, unknown> {
  let result: Record<string, unknown>;
  try {
    result = reader(memory.data, memory.bytes, recordOffset(memory), into, '');
  } catch (error) {
    assertLive(memory);
    throw intoFault(memory.layout.name, error);
  }
  if (isReleased(memory) || memory.bytes.length < memory.offset + memory.layout.size) assertLive(memory);
  return result;
}

/** Whether `into` can be refilled; telling can throw (a revoked Proxy), which is INVALID_OPTION too (found in review). */
function isIntoObject(struct: string, into: unknown): boolean {
  try {
    // An asMap map is live over a record: refilling it would write that record.
    return isMapObject(into) && !liveMaps.has(into);
  } catch (error) {
    throw intoFault(struct, error);
  }
}

/**
 * An `into` that cannot take the values (frozen, non-extensible, a read-only or non-configurable
 * key, a setter that throws) is the caller's option at fault: INVALID_OPTION with the engine's or
 * the setter's error as the cause, never that raw error (found in review).
 */
function intoFault(struct: string, error: unknown): unknown {
  if (error instanceof StructSyncError) return error;
  return new StructSyncError('INVALID_OPTION', `${struct}: toMap could not fill \`into\`: ${describeError(error)}`, { struct, cause: error });
}

/** What a view's `toJSON()` returns: json tag names, bigints as decimal strings, bytes as arrays. */
export function viewToJSON(v: object): unknown {
  const memory = liveState(v);
  return readerFor(memory.layout, 'json', 'string', memory.codegen)(memory.data, memory.bytes, recordOffset(memory), undefined, '');
}
supplyViewToJSON(viewToJSON);

/**
 * Writes a plain object into view `v`, all or nothing: keys are resolved against the allow-list
 * (own enumerable keys only), values are checked without coercion (types, integer ranges, string
 * sizes, array lengths) — all before the first byte changes. Errors are ValueErrors naming the
 * struct and the field path. An i64/u64 value may be a bigint, a safe integer, or canonical
 * decimal text (JSON's form: what toJSON and `int64: 'string'` give). Values are read once each,
 * in one order on every path: the map's own keys are listed first (for-in), then each allow-listed
 * key's value is read in field order, a nested record or struct array element whole at its
 * field's turn. Returns `v`.
 */
export function fromMap<T extends object>(v: T, map: unknown, options: FromMapOptions = NO_OPTIONS): T {
  // The usual call (nobody tracing, flags left out, the writer of the last call) is kept small
  // enough for V8 to inline at the caller's site, where a constant options object folds these
  // tests away; inlined, fromMap on User takes ~0.9 of its time (bench:peers). Anything else,
  // and every error, takes the checked path.
  if (!fromMapStart.hasSubscribers && !rejectChannel.hasSubscribers && typeof options === 'object' && options !== null) {
    const memory = servedByLastWriter(v, options);
    if (memory !== undefined) {
      lastWriter.writer(map, memory.data, memory.bytes, recordOffset(memory), memory);
      return v;
    }
  }
  return fromMapChecked(v, map, options);
}

/**
 * The memory of `v` when the last call's writer serves this call too: `v` a live view of the same
 * struct, and options with the same tag and no flag given. Reading an option can throw (a getter,
 * a revoked Proxy): undefined then, and the checked path reports it.
 */
function servedByLastWriter(v: object, options: FromMapOptions): ViewState | undefined {
  // The options first: a call with a flag leaves here at once, for the checked path.
  let tag: string | undefined;
  try {
    if (options.partial !== undefined || options.unknown !== undefined || options.truncate !== undefined) return undefined;
    if (options.validate !== undefined || options.allErrors !== undefined || options.codegen !== undefined) return undefined;
    tag = options.tag;
  } catch {
    return undefined;
  }
  const state = liveOrUndefined(v);
  const last = lastWriter;
  if (state === undefined || last.layout !== state.layout || last.tag !== tag || last.slot !== (state.codegen ? 8 : 0)) return undefined;
  return state;
}

function fromMapChecked<T extends object>(v: T, map: unknown, options: FromMapOptions): T {
  if ((fromMapStart.hasSubscribers || rejectChannel.hasSubscribers) && !observing) return observe(fromMapTracing, fromMap<T>, v, map, options);
  const memory = liveState(v);
  checkOptionsObject(options);
  let tag: string | undefined, partial: boolean, strip: boolean, truncate: boolean, validate: boolean, allErrors: boolean, codegen: boolean;
  try {
    checkWriteOptions(options);
    tag = options.tag;
    partial = options.partial === true;
    strip = options.unknown === 'strip';
    truncate = options.truncate === true;
    validate = options.validate === true;
    allErrors = options.allErrors === true;
    codegen = options.codegen ?? memory.codegen;
  } catch (error) {
    // A revoked Proxy, or a getter that throws (found in review).
    throw error instanceof StructSyncError ? error : unreadableOptions('fromMap', error, memory.layout.name);
  }
  if (validate || allErrors) {
    // Staged (interpreted) so that the rules judge the values the checks passed, which are then written.
    checkTagName(memory.layout, tag);
    writeChecked(memory, v, map, { tag, partial, strip, truncate }, validate, allErrors);
    return v;
  }
  writerFor(memory.layout, tag, partial, strip, truncate, codegen)(map, memory.data, memory.bytes, recordOffset(memory), memory);
  return v;
}

/**
 * Runs a conversion inside its tracing channel (when traced) with a context naming the struct and
 * the tag, and publishes each problem of a refused fromMap on `structsync:reject`.
 */
function observe<V extends object, A extends unknown[], R>(tracing: TracingChannel<ConversionContext>, convert: (v: V, ...rest: A) => R, v: V, ...rest: A): R {
  observing = true;
  try {
    if (!tracing.start.hasSubscribers) return convert(v, ...rest);
    return tracing.traceSync(() => convert(v, ...rest), conversionContext(v, rest[rest.length - 1]));
  } catch (error) {
    if (error instanceof ValueError && tracing === fromMapTracing && rejectChannel.hasSubscribers) publishRejections(error);
    throw error;
  } finally {
    observing = false;
  }
}

function conversionContext(v: object, options: unknown): ConversionContext {
  let struct = '';
  let tag: string | undefined;
  try {
    struct = stateOf(v)?.layout.name ?? '';
    const given: unknown = (options as { tag?: unknown } | undefined)?.tag;
    tag = typeof given === 'string' ? given : undefined;
  } catch {
    // Not a view, or unreadable options: the conversion itself reports it, inside the trace.
  }
  return { struct, tag };
}

function publishRejections(error: ValueError): void {
  const struct = error.struct ?? '';
  const problems = error.errors ?? [{ path: error.field ?? '', code: error.code, message: error.message }];
  for (const problem of problems) {
    const event: RejectEvent = { struct, operation: 'fromMap', path: problem.path, code: problem.code, message: problem.message };
    rejectChannel.publish(event);
  }
}
