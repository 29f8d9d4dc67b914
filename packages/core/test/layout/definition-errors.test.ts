// Bad struct definitions: each raises a DefinitionError with a stable code whose message names the
// class and the field, when the layout is first asked for (decorators only record facts).
import { describe, expect, it } from 'vitest';
import {
  DefinitionError,
  Field,
  layoutOf,
  mapKeys,
  sizeof,
  Struct,
  StructSyncError,
  type StructClass,
  type StructSyncErrorCode,
} from '@structsync/core';
import { declareField, defineStruct } from '../support/define-struct.js';

function definitionError(fn: () => unknown): DefinitionError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DefinitionError);
  expect(caught).toBeInstanceOf(StructSyncError);
  return caught as DefinitionError;
}

/** Asserts layoutOf(type) fails with `code`, naming `struct` and (when given) `field` in message and details. */
function expectDefinitionError(type: StructClass, code: StructSyncErrorCode, struct: string, field?: string): DefinitionError {
  const error = definitionError(() => layoutOf(type));
  expect(error.code).toBe(code);
  expect(error.name).toBe('DefinitionError');
  expect(error.struct).toBe(struct);
  expect(error.field).toBe(field);
  expect(error.message.startsWith(field === undefined ? `${struct}: ` : `${struct}.${field}: `)).toBe(true);
  return error;
}

describe('field types', () => {
  it('rejects an unknown type name, a missing type and a non-type value', () => {
    const error = expectDefinitionError(defineStruct('Unknown', [['x', { type: 'int' }]]), 'UNKNOWN_TYPE', 'Unknown', 'x');
    expect(error.message).toContain('"int"');
    expectDefinitionError(defineStruct('NoType', [['x', {}]]), 'UNKNOWN_TYPE', 'NoType', 'x');
    expectDefinitionError(defineStruct('NumberType', [['x', { type: 42 }]]), 'UNKNOWN_TYPE', 'NumberType', 'x');
    expectDefinitionError(defineStruct('NullSpec', [['x', null]]), 'UNKNOWN_TYPE', 'NullSpec', 'x');
  });

  it.each([
    ['missing', undefined],
    ['negative', -4],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['a string', '8'],
    ['too large', 2 ** 31],
  ])('rejects a %s size on str, bytes and any', (_, size) => {
    for (const type of ['str', 'bytes', 'any'] as const) {
      const spec = size === undefined ? { type } : { type, size };
      expectDefinitionError(defineStruct('Sized', [['blob', spec]]), 'INVALID_SIZE', 'Sized', 'blob');
    }
  });

  it('rejects an any field too small for its 8-byte header and 8-byte number payload', () => {
    const error = expectDefinitionError(defineStruct('TinyAny', [['value', { type: 'any', size: 15 }]]), 'INVALID_SIZE', 'TinyAny', 'value');
    expect(error.message).toContain('size >= 16');
    expect(sizeof(defineStruct('SmallestAny', [['value', { type: 'any', size: 16 }]]))).toBe(16);
  });

  it.each([
    ['negative', -2],
    ['fractional', 2.5],
    ['Infinity', Infinity],
    ['a string', '3'],
  ])('rejects a %s length on scalar and struct arrays', (_, length) => {
    expectDefinitionError(defineStruct('Scalars', [['values', { type: 'f64', length }]]), 'INVALID_LENGTH', 'Scalars', 'values');
    const Point = defineStruct('Point', [['x', { type: 'i32' }]]);
    expectDefinitionError(defineStruct('Points', [['points', { type: Point, length }]]), 'INVALID_LENGTH', 'Points', 'points');
  });

  it('rejects a struct larger than 2^31 - 1 bytes', () => {
    const Huge = defineStruct('Huge', [
      ['a', { type: 'u8', length: 2 ** 31 - 1 }],
      ['b', { type: 'u8' }],
    ]);
    expectDefinitionError(Huge, 'INVALID_SIZE', 'Huge', 'b');
  });
});

describe('alignment', () => {
  it.each([0, 3, 6, 1.5, -8, 8192, '8'])('rejects field align %s', (align) => {
    expectDefinitionError(defineStruct('FieldAlign', [['x', { type: 'i32', align }]]), 'INVALID_ALIGN', 'FieldAlign', 'x');
  });

  it.each([0, 3, 12, 0.5, 8192])('rejects struct align %s', (align) => {
    expectDefinitionError(defineStruct('StructAlign', [['x', { type: 'i32' }]], { align }), 'INVALID_ALIGN', 'StructAlign');
  });

  it('accepts every power of two up to 4096', () => {
    for (let align = 1; align <= 4096; align *= 2) {
      expect(layoutOf(defineStruct('Aligned', [['x', { type: 'u8', align }]], { align })).align).toBe(align);
    }
  });
});

