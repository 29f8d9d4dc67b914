// The layout engine: turns the facts recorded by the decorators into C-compatible offsets.
// Pure and cached: each struct is laid out once, on first use, and the result is frozen.
// Rules are those of the x86-64/arm64 C ABI as gcc applies them (the test suite checks gcc).
import { ownFieldFacts, structOptionsOf, type StructOptions } from './decorators.js';
import { DefinitionError, describeValue } from '../errors.js';
import { layoutChannel } from '../event-channels.js';
import type { LayoutEvent } from '../events.js';
import { isTagKey, parseTags, RESERVED_KEYS, TagSyntaxError, type ParsedTags } from './tags.js';
import { ANY_MIN_SIZE } from './any-value.js';
import { ANY_ALIGN, isScalarType, SCALARS, type FieldSpec, type ScalarType, type StructClass } from './types.js';

export type FieldKind = 'scalar' | 'array' | 'str' | 'bytes' | 'any' | 'struct' | 'structArray';

export interface FieldLayout {
  /** The property name. */
  readonly name: string;
  /** Position among the struct's fields (base-class fields first). */
  readonly index: number;
  /** Display type: a scalar name, `str`, `bytes`, `any`, or the nested struct's name. */
  readonly type: string;
  readonly kind: FieldKind;
  /** The scalar type of `scalar` and `array` fields. */
  readonly scalar: ScalarType | undefined;
  /** The nested layout of `struct` and `structArray` fields. */
  readonly struct: StructLayout | undefined;
  /** Element count of `array` and `structArray` fields. */
  readonly length: number | undefined;
  /** Bytes of one element (the whole field for non-arrays). */
  readonly elementSize: number;
  readonly offset: number;
  readonly size: number;
  readonly align: number;
  /** i64/u64 exposed as a number (`as: 'number'`). */
  readonly asNumber: boolean;
  readonly tags: ParsedTags;
}

export interface StructLayout {
  readonly name: string;
  readonly type: StructClass;
  readonly size: number;
  readonly align: number;
  readonly packed: boolean;
  readonly fields: readonly FieldLayout[];
  readonly tagPriority: readonly string[];
}

/** A field as it appears in maps under one tag. */
export interface KeyedField {
  readonly key: string;
  readonly field: FieldLayout;
  readonly omitEmpty: boolean;
  /** Go's `,string`: JSON output writes the value as a JSON string (scalar and str fields only). */
  readonly asString: boolean;
}

export const DEFAULT_TAG_PRIORITY: readonly string[] = Object.freeze(['json', 'db', 'yaml']);

const MAX_ALIGN = 4096;
const MAX_SIZE = 0x7fffffff;
const SPEC_KEYS = new Set(['type', 'tag', 'align', 'length', 'as', 'size']);

const layouts = new WeakMap<Function, StructLayout>();
const inProgress: Function[] = [];

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;
const isPowerOfTwo = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ALIGN && (n & (n - 1)) === 0;
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= MAX_SIZE;

function structName(type: Function, options: StructOptions | undefined): string {
  // An invalid name option is reported under the class name (computeLayout rejects it).
  const name: unknown = options?.name;
  return typeof name === 'string' && name !== '' ? name : type.name || 'AnonymousStruct';
}

// The fingerprint module imports this one; it hands its digest over when it loads (index loads it).
let fingerprintFor: (layout: StructLayout) => string = () => '';

/** @internal Called once by fingerprint.ts. */
export function supplyFingerprint(digest: (layout: StructLayout) => string): void {
  fingerprintFor = digest;
}

function publishLayout(layout: StructLayout): void {
  const event: LayoutEvent = { struct: layout.name, size: layout.size, align: layout.align, fields: layout.fields.length, fingerprint: fingerprintFor(layout) };
  layoutChannel.publish(event);
}

