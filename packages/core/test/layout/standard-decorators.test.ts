// @Struct and @Field under the standard (TC39) protocol, called the way compilers call them: the
// class decorator's factory is evaluated first, then every field decorator, then the class
// decorator, with or without `context.metadata` (TypeScript passes none where the runtime has no
// Symbol.metadata, as on Node 20; esbuild and Babel always pass one). test/consumers compiles
// the same with real compilers; here each path is pinned on its own.
import { describe, expect, it } from 'vitest';
import { DefinitionError, Field, formatLayout, layoutOf, sizeof, Struct, type FieldSpec, type StructOptions } from '@structsync/core';

const METADATA: symbol = (Symbol as { metadata?: symbol }).metadata ?? Symbol.for('Symbol.metadata');

type StandardField = (value: undefined, context: ClassFieldDecoratorContext) => void;
type StandardClass = (value: Function, context: ClassDecoratorContext) => void;
type Fields = ReadonlyArray<readonly [string, FieldSpec]>;

function fieldContext(name: string, metadata: DecoratorMetadataObject | undefined, extra: Partial<ClassFieldDecoratorContext> = {}): ClassFieldDecoratorContext {
  return {
    kind: 'field',
    name,
    static: false,
    private: false,
    access: { has: () => true, get: () => undefined, set: () => undefined },
    addInitializer: () => undefined,
    metadata: metadata as DecoratorMetadataObject,
    ...extra,
  };
}

/** Decorates `type` as compiled code does; `metadata` says whether the compiler passes context.metadata. */
function decorate(type: Function, fields: Fields, metadata: boolean, options?: StructOptions | null): void {
  const struct = options === null ? undefined : (Struct(options) as StandardClass);
  const decorators = fields.map(([, spec]) => Field(spec as never) as unknown as StandardField);
  const parent = Object.getPrototypeOf(type) as Record<symbol, DecoratorMetadataObject | undefined>;
  const meta = metadata ? (Object.create(parent[METADATA] ?? null) as DecoratorMetadataObject) : undefined;
  fields.forEach(([name], i) => decorators[i]!(undefined, fieldContext(name, meta)));
  struct?.(type, { kind: 'class', name: type.name, addInitializer: () => undefined, metadata: meta as DecoratorMetadataObject });
  if (meta !== undefined) Object.defineProperty(type, METADATA, { value: meta, configurable: true });
}

const userFields: Fields = [
  ['id', { type: 'i64', tag: 'json:"id" db:"user_id"' }],
  ['name', { type: 'str', size: 16, tag: 'json:name' }],
  ['age', { type: 'i32', tag: 'json:"age,omitempty"' }],
];

function caught(run: () => void): DefinitionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return error as DefinitionError;
  }
  throw new Error('expected a DefinitionError');
}

