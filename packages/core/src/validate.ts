// `fromMap(..., { validate: true })`: runs the class-validator rules declared on the struct's own
// class, before anything is checked or written, on an instance of that class built from the map
// (with `partial`, the record's current values for absent keys; and the current values of fields
// the tag skips, '-', since the write keeps them). class-validator is an optional peer
// dependency, loaded on first use only, so core works without it.
import { createRequire } from 'node:module';
import { StructSyncError, ValueError } from './errors.js';
import { mapKeys, type FieldLayout, type StructLayout } from './layout.js';
import { inputFault, joinPath, notAnArrayOf, where } from './map-errors.js';
import { omittedZero } from './map-read.js';
import { isMapObject, keyIndex, snapshotValue, type WriteMode } from './map-write.js';

interface ValidationError {
  readonly property: string;
  readonly constraints?: Readonly<Record<string, string>>;
  readonly children?: readonly ValidationError[];
}

interface ClassValidator {
  validateSync(object: object, options?: object): ValidationError[];
}

let classValidator: ClassValidator | undefined;

/** class-validator, required lazily (it keeps its rules in one global store, shared with the app's copy). */
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

const hasOwn = Object.prototype.hasOwnProperty;

function define(target: object, name: string, value: unknown): void {
  // A data property, whatever accessors the class's prototype may declare.
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

// Whether no field name is found on the class's prototype chain, so that a plain store on an
// instance makes the same own data property as define, at a fraction of its cost.
const storesPlainly = new WeakMap<StructLayout, boolean>();

function plainStores(layout: StructLayout): boolean {
  let plain = storesPlainly.get(layout);
  if (plain === undefined) {
    const prototype = layout.type.prototype as object;
    plain = layout.fields.every((f) => !(f.name in prototype));
    storesPlainly.set(layout, plain);
  }
  return plain;
}

/** Sets field `name` of an instance as an own data property (`plain`: see plainStores). */
function put(plain: boolean, instance: object, name: string, value: unknown): void {
  if (plain) (instance as Record<string, unknown>)[name] = value;
  else define(instance, name, value);
}

/** The current value of a field of a view, as validation should see it (nested records whole). */
function currentValue(field: FieldLayout, current: Record<string, unknown>): unknown {
  const value = current[field.name];
  if (field.kind === 'struct') return currentInstance(field.struct!, value as Record<string, unknown>);
  if (field.kind === 'structArray') return Array.from(value as ArrayLike<Record<string, unknown>>, (v) => currentInstance(field.struct!, v));
  if (field.kind === 'array' || field.kind === 'bytes') return Array.from(value as ArrayLike<unknown>);
  return value;
}

/** An instance of the struct's class holding every field of the record `current` as it is now. */
function currentInstance(layout: StructLayout, current: Record<string, unknown>): object {
  const instance = Object.create(layout.type.prototype as object) as object;
  const plain = plainStores(layout);
  for (const field of layout.fields) put(plain, instance, field.name, currentValue(field, current));
  return instance;
}

/**
 * An instance of the struct's class (its constructor is not run) holding the record as the write
 * would leave it, under property names: the map's values for allow-listed own keys; with
 * `partial`, the current values for absent keys; and always the current values of fields the tag
 * skips ('-'), which fromMap never writes. Rules on those fields then judge the value the record
 * keeps, instead of failing on undefined (found in review). Values come from the view's getters.
 */
function instanceOf(layout: StructLayout, map: unknown, current: Record<string, unknown> | undefined, mode: WriteMode): object {
  const instance = Object.create(layout.type.prototype as object) as object;
  const plain = plainStores(layout);
  const keys = mapKeys(layout, mode.tag);
  for (const { key, field, omitEmpty } of keys) {
    const present = isMapObject(map) && hasOwn.call(map, key);
    if (!present) {
      if (mode.partial && current !== undefined) put(plain, instance, field.name, currentValue(field, current));
      // The zero value fromMap writes for an absent omitempty key is what the rules judge.
      const zero = omitEmpty && !mode.partial ? omittedZero(field) : undefined;
      if (zero !== undefined) put(plain, instance, field.name, zero.value);
      continue;
    }
    const value = (map as Record<string, unknown>)[key];
    const child = current === undefined ? undefined : (current[field.name] as unknown);
    if (field.kind === 'struct' && isMapObject(value)) {
      put(plain, instance, field.name, instanceOf(field.struct!, value, child as Record<string, unknown> | undefined, mode));
    } else if (field.kind === 'structArray' && Array.isArray(value)) {
      const children = child as ArrayLike<Record<string, unknown>> | undefined;
      put(plain, instance, field.name, value.map((element: unknown, i) => (isMapObject(element) ? instanceOf(field.struct!, element, children?.[i], mode) : element)));
    } else {
      put(plain, instance, field.name, value);
    }
  }
  if (current !== undefined && keys.length < layout.fields.length) {
    const keyed = new Set(keys.map((k) => k.field));
    for (const field of layout.fields) if (!keyed.has(field)) put(plain, instance, field.name, currentValue(field, current));
  }
  return instance;
}

function messages(errors: readonly ValidationError[], path: string, out: { path: string; text: string }[]): void {
  for (const error of errors) {
    const at = joinPath(path, error.property);
    for (const text of Object.values(error.constraints ?? {})) out.push({ path: at, text });
    if (error.children !== undefined) messages(error.children, at, out);
  }
}

/**
 * The map as fromMap will read it, read once: its own enumerable keys and their values, nested
 * maps and struct arrays snapshotted the same way, arrays of array and bytes fields copied. The
 * rules and the write then judge the same values: reading the input once for the rules and again
 * for the write let a getter or Proxy show the rules a valid value and store another (found in
 * review). Keys outside the allow-list are kept as they are, for the write to refuse.
 */
function readOnce(root: string, layout: StructLayout, map: Record<string, unknown>, path: string, tag: string | undefined): Record<string, unknown> {
  const keys = mapKeys(layout, tag);
  const index = keyIndex(keys);
  // A plain object with plain stores (a null-prototype object is a slow dictionary from the start,
  // and defineProperty per key cost a third of validate: true); only `__proto__` needs defining.
  const copy: Record<string, unknown> = {};
  for (const key in map) {
    if (!hasOwn.call(map, key)) continue;
    const i = index.get(key);
    const value = map[key];
    const read = i === undefined ? value : readFieldOnce(root, keys[i]!.field, value, joinPath(path, keys[i]!.field.name), tag);
    if (key === '__proto__') define(copy, key, read);
    else copy[key] = read;
  }
  // An own `__proto__` (JSON.parse makes those) stays for the write to refuse, even if an engine's for-in skips it.
  if (hasOwn.call(map, '__proto__') && !hasOwn.call(copy, '__proto__')) define(copy, '__proto__', map['__proto__']);
  return copy;
}

function readFieldOnce(root: string, field: FieldLayout, value: unknown, path: string, tag: string | undefined): unknown {
  if (field.kind === 'struct') return isMapObject(value) ? readOnce(root, field.struct!, value, path, tag) : value;
  if (!Array.isArray(value)) return value; // typed arrays are stable; scalars and strings are values
  if (field.kind === 'array' || field.kind === 'bytes') return snapshotValue(root, path, field, value);
  if (field.kind !== 'structArray') return value;
  const count: unknown = value.length;
  if (count !== field.length) throw notAnArrayOf(root, path, field, value, count);
  const length = field.length!;
  const elements = new Array<unknown>(length);
  for (let i = 0; i < length; i++) {
    const element: unknown = value[i];
    elements[i] = isMapObject(element) ? readOnce(root, field.struct!, element, joinPath(path, i), tag) : element;
  }
  return elements;
}

/**
 * Throws VALIDATION_FAILED (nothing written) when the class's class-validator rules refuse the map;
 * otherwise returns the map as the rules saw it, read once (see readOnce), for fromMap to write.
 */
export function validateMap(layout: StructLayout, view: object, map: unknown, mode: WriteMode): unknown {
  let input: Record<string, unknown>;
  let instance: object;
  try {
    // Inside the try: even telling whether it is a map can throw (a revoked Proxy; found in review).
    if (!isMapObject(map)) return map; // the structural checks report the shape error
    input = readOnce(layout.name, layout, map, '', mode.tag);
    instance = instanceOf(layout, input, view as Record<string, unknown>, mode);
  } catch (error) {
    throw inputFault(layout.name, error);
  }
  const validator = loadClassValidator();
  const errors = validator.validateSync(instance, { forbidUnknownValues: false });
  if (errors.length === 0) return input;
  const found: { path: string; text: string }[] = [];
  messages(errors, '', found);
  const first = found[0]?.path ?? errors[0]!.property;
  const text = found.map((m) => `${where(layout.name, m.path)}: ${m.text}`).join('; ');
  throw new ValueError('VALIDATION_FAILED', text === '' ? `${where(layout.name, first)}: validation failed` : text, {
    struct: layout.name,
    field: first,
    cause: errors,
  });
}