/** The frozen layout of a `@Struct` class, computed on first use. */
export function layoutOf(type: StructClass): StructLayout {
  const cached = layouts.get(type);
  if (cached !== undefined) return cached;
  if (typeof type !== 'function') {
    throw new DefinitionError('NOT_A_STRUCT', `expected a @Struct class, got ${type === null ? 'null' : typeof type}`);
  }
  const options = structOptionsOf(type);
  if (options === undefined) {
    throw new DefinitionError('NOT_A_STRUCT', `${type.name || 'class'} is not decorated with @Struct`, { struct: type.name });
  }
  const name = structName(type, options);
  if (inProgress.includes(type)) {
    const cycle = [...inProgress.slice(inProgress.indexOf(type)), type].map((t) => structName(t, structOptionsOf(t)));
    throw new DefinitionError('RECURSIVE_STRUCT', `${name} contains itself by value (${cycle.join(' → ')})`, { struct: name });
  }
  inProgress.push(type);
  try {
    const layout = computeLayout(type, name, options);
    layouts.set(type, layout);
    if (layoutChannel.hasSubscribers) publishLayout(layout);
    return layout;
  } finally {
    inProgress.pop();
  }
}

function collectFacts(type: Function): { owner: string; property: string | symbol; spec: FieldSpec }[] {
  const chain: Function[] = [];
  for (let t: unknown = type; typeof t === 'function' && t !== Function.prototype; t = Object.getPrototypeOf(t)) {
    chain.unshift(t);
  }
  return chain.flatMap((t) => ownFieldFacts(t).map((f) => ({ owner: t.name, ...f })));
}

