// Map → record, interpreted: the no-eval path of `fromMap`, and the helpers the generated writers
// share with it. Two phases: every key and value is read once and checked (stage), and only then
// written (commit), so on any error the record is byte-for-byte unchanged.
import { JsonText, prepareAny } from './any-value.js';
import { copyElements, countProblem, elementCount, takesElements, valueProblem, writeValue } from './field-codec.js';
import { mapKeys, type FieldLayout, type KeyedField, type StructLayout } from './layout.js';
import { forbiddenKey, inputFault, joinPath, mapError, missingKey, notAMap, notAnArrayOf, problemError, unknownKey } from './map-errors.js';
import { MemoryError } from './errors.js';
import { omittedZero } from './map-read.js';
import { RESERVED_KEYS } from './tags.js';
import { assertLive, stateOf, type ViewState } from './view-state.js';

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
  return copyElements(value, count);
}

const ABSENT: unique symbol = Symbol('structsync.absent');

/** Checked values of one record, by key position; nested records as nested arrays. */
type Staged = unknown[];

/** The interpreted writer for `layout` under `mode`. */
export function interpretedWriter(layout: StructLayout, mode: WriteMode): RecordWriter {
  const root = layout.name;
  return (map, data, bytes, offset, state) => {
    let staged: Staged;
    try {
      staged = stage(root, layout, map, '', undefined, mode);
    } catch (error) {
      throw inputFault(root, error);
    }
    if (state !== undefined) assertUnmoved(state, bytes, offset);
    commit(layout, staged, data, bytes, offset, mode);
  };
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

function stage(root: string, layout: StructLayout, map: unknown, path: string, nested: string | undefined, mode: WriteMode): Staged {
  if (!isMapObject(map)) throw notAMap(root, path, map, nested);
  const keys = mapKeys(layout, mode.tag);
  const index = keyIndex(keys);
  const staged: Staged = new Array<unknown>(keys.length).fill(ABSENT);
  for (const key in map) {
    if (!hasOwn.call(map, key)) continue; // inherited keys are not the caller's data
    const i = index.get(key);
    if (i !== undefined) staged[i] = map[key];
    else extraKey(root, path, layout, key, mode);
  }
  // An own `__proto__` (JSON.parse makes those) is refused even if an engine's for-in skips it.
  if (hasOwn.call(map, '__proto__')) throw forbiddenKey(root, path, '__proto__');
  for (let i = 0; i < keys.length; i++) {
    const { key, field, omitEmpty } = keys[i]!;
    const fieldPath = joinPath(path, field.name);
    let value = staged[i];
    if (value === ABSENT) {
      if (mode.partial) continue;
      const zero = omitEmpty ? omittedZero(field) : undefined;
      if (zero === undefined) throw missingKey(root, fieldPath, key);
      value = zero.value;
    }
    staged[i] = stageValue(root, field, value, fieldPath, mode);
  }
  return staged;
}

/** A key outside the allow-list: forbidden keys always throw, unknown ones unless stripping. */
export function extraKey(root: string, path: string, layout: StructLayout, key: string, mode: WriteMode): void {
  if (isReservedKey(key)) throw forbiddenKey(root, path, key);
  if (!mode.strip) throw unknownKey(root, path, layout.name, key, mode.tag);
}

function stageValue(root: string, field: FieldLayout, value: unknown, path: string, mode: WriteMode): unknown {
  if (field.kind === 'struct') return stage(root, field.struct!, value, path, field.type, mode);
  if (field.kind === 'structArray') {
    if (!Array.isArray(value) || value.length !== field.length) throw notAnArrayOf(root, path, field, value);
    const out: Staged[] = [];
    for (let i = 0; i < field.length; i++) out.push(stage(root, field.struct!, value[i], joinPath(path, i), field.type, mode));
    return out;
  }
  const copy = field.kind === 'scalar' || field.kind === 'str' ? value : snapshotValue(root, path, field, value);
  const problem = valueProblem(field, copy, mode.truncate);
  if (problem !== undefined) throw problemError(root, path, problem);
  return copy;
}

function commit(layout: StructLayout, staged: Staged, data: DataView, bytes: Uint8Array, base: number, mode: WriteMode): void {
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
