// `@Struct` and `@Field` only record facts; `layout.ts` turns the facts into offsets, once, when
// first asked. Nothing here needs the whole class. Both decorator protocols are accepted: legacy
// (`experimentalDecorators`, facts kept with reflect-metadata) and standard TC39 decorators
// (facts kept as `standard-decorators.ts` explains); the facts and so the layout are the same.
import 'reflect-metadata';
import { DefinitionError, describeValue } from '../errors.js';
import { unreadableOptions } from '../options.js';
import { claimStandardFields, isDecoratorContext, openStructClaim, recordStandardField, standardFieldFacts, type FieldFact } from './standard-decorators.js';
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

const FIELDS_KEY = 'structsync:fields';
const STRUCT_KEY = 'structsync:struct';

/**
 * What a legacy `@Field` requires of the prototype it decorates: a public property of the spec's
 * value type. A private or protected property is not visible to the type system here, so it is
 * left unchecked rather than rejected (standard decorators see its type, and check it).
 */
export type FieldTarget<T, K extends PropertyKey, V> = K extends keyof T ? Record<K, V> : unknown;

/**
 * What `@Field(spec)` returns: a decorator for either protocol. TypeScript picks the signature
 * that matches the project's decorator setting, and in both a property whose type is not `V` has
 * no matching signature, which is a compile error.
 */
export interface FieldDecorator<V> {
  /** Legacy decorators (`experimentalDecorators: true`), and plain calls `Field(spec)(C.prototype, 'x')`. */
  <K extends string, T extends object>(target: T & FieldTarget<T, K, V>, key: K): void;
  /** Standard (TC39) decorators: TypeScript ≥ 5 without `experimentalDecorators`, esbuild, tsx, SWC. */
  (value: undefined, context: ClassFieldDecoratorContext<unknown, V>): void;
}

/** What `@Struct(options)` returns: a class decorator for either protocol. */
export type StructDecorator = <C extends StructClass>(target: C, context?: ClassDecoratorContext<C>) => void;

/**
 * Declares the property a fixed-size field of the record. The spec's type must match the
 * property's TypeScript type: `i64` needs `bigint` (or `as: 'number'` and `number`), `str` a
 * `string`, a nested struct its class — a mismatch is a compile error.
 */
export function Field<const S extends FieldSpec>(spec: ExactSpec<S>): FieldDecorator<ValueOfSpec<S>> {
  return ((target: unknown, key: unknown): void => {
    if (isDecoratorContext(key)) {
      recordStandardField(key, frozenCopy(spec));
      return;
    }
    recordLegacyField(target as object, key as string | symbol, spec);
  }) as FieldDecorator<ValueOfSpec<S>>;
}

function recordLegacyField(target: object, key: string | symbol, spec: FieldSpec): void {
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
  facts.push(Object.freeze({ property: key, spec: frozenCopy(spec) }));
}

// A frozen copy: changing the spec object afterwards must not change a layout computed later.
function frozenCopy(spec: FieldSpec): FieldSpec {
  // Not an object: kept as given, for the layout to report (decorators never throw on specs).
  if (typeof spec !== 'object' || spec === null) return spec;
  const tag = typeof spec.tag === 'object' && spec.tag !== null ? { tag: Object.freeze({ ...spec.tag }) } : {};
  return Object.freeze({ ...spec, ...tag });
}

/** Marks a class as a struct. Options as {@link StructOptions}; the layout is computed lazily. */
export function Struct(options: StructOptions = {}): StructDecorator {
  const claim = openStructClaim();
  return (target, context) => {
    // Spreading null or 5 gives {}: refuse them here, or they would pass for "no options".
    let copy: StructOptions;
    try {
      if (typeof options !== 'object' || options === null || Array.isArray(options)) {
        throw new DefinitionError('INVALID_OPTION', `${target.name}: @Struct options must be an object like { packed: true }, got ${describeValue(options)}`, {
          struct: target.name,
        });
      }
      copy = Object.freeze({ ...options });
    } catch (error) {
      // A revoked Proxy, or a getter that throws (found in review).
      throw error instanceof DefinitionError ? error : unreadableOptions('@Struct', error, target.name);
    }
    if (isDecoratorContext(context)) {
      const facts = claimStandardFields(target, context, claim);
      if (facts !== undefined) Reflect.defineMetadata(FIELDS_KEY, facts, target.prototype as object);
    }
    Reflect.defineMetadata(STRUCT_KEY, copy, target);
  };
}

/** The options given to `@Struct` on exactly this class, or undefined when it is not decorated. */
export function structOptionsOf(type: Function): StructOptions | undefined {
  return Reflect.getOwnMetadata(STRUCT_KEY, type) as StructOptions | undefined;
}

/** The `@Field` facts declared on exactly this class (not its bases), in declaration order. */
export function ownFieldFacts(type: Function): readonly FieldFact[] {
  return (Reflect.getOwnMetadata(FIELDS_KEY, type.prototype as object) as FieldFact[] | undefined) ?? standardFieldFacts(type) ?? [];
}