function computeLayout(type: StructClass, name: string, options: StructOptions): StructLayout {
  const fail = (code: ConstructorParameters<typeof DefinitionError>[0], message: string, field?: string): never => {
    throw new DefinitionError(code, field === undefined ? `${name}: ${message}` : `${name}.${field}: ${message}`, {
      struct: name,
      field,
    });
  };
  for (const key of Object.keys(options)) {
    if (!['packed', 'align', 'name', 'tagPriority'].includes(key)) fail('INVALID_OPTION', `unknown @Struct option ${JSON.stringify(key)}`);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    fail('INVALID_OPTION', 'name must be a non-empty string');
  }
  if (options.align !== undefined && !isPowerOfTwo(options.align)) {
    fail('INVALID_ALIGN', `align ${String(options.align)} is not a power of two between 1 and ${MAX_ALIGN}`);
  }
  if (options.packed !== undefined && typeof options.packed !== 'boolean') {
    fail('INVALID_OPTION', `packed must be true or false, got ${describeValue(options.packed)}`);
  }
  const packed = options.packed === true;
  // Only a missing option takes the default: null is an ill-typed value like any other.
  const priority: unknown = options.tagPriority === undefined ? DEFAULT_TAG_PRIORITY : options.tagPriority;
  if (!Array.isArray(priority) || priority.some((t) => typeof t !== 'string' || !isTagKey(t))) {
    fail('INVALID_OPTION', 'tagPriority must be an array of tag keys like ["json", "db"]');
  }
  const tagPriority: readonly string[] = Object.freeze([...(priority as string[])]);

  const facts = collectFacts(type);
  if (facts.length === 0) fail('EMPTY_STRUCT', 'a struct needs at least one @Field');

  const fields: FieldLayout[] = [];
  const seen = new Set<string>();
  let offset = 0;
  let maxAlign = 1;
  // Offset of the last zero-size field (`[0]T`, `str` of size 0), for Go's end padding below.
  let lastZero = -1;
  for (const fact of facts) {
    if (typeof fact.property !== 'string') fail('RESERVED_NAME', 'a symbol property cannot be a field', String(fact.property));
    const fieldName = fact.property as string;
    if (RESERVED_KEYS.has(fieldName)) fail('RESERVED_NAME', `"${fieldName}" cannot be a field name`, fieldName);
    // A view's toJSON is what JSON.stringify calls: a field by that name hid it and views
    // stringified as '{}' (found in review). As a tag key (a map key) it is fine.
    if (fieldName === 'toJSON') fail('RESERVED_NAME', '"toJSON" cannot be a field name: it would hide the view\'s toJSON (JSON.stringify); name the property otherwise and tag it json:toJSON', fieldName);
    if (seen.has(fieldName)) fail('DUPLICATE_FIELD', `declared twice (again in ${fact.owner})`, fieldName);
    seen.add(fieldName);
    const shape = fieldShape(fact.spec, (code, message) => fail(code, message, fieldName));
    let tags: ParsedTags;
    try {
      tags = parseTags(fact.spec.tag);
    } catch (error) {
      if (!(error instanceof TagSyntaxError)) throw error;
      return fail('INVALID_TAG', error.message, fieldName);
    }
    for (const [tag, info] of Object.entries(tags)) {
      if (info.name !== undefined && RESERVED_KEYS.has(info.name)) {
        fail('RESERVED_NAME', `tag ${tag} uses the reserved key "${info.name}"`, fieldName);
      }
    }
    const align = packed ? (fact.spec.align ?? 1) : Math.max(shape.align, fact.spec.align ?? 1);
    offset = roundUp(offset, align);
    fields.push(
      Object.freeze({
        name: fieldName,
        index: fields.length,
        type: shape.type,
        kind: shape.kind,
        scalar: shape.scalar,
        struct: shape.struct,
        length: shape.length,
        elementSize: shape.elementSize,
        offset,
        size: shape.size,
        align,
        asNumber: shape.asNumber,
        tags,
      }),
    );
    if (shape.size === 0) lastZero = offset;
    offset += shape.size;
    maxAlign = Math.max(maxAlign, align);
    if (offset > MAX_SIZE) fail('INVALID_SIZE', `struct exceeds ${MAX_SIZE} bytes`, fieldName);
  }
  const align = Math.max(maxAlign, options.align ?? 1);
  // Go pads a struct that ends in zero-size fields by a byte, so that the address of such a field
  // never points at the next object (cmd/compile's calcStructOffset); a packed struct has no padding.
  if (!packed && offset > 0 && offset === lastZero) offset++;
  if (offset === 0) fail('EMPTY_STRUCT', 'a struct needs at least one byte (every field has size 0)');
  const layout: StructLayout = Object.freeze({
    name,
    type,
    size: roundUp(offset, align),
    align,
    packed,
    fields: Object.freeze(fields),
    tagPriority,
  });
  checkTagCollisions(layout, fail);
  return layout;
}

interface FieldShape {
  type: string;
  kind: FieldKind;
  scalar: ScalarType | undefined;
  struct: StructLayout | undefined;
  length: number | undefined;
  elementSize: number;
  size: number;
  align: number;
  asNumber: boolean;
}

type Fail = (code: ConstructorParameters<typeof DefinitionError>[0], message: string) => never;

