// Map → record, interpreted: the no-eval path of `fromMap`, and the helpers the generated writers
// share with it. Two phases: every key and value is read once and checked (stage), and only then
// written (commit), so on any error the record is byte-for-byte unchanged.
import { JsonText, prepareAny } from '../layout/any-value.js';
import { copyFieldElements, countProblem, decimalInt64, elementCount, isInt64, takesElements, valueProblem, writeValue } from '../view/field-codec.js';
import { fromQuotedJson } from './json-text.js';
import { mapKeys, type FieldLayout, type KeyedField, type StructLayout } from '../layout/layout.js';
import { forbiddenKey, inputFault, joinPath, mapError, missingKey, notAMap, notAnArrayOf, problemError, unknownKey } from './map-errors.js';
import { MemoryError, ValueError } from '../errors.js';
import { omittedZero } from './map-read.js';
import { RESERVED_KEYS } from '../layout/tags.js';
import { assertLive, stateOf, type ViewState } from '../view/view-state.js';

export interface WriteMode {
  readonly tag: string | undefined;
  /** Absent keys keep the record's current values. */
  readonly partial: boolean;
  /** Unknown keys are dropped instead of refused (forbidden keys are refused regardless). */
  readonly strip: boolean;
  /** Overlong strings are cut at a UTF-8 boundary instead of refused. */
  readonly truncate: boolean;
}

/**
 * Checks `map` against the record and writes it, all or nothing. `state` (the view's, if any) is
 * checked again between the phases: a getter of the input may have released the view or detached
 * its buffer.
 */
export type RecordWriter = (map: unknown, data: DataView, bytes: Uint8Array, offset: number, state: ViewState | undefined) => void;

const hasOwn = Object.prototype.hasOwnProperty;

/** What a map may be: a non-null object that is not an array, a typed array / DataView or a view. */
export function isMapObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && stateOf(value) === undefined;
}

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key);
}

const keyIndexes = new WeakMap<readonly KeyedField[], ReadonlyMap<string, number>>();

/** Position of each key in `keys`. */
export function keyIndex(keys: readonly KeyedField[]): ReadonlyMap<string, number> {
  let index = keyIndexes.get(keys);
  if (index === undefined) keyIndexes.set(keys, (index = new Map(keys.map((k, i) => [k.key, i]))));
  return index;
}

/**
 * A private copy of an array or bytes value, or an `any` object's JSON text, taken once in the
 * check phase so that what is written is exactly what was checked (a Proxy or getter cannot
 * answer differently twice, and JSON text cannot grow between check and write). An array's
 * length is read once too, and a wrong count refused here: a Proxy whose length grew after the
 * check made the write run past the field (found in review). Values the field does not take
 * (for bytes, a typed array other than a Uint8Array) are left for the check to refuse.
 */
export function snapshotValue(struct: string, path: string, field: FieldLayout, value: unknown): unknown {
  if (field.kind === 'any') {
    const prepared = prepareAny(value);
    if (prepared instanceof JsonText && prepared.text === undefined) {
      throw mapError(struct, path, 'TYPE_MISMATCH', 'the value is not JSON-serialisable (a cycle, a bigint, or a function)');
    }
    return prepared;
  }
  if (!takesElements(field, value)) return value;
  const count = elementCount(value);
  const problem = countProblem(field, count);
  if (problem !== undefined) throw problemError(struct, path, problem);
  const copy = copyFieldElements(field, value, count);
  if (field.kind === 'array' && isInt64(field.scalar)) {
    for (let i = 0; i < count; i++) {
      if (typeof copy[i] !== 'string') continue;
      const value = decimalInt64(field.scalar!, copy[i] as string);
      // Named as other element problems are: the field's path, `[i]` in the message.
      if (typeof value !== 'bigint') throw problemError(struct, path, { code: value.code, message: `[${i}]: ${value.message}` });
      copy[i] = value;
    }
  }
  return copy;
}

/** A 64-bit integer given as decimal text (JSON's form for them), as a bigint; refused unless canonical. */
export function int64FromText(struct: string, path: string, field: FieldLayout, text: string): bigint {
  const value = decimalInt64(field.scalar!, text);
  if (typeof value !== 'bigint') throw problemError(struct, path, value);
  return value;
}

/** A key the input does not hold (with `partial`, the record keeps its value). */
export const ABSENT: unique symbol = Symbol('structsync.absent');
/** A value refused with `allErrors: true`: noted, left out, and the staging goes on. */
export const FAILED: unique symbol = Symbol('structsync.failed');

/** Checked values of one record, by key position; nested records as nested arrays. */
export type Staged = unknown[];

/** The interpreted writer for `layout` under `mode`. */
export function interpretedWriter(layout: StructLayout, mode: WriteMode): RecordWriter {
  const root = layout.name;
  return (map, data, bytes, offset, state) => {
    const staged = stageRecord(root, layout, map, mode, undefined);
    if (state !== undefined) assertUnmoved(state, bytes, offset);
    commit(layout, staged, data, bytes, offset, mode);
  };
}

/**
 * Reads and checks `map` for a record of `layout`, writing nothing. With `problems`, every
 * ValueError is noted there and its value left out (FAILED) instead of ending the staging.
 */
export function stageRecord(root: string, layout: StructLayout, map: unknown, mode: WriteMode, problems: ValueError[] | undefined): Staged {
  try {
    return stage(root, layout, map, '', undefined, mode, problems);
  } catch (error) {
    if (problems === undefined || !(error instanceof ValueError)) throw inputFault(root, error);
    problems.push(error);
    return [];
  }
}

/** With `problems` (allErrors), a ValueError is noted and the value marked FAILED; anything else propagates. */
function noted(problems: ValueError[] | undefined, error: unknown): typeof FAILED {
  if (problems === undefined || !(error instanceof ValueError)) throw error;
  problems.push(error);
  return FAILED;
}