describe.each([
  ['with context.metadata (esbuild, tsx, Babel)', true],
  ['without context.metadata (tsc on Node 20)', false],
])('standard decorators %s', (_label, metadata) => {
  it('give the same layout as legacy decorators', () => {
    const legacy = (() => {
      @Struct()
      class User {
        @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
        @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
        @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
      }
      return User;
    })();
    const standard = class User {};
    decorate(standard, userFields, metadata);
    expect(formatLayout(standard)).toBe(formatLayout(legacy));
    expect(layoutOf(standard).fields.map((f) => [f.name, f.offset, f.tags.db?.name])).toEqual(layoutOf(legacy).fields.map((f) => [f.name, f.offset, f.tags.db?.name]));
  });

  it('lay out a @Struct base class first, then the subclass', () => {
    class Base {}
    decorate(Base, [['version', { type: 'u8' }]], metadata);
    class Derived extends Base {}
    decorate(Derived, [['id', { type: 'i64' }]], metadata);
    expect(layoutOf(Derived).fields.map((f) => [f.name, f.offset])).toEqual([
      ['version', 0],
      ['id', 8],
    ]);
    expect(layoutOf(Base).fields.map((f) => f.name)).toEqual(['version']);
  });

  it('keep a class defined inside a decorator argument apart from the class being decorated', () => {
    // TypeScript evaluates every decorator expression of a class before applying any.
    const outerStruct = Struct() as StandardClass;
    const first = Field({ type: 'u32' }) as unknown as StandardField;
    class Inner {}
    decorate(Inner, [['z', { type: 'u16' }]], metadata);
    const second = Field({ type: Inner }) as unknown as StandardField;
    class Outer {}
    const meta = metadata ? (Object.create(null) as DecoratorMetadataObject) : undefined;
    first(undefined, fieldContext('count', meta));
    second(undefined, fieldContext('inner', meta));
    outerStruct(Outer, { kind: 'class', name: 'Outer', addInitializer: () => undefined, metadata: meta as DecoratorMetadataObject });
    if (meta !== undefined) Object.defineProperty(Outer, METADATA, { value: meta });
    expect(layoutOf(Outer).fields.map((f) => f.name)).toEqual(['count', 'inner']);
    expect(layoutOf(Inner).fields.map((f) => f.name)).toEqual(['z']);
  });

  it.each([
    ['static', { static: true }, 'x: @Field cannot decorate a static property'],
    ['#private', { private: true, name: '#x' }, '#x: @Field cannot decorate a #private field'],
  ])('refuse a %s field by name (INVALID_OPTION)', (_kind, extra, message) => {
    const error = caught(() => (Field({ type: 'u8' }) as unknown as StandardField)(undefined, fieldContext('x', undefined, extra as Partial<ClassFieldDecoratorContext>)));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(message);
  });

  it('refuse an auto-accessor and a method (INVALID_OPTION)', () => {
    const decorator = Field({ type: 'u8' }) as unknown as (value: unknown, context: DecoratorContext) => void;
    const accessor = caught(() => decorator({}, { kind: 'accessor', name: 'x', static: false, private: false } as unknown as DecoratorContext));
    expect([accessor.code, accessor.message]).toEqual(['INVALID_OPTION', 'x: @Field decorates a class field, not an auto-accessor']);
    const method = caught(() => decorator(() => 1, { kind: 'method', name: 'm', static: false, private: false } as unknown as DecoratorContext));
    expect(method.message).toBe('m: @Field decorates a class field, not a method');
  });
});

describe('@Struct under the standard protocol', () => {
  it('refuses anything but a class (INVALID_OPTION)', () => {
    const decorator = Struct() as unknown as (value: unknown, context: DecoratorContext) => void;
    const error = caught(() => decorator(() => 1, { kind: 'method', name: 'run', static: false, private: false } as unknown as DecoratorContext));
    expect([error.code, error.message]).toEqual(['INVALID_OPTION', 'run: @Struct decorates a class, not a method']);
  });
});

describe('standard decorators on a class without @Struct', () => {
  it('with context.metadata: an undecorated base class still gives its fields to a @Struct subclass', () => {
    class Entity {}
    decorate(Entity, [['version', { type: 'u8' }]], true, null);
    class Product extends Entity {}
    decorate(Product, [['stock', { type: 'u16' }]], true);
    expect(layoutOf(Product).fields.map((f) => [f.name, f.offset])).toEqual([
      ['version', 0],
      ['stock', 2],
    ]);
  });

  it('without context.metadata: NOT_A_STRUCT naming the field and the settings that fix it; the next class is unaffected', () => {
    class Entity {}
    decorate(Entity, [['version', { type: 'u8' }]], false, null);
    class Product extends Entity {}
    const error = caught(() => decorate(Product, [['stock', { type: 'u16' }]], false));
    expect([error.code, error.struct, error.field]).toEqual(['NOT_A_STRUCT', 'Product', 'version']);
    expect(error.message).toContain('@Field version (declared before Product) is on a class without @Struct()');
    expect(error.message).toContain('"experimentalDecorators": true');
    class Next {}
    decorate(Next, [['a', { type: 'u32' }]], false);
    expect(sizeof(Next)).toBe(4);
    expect(layoutOf(Next).fields.map((f) => f.name)).toEqual(['a']);
  });
});