function fieldShape(spec: FieldSpec, fail: Fail): FieldShape {
  if (typeof spec !== 'object' || spec === null) return fail('UNKNOWN_TYPE', `field spec must be an object, got ${String(spec)}`);
  for (const key of Object.keys(spec)) if (!SPEC_KEYS.has(key)) fail('INVALID_OPTION', `unknown field option ${JSON.stringify(key)}`);
  const { type } = spec;
  const s = spec as { length?: unknown; size?: unknown; as?: unknown; align?: unknown };
  if (s.align !== undefined && !isPowerOfTwo(s.align)) fail('INVALID_ALIGN', `align ${String(s.align)} is not a power of two between 1 and ${MAX_ALIGN}`);
  if (s.length !== undefined && !isCount(s.length)) fail('INVALID_LENGTH', `length must be a non-negative integer, got ${String(s.length)}`);
  const length = s.length as number | undefined;
  const base = { struct: undefined, scalar: undefined, length: undefined, asNumber: false };

  if (isScalarType(type)) {
    if (s.size !== undefined) fail('INVALID_OPTION', `size applies to str, bytes and any; ${type} has a fixed size`);
    if (s.as !== undefined && s.as !== 'number' && s.as !== 'bigint') fail('INVALID_OPTION', `as must be 'number' or 'bigint'`);
    if (s.as !== undefined && type !== 'i64' && type !== 'u64') fail('INVALID_OPTION', `as applies only to i64 and u64`);
    if (s.as === 'number' && length !== undefined) fail('INVALID_OPTION', `as: 'number' is not supported on arrays (they are typed arrays)`);
    const { size } = SCALARS[type];
    const asNumber = s.as === 'number';
    if (length === undefined) return { ...base, type, kind: 'scalar', scalar: type, elementSize: size, size, align: size, asNumber };
    return { ...base, type, kind: 'array', scalar: type, length, elementSize: size, size: size * length, align: size };
  }
  if (type === 'str' || type === 'bytes' || type === 'any') {
    if (length !== undefined) fail('INVALID_OPTION', `length does not apply to ${type}; use size`);
    if (s.as !== undefined) fail('INVALID_OPTION', `as applies only to i64 and u64`);
    if (!isCount(s.size)) fail('INVALID_SIZE', `${type} needs a non-negative integer size, got ${String(s.size)}`);
    const size = s.size as number;
    // Every any field must hold every kind DESIGN.md §4 lists: a number or bigint is an 8-byte
    // header and an 8-byte payload, so a smaller field would write past its end (found in review).
    if (type === 'any' && size < ANY_MIN_SIZE) fail('INVALID_SIZE', `any needs size >= ${ANY_MIN_SIZE} (an 8-byte header and an 8-byte number or bigint), got ${size}`);
    return { ...base, type, kind: type, elementSize: size, size, align: type === 'any' ? ANY_ALIGN : 1 };
  }
  if (typeof type === 'function') {
    if (s.size !== undefined) fail('INVALID_OPTION', `size does not apply to a nested struct`);
    if (s.as !== undefined) fail('INVALID_OPTION', `as applies only to i64 and u64`);
    const typeName = type.name || 'an anonymous class';
    // Checked here rather than left to layoutOf(type) so that the error names this field.
    if (structOptionsOf(type) === undefined) fail('NOT_A_STRUCT', `${typeName} is not decorated with @Struct`);
    if (inProgress.includes(type)) {
      const cycle = [...inProgress.slice(inProgress.indexOf(type)), type].map((t) => structName(t, structOptionsOf(t)));
      fail('RECURSIVE_STRUCT', `${cycle[0]} contains itself by value (${cycle.join(' → ')})`);
    }
    const nested = layoutOf(type);
    const size = nested.size * (length ?? 1);
    if (size > MAX_SIZE) fail('INVALID_SIZE', `field exceeds ${MAX_SIZE} bytes`);
    return {
      ...base,
      type: nested.name,
      kind: length === undefined ? 'struct' : 'structArray',
      struct: nested,
      length,
      elementSize: nested.size,
      size,
      align: nested.align,
    };
  }
  return fail('UNKNOWN_TYPE', `unknown field type ${typeof type === 'string' ? JSON.stringify(type) : String(type)}`);
}

/** Tag keys that appear on any field of the layout, plus the default resolution (undefined). */
function tagKeysOf(layout: StructLayout): (string | undefined)[] {
  const keys = new Set<string>();
  for (const f of layout.fields) for (const k of Object.keys(f.tags)) keys.add(k);
  return [undefined, ...keys];
}