/**
 * After the input was read, the view must still be live and where it was when fromMap began: a
 * getter of the input that released it, detached or shrank its buffer, or moved it (repoint,
 * records().at) would have the write land on a record the view no longer shows (found in review).
 */
export function assertUnmoved(state: ViewState, bytes: Uint8Array, offset: number): void {
  assertLive(state);
  if (state.bytes !== bytes || state.offset !== offset) {
    const name = state.layout.name;
    throw new MemoryError('INVALID_STATE', `${name}: the view was moved to another record while fromMap read its input; nothing was written`, { struct: name });
  }
}

/** Marks an allow-listed key the scan found own and enumerable, until its value is read. */
const PRESENT: unique symbol = Symbol('structsync.present');

/**
 * Whether for-in lists an own `__proto__` key (V8 does); if not, writers check for one explicitly
 * (JSON.parse makes such keys, and they are refused).
 */
export const FOR_IN_LISTS_OWN_PROTO = ((): boolean => {
  for (const key in JSON.parse('{"__proto__": 0}') as object) if (key === '__proto__') return true;
  return false;
})();

/**
 * The read order, the same in the generated writers: a record's own enumerable keys are listed
 * first (for-in; no value is read), then each allow-listed key's value is read once, in field
 * order, and checked before the next is read; a nested record or struct array element is read
 * whole (depth first) at its field's turn, elements in index order.
 */
function stage(root: string, layout: StructLayout, map: unknown, path: string, nested: string | undefined, mode: WriteMode, problems: ValueError[] | undefined): Staged {
  if (!isMapObject(map)) throw notAMap(root, path, map, nested);
  const keys = mapKeys(layout, mode.tag);
  const index = keyIndex(keys);
  const staged: Staged = new Array<unknown>(keys.length).fill(ABSENT);
  for (const key in map) {
    if (!hasOwn.call(map, key)) continue; // inherited keys are not the caller's data
    const i = index.get(key);
    if (i !== undefined) staged[i] = PRESENT;
    else if (problems === undefined) extraKey(root, path, layout, key, mode);
    else {
      try {
        extraKey(root, path, layout, key, mode);
      } catch (error) {
        noted(problems, error);
      }
    }
  }
  if (!FOR_IN_LISTS_OWN_PROTO && hasOwn.call(map, '__proto__')) noted(problems, forbiddenKey(root, path, '__proto__'));
  for (let i = 0; i < keys.length; i++) {
    const { key, field, omitEmpty, asString } = keys[i]!;
    const fieldPath = joinPath(path, field.name);
    let value: unknown;
    if (staged[i] === PRESENT) value = map[key];
    else {
      if (mode.partial) continue;
      const zero = omitEmpty ? omittedZero(field) : undefined;
      if (zero === undefined) {
        staged[i] = noted(problems, missingKey(root, fieldPath, key));
        continue;
      }
      value = zero.value;
    }
    try {
      // Go's `,string`: the value may come as the string of its JSON text (json-text.ts).
      if (asString && typeof value === 'string') value = fromQuotedJson(field, value);
      staged[i] = stageValue(root, field, value, fieldPath, mode, problems);
    } catch (error) {
      staged[i] = noted(problems, error);
    }
  }
  return staged;
}

/** A key outside the allow-list: forbidden keys always throw, unknown ones unless stripping. */
export function extraKey(root: string, path: string, layout: StructLayout, key: string, mode: WriteMode): void {
  if (isReservedKey(key)) throw forbiddenKey(root, path, key);
  if (!mode.strip) throw unknownKey(root, path, layout.name, key, mode.tag);
}

function stageValue(root: string, field: FieldLayout, value: unknown, path: string, mode: WriteMode, problems: ValueError[] | undefined): unknown {
  if (field.kind === 'struct') return stage(root, field.struct!, value, path, field.type, mode, problems);
  if (field.kind === 'structArray') {
    const count: unknown = Array.isArray(value) ? value.length : undefined;
    if (count !== field.length) throw notAnArrayOf(root, path, field, value, count);
    const elements = value as unknown[];
    const out: unknown[] = [];
    for (let i = 0; i < field.length!; i++) {
      try {
        out.push(stage(root, field.struct!, elements[i], joinPath(path, i), field.type, mode, problems));
      } catch (error) {
        out.push(noted(problems, error));
      }
    }
    return out;
  }
  let copy = value;
  if (field.kind === 'scalar') {
    if (typeof value === 'string' && isInt64(field.scalar)) copy = int64FromText(root, path, field, value);
  } else if (field.kind !== 'str') copy = snapshotValue(root, path, field, value);
  const problem = valueProblem(field, copy, mode.truncate);
  if (problem !== undefined) throw problemError(root, path, problem);
  return copy;
}

/** Writes what stageRecord staged (no FAILED values: a staging with problems is never committed). */
export function commit(layout: StructLayout, staged: Staged, data: DataView, bytes: Uint8Array, base: number, mode: WriteMode): void {
  const keys = mapKeys(layout, mode.tag);
  for (let i = 0; i < keys.length; i++) {
    const value = staged[i];
    if (value === ABSENT) continue;
    const { field } = keys[i]!;
    if (field.kind === 'struct') {
      commit(field.struct!, value as Staged, data, bytes, base + field.offset, mode);
    } else if (field.kind === 'structArray') {
      const records = value as Staged[];
      for (let j = 0; j < records.length; j++) commit(field.struct!, records[j]!, data, bytes, base + field.offset + j * field.elementSize, mode);
    } else {
      writeValue(data, bytes, base, field, value, mode.truncate);
    }
  }
}