describe('nesting', () => {
  it('rejects a struct that contains itself by value', () => {
    const Node = defineStruct('Node', [['value', { type: 'i32' }]]);
    declareField(Node, 'next', { type: Node });
    const error = expectDefinitionError(Node, 'RECURSIVE_STRUCT', 'Node', 'next');
    expect(error.message).toContain('Node → Node');
  });

  it('rejects a cycle through another struct (A → B → A), from either end', () => {
    const A = defineStruct('A', [['id', { type: 'u8' }]]);
    const B = defineStruct('B', [['a', { type: A }]]);
    declareField(A, 'b', { type: B });
    const fromA = expectDefinitionError(A, 'RECURSIVE_STRUCT', 'B', 'a');
    expect(fromA.message).toContain('A → B → A');
    const fromB = expectDefinitionError(B, 'RECURSIVE_STRUCT', 'A', 'b');
    expect(fromB.message).toContain('B → A → B');
  });

  it('still lays out other structs after a recursion error (no leftover state)', () => {
    const Loop = defineStruct('Loop', [['x', { type: 'u8' }]]);
    declareField(Loop, 'self', { type: Loop });
    expectDefinitionError(Loop, 'RECURSIVE_STRUCT', 'Loop', 'self');
    expectDefinitionError(Loop, 'RECURSIVE_STRUCT', 'Loop', 'self');
    const Leaf = defineStruct('Leaf', [['x', { type: 'u16' }]]);
    expect(sizeof(defineStruct('Tree', [['left', { type: Leaf }], ['right', { type: Leaf }]]))).toBe(4);
  });

  it('rejects an undecorated class used as a nested type, naming the outer field', () => {
    class Plain {
      x = 1;
    }
    const error = expectDefinitionError(defineStruct('Outer', [['inner', { type: Plain }]]), 'NOT_A_STRUCT', 'Outer', 'inner');
    expect(error.message).toContain('Plain is not decorated with @Struct');
  });

  it('reports an error inside a nested struct under the nested struct and its field', () => {
    const Inner = defineStruct('Inner', [['name', { type: 'str' }]]);
    expectDefinitionError(defineStruct('Wrapper', [['inner', { type: Inner }]]), 'INVALID_SIZE', 'Inner', 'name');
  });

  it('rejects an undecorated class given to layoutOf', () => {
    class Plain {}
    const error = definitionError(() => layoutOf(Plain));
    expect(error.code).toBe('NOT_A_STRUCT');
    expect(error.message).toBe('Plain is not decorated with @Struct');
    expect(definitionError(() => layoutOf(null as unknown as StructClass)).code).toBe('NOT_A_STRUCT');
  });
});

describe('names', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('rejects a field named %s', (name) => {
    const error = expectDefinitionError(defineStruct('Reserved', [['ok', { type: 'u8' }], [name, { type: 'u8' }]]), 'RESERVED_NAME', 'Reserved', name);
    expect(error.message).toContain(`"${name}"`);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects a tag that maps a field to %s', (key) => {
    expectDefinitionError(defineStruct('ReservedTag', [['x', { type: 'u8', tag: `json:"${key}"` }]]), 'RESERVED_NAME', 'ReservedTag', 'x');
  });

  it('rejects a symbol property', () => {
    const key = Symbol('hidden');
    const error = definitionError(() => layoutOf(defineStruct('WithSymbol', [[key, { type: 'u8' }]])));
    expect(error.code).toBe('RESERVED_NAME');
    expect(error.message).toBe('WithSymbol.Symbol(hidden): a symbol property cannot be a field');
  });

  it('rejects a field declared on both a base class and its subclass', () => {
    const Base = defineStruct('Base', [['id', { type: 'u32' }]]);
    const Derived = defineStruct('Derived', [['id', { type: 'u64' }]], {}, Base);
    const error = expectDefinitionError(Derived, 'DUPLICATE_FIELD', 'Derived', 'id');
    expect(error.message).toContain('again in Derived');
    expect(sizeof(Base)).toBe(4);
  });

  it('rejects the same field declared twice on one class', () => {
    expectDefinitionError(defineStruct('Twice', [['x', { type: 'u8' }], ['x', { type: 'u16' }]]), 'DUPLICATE_FIELD', 'Twice', 'x');
  });

  it('uses the name option in errors', () => {
    expectDefinitionError(defineStruct('ClassName', [['x', { type: 'nope' }]], { name: 'wire.Record' }), 'UNKNOWN_TYPE', 'wire.Record', 'x');
  });
});

