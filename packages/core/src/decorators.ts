// `@Struct` and `@Field` only record facts (with reflect-metadata); `layout.ts` turns the facts
// into offsets, once, when first asked. Nothing here needs the whole class.
import 'reflect-metadata';
import { DefinitionError, describeValue } from './errors.js';
import type { ExactSpec, FieldSpec, StructClass, ValueOfSpec } from './types.js';

export interface StructOptions {
  /** Every field at alignment 1, like C's `__attribute__((packed))`. Default false. */
  readonly packed?: boolean;
  /** Raise the struct's alignment (a power of two), like C's `__attribute__((aligned(n)))`. */
  readonly align?: number;
  /** Name used in errors, layouts and fingerprints. Default: the class name. */
  readonly name?: string;
  /** Which tags name a field when no tag is asked for. Default: ['json', 'db', 'yaml']. */
  readonly tagPriority?: readonly string[];
}

/** One `@Field` as written on one class. */
export interface FieldFact {
  readonly property: string | symbol;
  readonly spec: FieldSpec;
}

const FIELDS_KEY = 'structsync:fields';
const STRUCT_KEY = 'structsync:struct';

/**
 * What `@Field` requires of the prototype it decorates: a public property of the spec's value type.
 * A private or protected property is not visible to the type system here, so it is left unchecked
 * rather than rejected.
 */
export type FieldTarget<T, K extends PropertyKey, V> = K extends keyof T ? Record<K, V> : unknown;

/**
 * Declares the property a fixed-size field of the record. The spec's type must match the
 * property's TypeScript type: `i64` needs `bigint` (or `as: 'number'` and `number`), `str` a
 * `string`, a nested struct its class — a mismatch is a compile error.
 */
export function Field<const S extends FieldSpec>(
  spec: ExactSpec<S>,
): <K extends string, T extends object>(target: T & FieldTarget<T, K, ValueOfSpec<S>>, key: K) => void {
  return (target: object, key: string | symbol): void => {
    if (typeof target === 'function') {
      throw new DefinitionError('INVALID_OPTION', `${target.name}.${String(key)}: @Field cannot decorate a static property`, {
        struct: target.name,
        field: String(key),
      });
    }
    let facts = Reflect.getOwnMetadata(FIELDS_KEY, target) as FieldFact[] | undefined;
    if (facts === undefined) {
      facts = [];
      Reflect.defineMetadata(FIELDS_KEY, facts, target);
    }
    // A frozen copy: changing the spec object afterwards must not change a layout computed later.
    facts.push(Object.freeze({ property: key, spec: frozenCopy(spec) }));
  };
}

function frozenCopy(spec: FieldSpec): FieldSpec {
  // Not an object: kept as given, for the layout to report (decorators never throw on specs).
  if (typeof spec !== 'object' || spec === null) return spec;
  const tag = typeof spec.tag === 'object' && spec.tag !== null ? { tag: Object.freeze({ ...spec.tag }) } : {};
  return Object.freeze({ ...spec, ...tag });
}

/** Marks a class as a struct. Options as {@link StructOptions}; the layout is computed lazily. */
export function Struct(options: StructOptions = {}): <C extends StructClass>(target: C) => void {
  return (target) => {
    // Spreading null or 5 gives {}: refuse them here, or they would pass for "no options".
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new DefinitionError('INVALID_OPTION', `${target.name}: @Struct options must be an object like { packed: true }, got ${describeValue(options)}`, {
        struct: target.name,
      });
    }
    Reflect.defineMetadata(STRUCT_KEY, Object.freeze({ ...options }), target);
  };
}

/** The options given to `@Struct` on exactly this class, or undefined when it is not decorated. */
export function structOptionsOf(type: Function): StructOptions | undefined {
  return Reflect.getOwnMetadata(STRUCT_KEY, type) as StructOptions | undefined;
}

/** The `@Field` facts declared on exactly this class (not its bases), in declaration order. */
export function ownFieldFacts(type: Function): readonly FieldFact[] {
  return (Reflect.getOwnMetadata(FIELDS_KEY, type.prototype as object) as FieldFact[] | undefined) ?? [];
}
