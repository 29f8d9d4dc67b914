// struct↔map sync: toMap builds a plain object keyed by tag names from the allow-list the
// layout defines; fromMap checks every key and value of a plain object first and only then
// writes, so on any error the record is byte-for-byte unchanged.
import { createRequire } from 'node:module';
import { describeValue, StructSyncError, ValueError } from './errors.js';
import { INVALID_ANY, readAnyValue, readScalar, valueProblem, writeValue } from './field-codec.js';
import { mapKeys, type FieldLayout, type KeyedField, type StructLayout } from './layout.js';
import { RESERVED_KEYS } from './tags.js';
import { readUtf8 } from './utf8.js';
import { stateOf, viewMemory } from './view-state.js';

export interface ToMapOptions {
  /** Tag whose names key the map (json, db, yaml, …). Default: the struct's tag priority. */
  readonly tag?: string;
  /** Fill and return this object instead of a new one (steady state allocates only values). */
  readonly into?: Record<string, unknown>;
}

export interface FromMapOptions {
  readonly tag?: string;
  /** Missing keys keep their current values instead of being an error. Default false. */
  readonly partial?: boolean;
  /** Unknown keys: 'error' (default) or 'strip' (ignored). */
  readonly unknown?: 'error' | 'strip';
  /** Cut overlong strings at a UTF-8 boundary instead of refusing them. Default false. */
  readonly truncate?: boolean;
  /** Run the class-validator rules declared on the struct's class first. Default false. */
  readonly validate?: boolean;
}

interface KeyIndex {
  readonly keys: readonly KeyedField[];
  readonly byKey: ReadonlyMap<string, KeyedField>;
}

const indexes = new WeakMap<readonly KeyedField[], KeyIndex>();

function keyIndex(layout: StructLayout, tag: string | undefined): KeyIndex {
  const keys = mapKeys(layout, tag);
  let index = indexes.get(keys);
  if (index === undefined) {
    index = { keys, byKey: new Map(keys.map((k) => [k.key, k])) };
    indexes.set(keys, index);
  }
  return index;
}

// ---------------------------------------------------------------- toMap

function isZero(bytes: Uint8Array, offset: number, size: number): boolean {
  for (let i = offset; i < offset + size; i++) if (bytes[i] !== 0) return false;
  return true;
}