function checkTagCollisions(layout: StructLayout, fail: (code: 'TAG_COLLISION', message: string, field?: string) => never): void {
  for (const tag of tagKeysOf(layout)) {
    const owners = new Map<string, string>();
    for (const { key, field } of resolveKeys(layout, tag)) {
      const other = owners.get(key);
      if (other !== undefined) {
        fail('TAG_COLLISION', `${field.name} and ${other} both map to key "${key}" under ${tag ?? 'the default tags'}`, field.name);
      }
      owners.set(key, field.name);
    }
  }
}

function resolveKeys(layout: StructLayout, tag: string | undefined): KeyedField[] {
  const out: (KeyedField & { tagged: boolean })[] = [];
  for (const field of layout.fields) {
    const info = tag === undefined ? layout.tagPriority.map((t) => field.tags[t]).find((i) => i !== undefined) : field.tags[tag];
    if (info?.skip === true) continue;
    // Go applies `,string` to strings, numbers and booleans only, and ignores it elsewhere.
    const asString = info?.asString === true && (field.kind === 'scalar' || field.kind === 'str');
    out.push({ key: info?.name ?? field.name, field, omitEmpty: info?.omitEmpty ?? false, asString, tagged: info?.name !== undefined });
  }
  // As encoding/json: a field whose tag names a key dominates a field of that name without one,
  // which is left out. Two tagged fields on one key stay, for checkTagCollisions to refuse.
  const taggedKeys = new Set(out.filter((k) => k.tagged).map((k) => k.key));
  return out.filter((k) => k.tagged || !taggedKeys.has(k.key)).map(({ key, field, omitEmpty, asString }) => Object.freeze({ key, field, omitEmpty, asString }));
}

const keyCache = new WeakMap<StructLayout, Map<string | undefined, readonly KeyedField[]>>();

/**
 * The fields of a layout as map keys under `tag` (undefined: the struct's tag priority, then the
 * property name). Fields tagged `-` are left out. Cached per layout and tag.
 */
export function mapKeys(layout: StructLayout, tag?: string): readonly KeyedField[] {
  let byTag = keyCache.get(layout);
  if (byTag === undefined) keyCache.set(layout, (byTag = new Map()));
  let keys = byTag.get(tag);
  if (keys === undefined) {
    keys = Object.freeze(resolveKeys(layout, tag));
    byTag.set(tag, keys);
  }
  return keys;
}

export function sizeof(type: StructClass): number {
  return layoutOf(type).size;
}

export function alignof(type: StructClass): number {
  return layoutOf(type).align;
}

/**
 * Byte offset of a field from the start of the struct. Dotted paths reach into nested structs and
 * arrays: `offsetof(User, 'addr.zip')`, `offsetof(Order, 'lines.2.price')`.
 */
export function offsetof(type: StructClass, path: string): number {
  let layout = layoutOf(type);
  if (typeof path !== 'string') {
    throw new DefinitionError('UNKNOWN_FIELD', `${layout.name}: offsetof needs a field path like "addr.zip", got ${describeValue(path)}`, { struct: layout.name });
  }
  let offset = 0;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const field = layout.fields.find((f) => f.name === part);
    const bad = (why: string): never => {
      throw new DefinitionError('UNKNOWN_FIELD', `${layoutOf(type).name}: ${JSON.stringify(path)}: ${why}`, {
        struct: layoutOf(type).name,
        field: path,
      });
    };
    if (field === undefined) return bad(`${layout.name} has no field "${part}"`);
    offset += field.offset;
    let indexed = false;
    if (field.length !== undefined && i + 1 < parts.length && /^\d+$/.test(parts[i + 1]!)) {
      const index = Number(parts[++i]);
      if (index >= field.length) bad(`index ${index} is past ${field.name}'s length ${field.length}`);
      offset += index * field.elementSize;
      indexed = true;
    }
    if (i + 1 < parts.length) {
      if (field.struct === undefined) return bad(`${layout.name}.${field.name} is not a struct`);
      if (field.kind === 'structArray' && !indexed) bad(`${layout.name}.${field.name} is an array; give an index`);
      layout = field.struct;
    }
  }
  return offset;
}