describe('tags', () => {
  it('rejects two fields claiming one key under one tag', () => {
    const Clash = defineStruct('Clash', [
      ['userId', { type: 'u32', tag: 'json:"id"' }],
      ['accountId', { type: 'u32', tag: 'db:"account"' }],
      ['legacyId', { type: 'u32', tag: 'json:"id"' }],
    ]);
    const error = expectDefinitionError(Clash, 'TAG_COLLISION', 'Clash', 'legacyId');
    expect(error.message).toContain('legacyId and userId both map to key "id"');
  });

  it('rejects a collision that only the default priority produces (json > db > yaml > name)', () => {
    // Under json: a → "key", b → "b". Under db: a → "a", b → "key". By default both resolve to "key".
    const Clash = defineStruct('DefaultClash', [
      ['a', { type: 'u8', tag: 'json:"key"' }],
      ['b', { type: 'u8', tag: 'db:"key"' }],
    ]);
    const error = expectDefinitionError(Clash, 'TAG_COLLISION', 'DefaultClash', 'b');
    expect(error.message).toContain('under the default tags');
  });

  it('rejects a collision that only a per-struct tagPriority produces', () => {
    const fields = [
      ['a', { type: 'u8', tag: 'json:"a" yaml:"key"' }],
      ['b', { type: 'u8', tag: 'json:"key"' }],
    ] as const;
    expect(layoutOf(defineStruct('JsonFirst', fields)).fields).toHaveLength(2);
    const error = expectDefinitionError(defineStruct('YamlFirst', fields, { tagPriority: ['yaml', 'json'] }), 'TAG_COLLISION', 'YamlFirst', 'b');
    expect(error.message).toContain('under the default tags');
  });

  it('lets a tagged field dominate an untagged field of its key, as encoding/json does', () => {
    const Dominated = defineStruct('NameDominated', [
      ['name', { type: 'str', size: 8 }],
      ['title', { type: 'str', size: 8, tag: 'json:"name"' }],
    ]);
    expect(mapKeys(layoutOf(Dominated), 'json').map((k) => `${k.field.name}=${k.key}`)).toEqual(['title=name']);
    expect(mapKeys(layoutOf(Dominated), 'db').map((k) => `${k.field.name}=${k.key}`)).toEqual(['name=name', 'title=title']);
  });

  it('rejects two tagged fields on one key (go vet: struct field repeats json tag)', () => {
    const Clash = defineStruct('TagClash', [
      ['name', { type: 'str', size: 8, tag: 'json:"name"' }],
      ['title', { type: 'str', size: 8, tag: 'json:"name,omitempty"' }],
    ]);
    expectDefinitionError(Clash, 'TAG_COLLISION', 'TagClash', 'title');
  });

  it('allows two fields to share a key when one of them is skipped with -', () => {
    const Fine = defineStruct('SkipNoClash', [
      ['a', { type: 'u8', tag: 'json:"key"' }],
      ['b', { type: 'u8', tag: 'json:"-" db:"key"' }],
    ]);
    expect(layoutOf(Fine).fields).toHaveLength(2);
  });

  it.each([
    ['an unterminated quote', 'json:"id'],
    ['a missing colon', 'json'],
    ['a key with a quote', 'js"on:"id"'],
    ['a tab between tags', 'json:"id"\tdb:"x"'],
    ['a space in json options', 'json:"id, omitempty"'],
    ['a json name encoding/json rejects', "json:\"a'b\""],
    ['no space between tags', 'json:"id"db:"x"'],
  ])('rejects a malformed tag (%s) with INVALID_TAG', (_, tag) => {
    expectDefinitionError(defineStruct('BadTag', [['x', { type: 'u8', tag }]]), 'INVALID_TAG', 'BadTag', 'x');
  });

  it('rejects a tag object with a non-string value and a tag of the wrong type', () => {
    expectDefinitionError(defineStruct('BadTagObject', [['x', { type: 'u8', tag: { json: 1 } }]]), 'INVALID_TAG', 'BadTagObject', 'x');
    expectDefinitionError(defineStruct('BadTagType', [['x', { type: 'u8', tag: 42 }]]), 'INVALID_TAG', 'BadTagType', 'x');
  });
});

