// Builds a fresh @Struct class at runtime from [property, spec] pairs. The decorators are applied
// as plain calls, exactly as decorator syntax applies them, so that tests can declare specs that
// @Field's typing would reject and names (`__proto__`, symbols) an object literal cannot hold.
import { Field, Struct, type FieldSpec, type StructClass, type StructOptions } from '@structsync/core';

type PropertyDecorator = (target: object, key: string | symbol) => void;

/** Applies `@Field(spec)` to `key` of `type`, without the compile-time check of the property type. */
export function declareField(type: abstract new () => object, key: string | symbol, spec: unknown): void {
  (Field(spec as FieldSpec) as PropertyDecorator)(type.prototype, key);
}

export function defineStruct(
  name: string,
  fields: readonly (readonly [string | symbol, unknown])[],
  options: unknown = {},
  base?: abstract new () => object,
): StructClass {
  // An object-literal key gives the class its name, which errors and layouts show.
  const holder = base === undefined ? { [name]: class {} } : { [name]: class extends (base as new () => object) {} };
  const type = holder[name]!;
  for (const [key, spec] of fields) declareField(type, key, spec);
  Struct(options as StructOptions)(type);
  return type;
}
