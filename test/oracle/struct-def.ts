// A plain description of a struct (what a user would write with @Struct/@Field), turned into real
// decorated classes at runtime. The gcc oracle emits C from the same description, never from layoutOf.
import { Field, Struct, type FieldSpec, type ScalarType, type StructClass, type StructOptions } from '@structsync/core';

export interface FieldDef {
  readonly name: string;
  readonly type: ScalarType | 'str' | 'bytes' | 'any' | StructDef;
  /** Element count of a scalar or nested-struct array. */
  readonly length?: number;
  /** Bytes of a str, bytes or any field. */
  readonly size?: number;
  readonly align?: number;
}

/** Fields declared on a base class: laid out before the subclass's own fields. */
export interface BaseDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  /** Whether the base class itself carries @Struct (it is laid out flattened either way). */
  readonly decorated: boolean;
  readonly base?: BaseDef;
}

export interface StructDef {
  readonly name: string;
  readonly packed?: boolean;
  readonly align?: number;
  readonly fields: readonly FieldDef[];
  readonly base?: BaseDef;
}

/** Base fields first (outermost base first), then the struct's own: the flattened C member list. */
export function flattenedFields(def: StructDef | BaseDef): readonly FieldDef[] {
  return [...(def.base === undefined ? [] : flattenedFields(def.base)), ...def.fields];
}

/** Every struct reachable from `defs` through nested fields, each once, dependencies first. */
export function dependencyOrder(defs: readonly StructDef[]): StructDef[] {
  const out: StructDef[] = [];
  const seen = new Set<StructDef>();
  const visit = (def: StructDef): void => {
    if (seen.has(def)) return;
    seen.add(def);
    for (const field of flattenedFields(def)) if (typeof field.type === 'object') visit(field.type);
    out.push(def);
  };
  defs.forEach(visit);
  return out;
}

// The decorators' typing checks property types against specs; a generated class has no declared
// properties, so the oracle applies them through this untyped signature (the runtime call is the same).
type PropertyDecorator = (target: object, key: string) => void;

function named(name: string, base: (abstract new () => object) | undefined): new () => object {
  // An object literal key gives the class its name, which appears in errors and layouts.
  const holder = base === undefined ? { [name]: class {} } : { [name]: class extends (base as new () => object) {} };
  return holder[name]!;
}

/** Builds the classes for `def` (and everything it nests), memoised so a shared nested def is one class. */
export function buildClass(def: StructDef, built: Map<StructDef, StructClass> = new Map()): StructClass {
  const existing = built.get(def);
  if (existing !== undefined) return existing;
  const declare = (target: new () => object, fields: readonly FieldDef[]): void => {
    for (const field of fields) (Field(specOf(field, built)) as PropertyDecorator)(target.prototype, field.name);
  };
  const buildBase = (base: BaseDef): new () => object => {
    const cls = named(base.name, base.base === undefined ? undefined : buildBase(base.base));
    declare(cls, base.fields);
    if (base.decorated) Struct()(cls);
    return cls;
  };
  const cls = named(def.name, def.base === undefined ? undefined : buildBase(def.base));
  declare(cls, def.fields);
  const options: { -readonly [K in keyof StructOptions]: StructOptions[K] } = {};
  if (def.packed !== undefined) options.packed = def.packed;
  if (def.align !== undefined) options.align = def.align;
  Struct(options)(cls);
  built.set(def, cls);
  return cls;
}

function specOf(field: FieldDef, built: Map<StructDef, StructClass>): FieldSpec {
  const common = field.align === undefined ? {} : { align: field.align };
  const { type } = field;
  if (typeof type === 'object') {
    const nested = buildClass(type, built);
    return field.length === undefined ? { type: nested, ...common } : { type: nested, length: field.length, ...common };
  }
  if (type === 'str' || type === 'bytes' || type === 'any') return { type, size: field.size ?? 1, ...common };
  return field.length === undefined ? { type, ...common } : { type, length: field.length, ...common };
}
