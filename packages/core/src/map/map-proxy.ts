// asMap: a live Proxy over a view, keyed by tag names. Reads come straight from the record, writes
// go through fromMap's checks (so a bad value changes nothing), and the object protocol (keys,
// `in`, spread, JSON.stringify) behaves like the plain object toMap would return, omitempty
// included.
import { ValueError } from '../errors.js';
import { mapKeys, type FieldLayout } from '../layout/layout.js';
import { readOptions } from '../options.js';
import { int64Value, isEmptyField, liveMaps, readAnyField, readBytesArray, readScalarArray, readScalarField, type Int64Mode } from './map-read.js';
import { keyIndex } from './map-write.js';
import { badOption, checkInt64Option, checkOptionsObject, checkTagName, fromMap } from './map.js';
import { readString } from './map-strings.js';
import { viewMemory } from '../view/view-state.js';

export interface AsMapOptions {
  /** Tag whose names key the map. Default: the struct's tag priority. */
  readonly tag?: string;
  /** How i64/u64 fields read: 'bigint' (default), 'string' or 'number', as toMap's option; writes take any of the three. */
  readonly int64?: Int64Mode;
  /** Writes cut overlong strings at a UTF-8 boundary instead of refusing them. Default false. */
  readonly truncate?: boolean;
}

/**
 * A live map over view `v`: `m.age` reads the record now, `m.age = 5` checks and writes it,
 * nested structs are live maps too (arrays and bytes read as plain-array copies). Unknown keys
 * cannot be set, keys cannot be deleted or defined, and a released view makes every access throw.
 * An `omitempty` key holding its zero value is absent from keys, `in`, spread and JSON.stringify,
 * as in toMap's output, but still reads its zero value (so `m.count += 1` works). The map cannot
 * be frozen, sealed, made non-extensible or given another prototype (a ValueError INVALID_INPUT):
 * a frozen object promises values that never change, which a live record cannot keep.
 */
export function asMap(v: object, options: AsMapOptions = {}): Record<string, unknown> {
  const { layout } = viewMemory(v);
  checkOptionsObject(options);
  const { tag, truncate = false, int64 = 'bigint' } = readOptions(options, ['tag', 'truncate', 'int64'], 'asMap', layout.name);
  if (tag !== undefined && typeof tag !== 'string') badOption('tag', 'a string', tag);
  if (typeof truncate !== 'boolean') badOption('truncate', 'true or false', truncate);
  checkInt64Option(int64);
  checkTagName(layout, tag);
  const keys = mapKeys(layout, tag);
  const index = keyIndex(keys);
  const names = Object.freeze(keys.map((k) => k.key));
  const nested: unknown[] = [];
  const writeOptions = Object.freeze({ tag, truncate, partial: true });

  /** The value as stored (bigints as bigints: omitempty judges these), then as `int64` says. */
  const raw = (i: number): unknown => {
    const { field } = keys[i]!;
    const memory = viewMemory(v);
    const offset = memory.offset + field.offset;
    switch (field.kind) {
      case 'scalar':
        return readScalarField(layout.name, '', field, memory.data, offset);
      case 'str':
        return readString(memory.data, memory.bytes, offset, field.size);
      case 'bytes':
        return readBytesArray(field, memory.bytes, offset, undefined);
      case 'array':
        return readScalarArray(field, memory.data, offset, int64, undefined, layout.name, '');
      case 'any':
        return readAnyField(layout.name, '', field, memory.data, memory.bytes, offset);
      case 'struct':
      case 'structArray':
        return (nested[i] ??= nestedMaps(v, field, { tag, truncate, int64 }));
    }
  };
  const read = (i: number): unknown => int64Value(int64, layout.name, '', keys[i]!.field.name, raw(i));
  const known = (key: string | symbol): number | undefined => (typeof key === 'string' ? index.get(key) : undefined);
  /** Whether toMap would output key `i` now (an omitempty key holding a zero value is left out). */
  const listed = (i: number): boolean => !keys[i]!.omitEmpty || !isEmptyField(keys[i]!.field, raw(i));
  const refuse = (code: 'UNKNOWN_KEY' | 'FORBIDDEN_KEY' | 'INVALID_INPUT', key: string | symbol | undefined, message: string): never => {
    const field = typeof key === 'string' ? key : undefined;
    throw new ValueError(code, `${layout.name}${field === undefined ? '' : `.${field}`}: ${message}`, { struct: layout.name, field });
  };

  const map = new Proxy({} as Record<string, unknown>, {
    get(target, key, receiver) {
      const i = known(key);
      return i === undefined ? Reflect.get(target, key, receiver) : read(i);
    },
    set(_target, key, value) {
      const i = known(key);
      if (i === undefined) {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return refuse('FORBIDDEN_KEY', key, `the key ${String(key)} is never accepted`);
        return refuse('UNKNOWN_KEY', key, `${layout.name} has no field keyed ${String(key)}${tag === undefined ? '' : ` under tag ${tag}`}`);
      }
      fromMap(v, { [keys[i]!.key]: value }, writeOptions);
      return true;
    },
    has(target, key) {
      const i = known(key);
      return i === undefined ? Reflect.has(target, key) : listed(i);
    },
    ownKeys() {
      viewMemory(v);
      return names.filter((_, i) => listed(i));
    },
    getOwnPropertyDescriptor(_target, key) {
      const i = known(key);
      if (i === undefined) return undefined;
      const value = raw(i);
      if (keys[i]!.omitEmpty && isEmptyField(keys[i]!.field, value)) return undefined;
      return { value: int64Value(int64, layout.name, '', keys[i]!.field.name, value), writable: true, enumerable: true, configurable: true };
    },
    deleteProperty(_target, key) {
      return refuse('INVALID_INPUT', key, 'keys of a live struct map cannot be deleted');
    },
    defineProperty(_target, key) {
      return refuse('INVALID_INPUT', key, 'properties cannot be defined on a live struct map; assign instead');
    },
    // Throwing (not returning false) so Object.freeze / setPrototypeOf report this library's
    // error instead of the engine's TypeError; setting the prototype it already has is a no-op.
    setPrototypeOf(target, prototype) {
      if (prototype === Reflect.getPrototypeOf(target)) return true;
      return refuse('INVALID_INPUT', undefined, 'a live struct map keeps its prototype; use toMap for a plain object');
    },
    preventExtensions() {
      return refuse('INVALID_INPUT', undefined, 'a live struct map cannot be frozen, sealed or made non-extensible; use toMap for a snapshot');
    },
  });
  liveMaps.add(map);
  return map;
}

/** Live maps over the child views of a nested struct (or a frozen array of them). */
function nestedMaps(v: object, field: FieldLayout, options: AsMapOptions): unknown {
  const child = (v as Record<string, unknown>)[field.name];
  if (field.kind === 'struct') return asMap(child as object, options);
  return Object.freeze(Array.from(child as ArrayLike<object>, (c) => asMap(c, options)));
}