describe('options', () => {
  it('rejects an unknown field option, such as a typo of length', () => {
    const error = expectDefinitionError(defineStruct('Typo', [['values', { type: 'f32', lenght: 4 }]]), 'INVALID_OPTION', 'Typo', 'values');
    expect(error.message).toContain('"lenght"');
  });

  it('rejects as on a type that is not 64-bit, and an unknown as', () => {
    expectDefinitionError(defineStruct('AsOnI32', [['x', { type: 'i32', as: 'number' }]]), 'INVALID_OPTION', 'AsOnI32', 'x');
    expectDefinitionError(defineStruct('AsOnStr', [['x', { type: 'str', size: 4, as: 'number' }]]), 'INVALID_OPTION', 'AsOnStr', 'x');
    expectDefinitionError(defineStruct('AsString', [['x', { type: 'i64', as: 'string' }]]), 'INVALID_OPTION', 'AsString', 'x');
    expectDefinitionError(defineStruct('AsOnArray', [['x', { type: 'u64', length: 2, as: 'number' }]]), 'INVALID_OPTION', 'AsOnArray', 'x');
  });

  it('rejects options that do not apply to the type', () => {
    expectDefinitionError(defineStruct('SizeOnScalar', [['x', { type: 'u32', size: 4 }]]), 'INVALID_OPTION', 'SizeOnScalar', 'x');
    expectDefinitionError(defineStruct('LengthOnStr', [['x', { type: 'str', size: 4, length: 2 }]]), 'INVALID_OPTION', 'LengthOnStr', 'x');
    const Point = defineStruct('Point', [['x', { type: 'i32' }]]);
    expectDefinitionError(defineStruct('SizeOnStruct', [['p', { type: Point, size: 4 }]]), 'INVALID_OPTION', 'SizeOnStruct', 'p');
  });

  it('rejects a class with no fields', () => {
    const error = expectDefinitionError(defineStruct('Empty', []), 'EMPTY_STRUCT', 'Empty');
    expect(error.message).toBe('Empty: a struct needs at least one @Field');
  });

  it('rejects unknown or ill-typed @Struct options', () => {
    const fields = [['x', { type: 'u8' }]] as const;
    expectDefinitionError(defineStruct('StructTypo', fields, { pakced: true }), 'INVALID_OPTION', 'StructTypo');
    expectDefinitionError(defineStruct('PackedString', fields, { packed: 'yes' }), 'INVALID_OPTION', 'PackedString');
    expectDefinitionError(defineStruct('PriorityString', fields, { tagPriority: 'json' }), 'INVALID_OPTION', 'PriorityString');
    expectDefinitionError(defineStruct('PriorityNumbers', fields, { tagPriority: [1] }), 'INVALID_OPTION', 'PriorityNumbers');
    expectDefinitionError(defineStruct('EmptyName', fields, { name: '' }), 'INVALID_OPTION', 'EmptyName');
  });

  it('struct_option_null_is_refused_like_any_other_ill_typed_value', () => {
    const fields = [['x', { type: 'u8' }]] as const;
    expectDefinitionError(defineStruct('PriorityNull', fields, { tagPriority: null }), 'INVALID_OPTION', 'PriorityNull');
    expectDefinitionError(defineStruct('PackedNull', fields, { packed: null }), 'INVALID_OPTION', 'PackedNull');
    expectDefinitionError(defineStruct('NameNull', fields, { name: null }), 'INVALID_OPTION', 'NameNull');
    expectDefinitionError(defineStruct('AlignNull', fields, { align: null }), 'INVALID_ALIGN', 'AlignNull');
  });

  it('refuses @Struct options that are not an object when decorating (spreading null or 5 gave {})', () => {
    const fields = [['x', { type: 'u8' }]] as const;
    for (const options of [null, 5, 'packed', [true]]) {
      const error = definitionError(() => defineStruct('NotOptions', fields, options));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toMatch(/^NotOptions: @Struct options must be an object/);
    }
  });

  it('rejects @Field on a static property at decoration time', () => {
    class Statics {}
    const error = definitionError(() => (Field({ type: 'u8' }) as PropertyDecorator)(Statics, 'count'));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe('Statics.count: @Field cannot decorate a static property');
  });

  it('raises the same error on every call: a failed layout is not cached', () => {
    const Bad = defineStruct('Bad', [['x', { type: 'u8', align: 3 }]]);
    expectDefinitionError(Bad, 'INVALID_ALIGN', 'Bad', 'x');
    expectDefinitionError(Bad, 'INVALID_ALIGN', 'Bad', 'x');
  });
});