function readForMap(layout: StructLayout, field: FieldLayout, data: DataView, bytes: Uint8Array, offset: number, tag: string | undefined, bigintAsString: boolean, reuse: unknown): unknown {
  switch (field.kind) {
    case 'scalar': {
      const value = readScalar(data, offset, field.scalar!, field.asNumber);
      if (field.asNumber && value !== value) {
        throw new ValueError('OUT_OF_RANGE', `${layout.name}.${field.name}: the stored ${field.scalar} is past 2^53`, { struct: layout.name, field: field.name });
      }
      return bigintAsString && typeof value === 'bigint' ? value.toString() : value;
    }
    case 'str':
      return readUtf8(bytes, offset, field.size);
    case 'bytes':
      return Array.from(bytes.subarray(offset, offset + field.size));
    case 'array': {
      const out = new Array<unknown>(field.length!);
      for (let i = 0; i < field.length!; i++) {
        const value = readScalar(data, offset + i * field.elementSize, field.scalar!, false);
        out[i] = bigintAsString && typeof value === 'bigint' ? value.toString() : value;
      }
      return out;
    }
    case 'any': {
      const value = readAnyValue(data, bytes, offset, field.size);
      if (value === INVALID_ANY) throw new ValueError('INVALID_BYTES', `${layout.name}.${field.name}: unknown any kind byte ${bytes[offset]}`, { struct: layout.name, field: field.name });
      return bigintAsString && typeof value === 'bigint' ? value.toString() : value;
    }
    case 'struct':
      return readRecord(field.struct!, data, bytes, offset, tag, bigintAsString, isPlainObject(reuse) ? reuse : undefined);
    case 'structArray': {
      const out = new Array<unknown>(field.length!);
      for (let i = 0; i < field.length!; i++) out[i] = readRecord(field.struct!, data, bytes, offset + i * field.elementSize, tag, bigintAsString, undefined);
      return out;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function readRecord(layout: StructLayout, data: DataView, bytes: Uint8Array, base: number, tag: string | undefined, bigintAsString: boolean, into: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = into ?? {};
  const { keys } = keyIndex(layout, tag);
  for (let i = 0; i < keys.length; i++) {
    const { key, field, omitEmpty } = keys[i]!;
    const offset = base + field.offset;
    if (omitEmpty && isZero(bytes, offset, field.size)) {
      if (into !== undefined && key in out) delete out[key];
      continue;
    }
    out[key] = readForMap(layout, field, data, bytes, offset, tag, bigintAsString, into?.[key]);
  }
  return out;
}

/** The record as a plain object keyed by tag names (nested structs as objects, arrays as arrays). */
export function toMap(v: object, options: ToMapOptions = {}): Record<string, unknown> {
  const memory = viewMemory(v);
  return readRecord(memory.layout, memory.data, memory.bytes, memory.offset, options.tag, false, options.into);
}

/** What a view's `toJSON()` returns: json tag names, bigints as decimal strings. */
export function viewToJSON(v: object): Record<string, unknown> {
  const memory = viewMemory(v);
  return readRecord(memory.layout, memory.data, memory.bytes, memory.offset, 'json', true, undefined);
}

// ---------------------------------------------------------------- fromMap

interface Staging {
  busy: boolean;
  readonly bytes: Uint8Array;
  readonly data: DataView;
}

const stagings = new WeakMap<StructLayout, Staging>();

function newStaging(size: number): Staging {
  const bytes = new Uint8Array(size);
  return { busy: false, bytes, data: new DataView(bytes.buffer) };
}

/** A scratch copy of one record; reused unless a getter re-enters fromMap for the same struct. */
function stagingFor(layout: StructLayout): Staging {
  let staging = stagings.get(layout);
  if (staging === undefined) stagings.set(layout, (staging = newStaging(layout.size)));
  return staging.busy ? newStaging(layout.size) : staging;
}

const hasOwn = Object.prototype.hasOwnProperty;

function problemAt(layout: StructLayout, path: string, code: ConstructorParameters<typeof ValueError>[0], message: string): ValueError {
  return new ValueError(code, `${layout.name}${path === '' ? '' : `.${path}`}: ${message}`, { struct: layout.name, field: path === '' ? undefined : path });
}

/**
 * Checks `map` against the layout and writes it into `staging` at `base`. Each input value is read
 * exactly once (a getter cannot show the check one value and the write another).
 */
function stageRecord(root: StructLayout, layout: StructLayout, map: unknown, staging: Staging, base: number, options: FromMapOptions, path: string): void {
  if (typeof map !== 'object' || map === null || Array.isArray(map) || ArrayBuffer.isView(map)) {
    throw problemAt(root, path, 'INVALID_INPUT', `expected a plain object, got ${describeValue(map)}`);
  }
  const { keys, byKey } = keyIndex(layout, options.tag);
  const prefix = path === '' ? '' : `${path}.`;
  let matched = 0;
  for (const key in map) {
    if (!hasOwn.call(map, key)) continue; // inherited keys are not the caller's data
    if (RESERVED_KEYS.has(key)) throw problemAt(root, prefix + key, 'FORBIDDEN_KEY', `the key "${key}" is never accepted`);
    const keyed = byKey.get(key);
    if (keyed === undefined) {
      if (options.unknown === 'strip') continue;
      throw problemAt(root, prefix + key, 'UNKNOWN_KEY', `${layout.name} has no field under the key "${key}"${options.tag === undefined ? '' : ` (tag ${options.tag})`}`);
    }
    matched++;
    stageValue(root, keyed.field, (map as Record<string, unknown>)[key], staging, base, options, prefix + key);
  }
  // `__proto__` as an own key (JSON.parse makes those) is not enumerated by for-in on every engine.
  if (hasOwn.call(map, '__proto__')) throw problemAt(root, `${prefix}__proto__`, 'FORBIDDEN_KEY', 'the key "__proto__" is never accepted');
  if (matched < keys.length && options.partial !== true) {
    const missing = keys.filter((k) => !hasOwn.call(map, k.key)).map((k) => k.key);
    throw problemAt(root, prefix + missing[0]!, 'MISSING_KEY', `missing key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')} (pass partial: true to keep current values)`);
  }
}

function stageValue(root: StructLayout, field: FieldLayout, value: unknown, staging: Staging, base: number, options: FromMapOptions, path: string): void {
  if (field.kind === 'struct') return stageNested(root, field, value, staging, base + field.offset, options, path);
  if (field.kind === 'structArray') {
    if (!Array.isArray(value) || value.length !== field.length) {
      throw problemAt(root, path, 'TYPE_MISMATCH', `expected an array of ${field.length} ${field.struct!.name} objects, got ${Array.isArray(value) ? `${value.length} elements` : describeValue(value)}`);
    }
    for (let i = 0; i < field.length!; i++) stageNested(root, field, value[i], staging, base + field.offset + i * field.elementSize, options, `${path}.${i}`);
    return;
  }
  const p = valueProblem(field, value, options.truncate === true);
  if (p !== undefined) throw problemAt(root, path, p.code, p.message);
  writeValue(staging.data, staging.bytes, base, field, value, options.truncate === true);
}

function stageNested(root: StructLayout, field: FieldLayout, value: unknown, staging: Staging, offset: number, options: FromMapOptions, path: string): void {
  const other = stateOf(value);
  if (other !== undefined) {
    // A view of the same struct: copy its bytes.
    if (other.layout !== field.struct) throw problemAt(root, path, 'TYPE_MISMATCH', `expected a ${field.struct!.name}, got a ${other.layout.name} view`);
    const memory = viewMemory(value as object);
    staging.bytes.set(memory.bytes.subarray(memory.offset, memory.offset + field.struct!.size), offset);
    return;
  }
  stageRecord(root, field.struct!, value, staging, offset, options, path);
}

/**
 * Writes a plain object into a view, all or nothing: every key and value is checked (allow-list,
 * own keys only, no coercion, ranges, string sizes) before the first byte changes.
 */
export function fromMap<T extends object>(v: T, map: unknown, options: FromMapOptions = {}): T {
  const memory = viewMemory(v);
  const { layout, bytes, offset } = memory;
  if (options.validate === true) runValidation(layout, map, options);
  const staging = stagingFor(layout);
  staging.busy = true;
  try {
    // Start from the current bytes: padding, `-` fields and (with partial) absent keys keep them.
    for (let i = 0; i < layout.size; i++) staging.bytes[i] = bytes[offset + i]!;
    stageRecord(layout, layout, map, staging, 0, options, '');
    viewMemory(v); // a getter may have released the view or detached its buffer meanwhile
    bytes.set(staging.bytes, offset);
  } finally {
    staging.busy = false;
  }
  return v;
}

// ---------------------------------------------------------------- validation

interface ClassValidator {
  validateSync(object: object, options?: object): { property: string; constraints?: Record<string, string>; children?: unknown[] }[];
}

let classValidator: ClassValidator | undefined;

function loadClassValidator(): ClassValidator {
  if (classValidator === undefined) {
    try {
      classValidator = createRequire(import.meta.url)('class-validator') as ClassValidator;
    } catch (cause) {
      throw new StructSyncError('INVALID_OPTION', 'fromMap validate: true needs the class-validator package (npm i class-validator)', { cause });
    }
  }
  return classValidator;
}

/** Runs class-validator on an instance of the struct class holding the map's values by property name. */
function runValidation(layout: StructLayout, map: unknown, options: FromMapOptions): void {
  if (typeof map !== 'object' || map === null) return; // stageRecord reports the shape error
  const { keys } = keyIndex(layout, options.tag);
  const instance = Object.create(layout.type.prototype as object) as Record<string, unknown>;
  for (const { key, field } of keys) if (hasOwn.call(map, key)) instance[field.name] = (map as Record<string, unknown>)[key];
  const errors = loadClassValidator().validateSync(instance, { skipMissingProperties: options.partial === true });
  if (errors.length > 0) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new ValueError('VALIDATION_FAILED', `${layout.name}.${errors[0]!.property}: ${messages.join('; ')}`, { struct: layout.name, field: errors[0]!.property });
  }
}

// ---------------------------------------------------------------- asMap

export interface AsMapOptions {
  readonly tag?: string;
}

/**
 * A live Proxy keyed by tag names: reads and writes go straight to the record (writes with
 * fromMap's checks). Object.keys, `in`, spreading and JSON.stringify behave like a plain object.
 */
export function asMap(v: object, options: AsMapOptions = {}): Record<string, unknown> {
  const { layout } = viewMemory(v);
  const { keys, byKey } = keyIndex(layout, options.tag);
  const names = keys.map((k) => k.key);
  const read = (keyed: KeyedField): unknown => {
    const memory = viewMemory(v);
    return readForMap(layout, keyed.field, memory.data, memory.bytes, memory.offset + keyed.field.offset, options.tag, false, undefined);
  };
  const refuse = (code: 'UNKNOWN_KEY' | 'INVALID_INPUT', message: string): never => {
    throw new ValueError(code, `${layout.name}: ${message}`, { struct: layout.name });
  };
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_, key) => (typeof key === 'string' && byKey.has(key) ? read(byKey.get(key)!) : undefined),
    set: (_, key, value) => {
      if (typeof key !== 'string' || !byKey.has(key)) return refuse('UNKNOWN_KEY', `no field under the key ${String(key)}`);
      fromMap(v, { [key]: value }, { tag: options.tag, partial: true });
      return true;
    },
    has: (_, key) => typeof key === 'string' && byKey.has(key),
    ownKeys: () => names,
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === 'string' && byKey.has(key) ? { value: read(byKey.get(key)!), writable: true, enumerable: true, configurable: true } : undefined,
    deleteProperty: (_, key) => refuse('INVALID_INPUT', `fields cannot be deleted (${String(key)})`),
    defineProperty: (_, key) => refuse('INVALID_INPUT', `properties cannot be defined on a live map (${String(key)})`),
  });
}
