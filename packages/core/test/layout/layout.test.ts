// layoutOf/sizeof/alignof/offsetof on hand-written structs; test/layout-oracle.test.ts checks the
// same rules against gcc on hundreds of random structs.
import { describe, expect, it } from 'vitest';
import {
  alignof,
  DEFAULT_TAG_PRIORITY,
  DefinitionError,
  Field,
  formatLayout,
  layoutOf,
  offsetof,
  sizeof,
  Struct,
  type FieldSpec,
  type ScalarType,
  type StructClass,
  type StructSyncErrorCode,
} from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';
import { Address, Example, User } from '../support/seed-structs.js';

@Struct()
class Customer {
  @Field({ type: 'u8' }) flags!: number;
  @Field({ type: Address }) addr!: Address;
  @Field({ type: Address, length: 3 }) old!: Address[];
  @Field({ type: 'f64', length: 2 }) pos!: Float64Array;
}

function codeOf(fn: () => unknown): StructSyncErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).code;
  }
  return undefined;
}

describe('layoutOf', () => {
  it('lays out the seed User like gcc: 0/8/24, size 32', () => {
    expect(layoutOf(User).fields.map((f) => f.offset)).toEqual([0, 8, 24]);
    expect(sizeof(User)).toBe(32);
    expect(alignof(User)).toBe(8);
    expect(offsetof(User, 'age')).toBe(24);
  });

  it('pads Example{bool,int64,int32} to 0/8/16, size 24', () => {
    expect(layoutOf(Example).fields.map((f) => f.offset)).toEqual([0, 8, 16]);
    expect(sizeof(Example)).toBe(24);
  });

  it('resolves dotted paths into nested structs and arrays', () => {
    expect(sizeof(Address)).toBe(8);
    expect(offsetof(Customer, 'addr')).toBe(2);
    expect(offsetof(Customer, 'addr.city')).toBe(4);
    expect(offsetof(Customer, 'old.2.city')).toBe(10 + 16 + 2);
    expect(offsetof(Customer, 'pos.1')).toBe(48);
    expect(codeOf(() => offsetof(Customer, 'addr.nope'))).toBe('UNKNOWN_FIELD');
    expect(codeOf(() => offsetof(Customer, 'old.city'))).toBe('UNKNOWN_FIELD');
    expect(codeOf(() => offsetof(Customer, 'old.3.city'))).toBe('UNKNOWN_FIELD');
  });

  it('is computed once and frozen', () => {
    expect(layoutOf(User)).toBe(layoutOf(User));
    expect(Object.isFrozen(layoutOf(User).fields[0])).toBe(true);
  });
});

describe('formatLayout', () => {
  it('shows holes and a better order', () => {
    const text = formatLayout(Example);
    expect(text).toContain('7 bytes hole');
    expect(text).toContain('better order: b, c, a -> size 16 (saves 8 bytes)');
  });
});

const build = (fields: readonly (readonly [string, FieldSpec])[], options: { packed?: boolean; align?: number } = {}): StructClass =>
  defineStruct('Built', fields, options);

describe('field layouts', () => {
  it.each([
    ['i8', 1],
    ['u8', 1],
    ['i16', 2],
    ['u16', 2],
    ['i32', 4],
    ['u32', 4],
    ['i64', 8],
    ['u64', 8],
    ['f32', 4],
    ['f64', 8],
    ['bool', 1],
  ] as const)('places %s at its natural alignment after a byte', (type: ScalarType, size) => {
    const layout = layoutOf(build([['pad', { type: 'u8' }], ['value', { type }]]));
    expect(layout.fields[1]).toMatchObject({ kind: 'scalar', scalar: type, type, offset: size, size, align: size, elementSize: size });
    expect([layout.size, layout.align]).toEqual([2 * size, size]);
  });

  it('describes every kind of field', () => {
    const [scalar, array, str, bytes, any, struct, structArray] = layoutOf(Customer2).fields;
    expect(scalar).toMatchObject({ name: 'id', index: 0, kind: 'scalar', scalar: 'u64', asNumber: true, length: undefined, struct: undefined });
    expect(array).toMatchObject({ kind: 'array', scalar: 'i16', length: 3, elementSize: 2, size: 6, align: 2 });
    expect(str).toMatchObject({ kind: 'str', type: 'str', scalar: undefined, size: 7, align: 1, elementSize: 7 });
    expect(bytes).toMatchObject({ kind: 'bytes', type: 'bytes', size: 3, align: 1 });
    expect(any).toMatchObject({ kind: 'any', type: 'any', size: 16, align: 8, offset: 24 });
    expect(struct).toMatchObject({ kind: 'struct', type: 'Address', struct: layoutOf(Address), size: 8, align: 2 });
    expect(structArray).toMatchObject({ kind: 'structArray', type: 'Address', length: 2, elementSize: 8, size: 16, align: 2 });
    expect(scalar!.tags.json).toEqual({ value: 'id', name: 'id', skip: false, asString: false, omitEmpty: false, options: [] });
    expect(layoutOf(Customer2).tagPriority).toEqual(DEFAULT_TAG_PRIORITY);
  });

  it('drops natural alignment when packed but keeps an explicit field align', () => {
    const layout = layoutOf(
      build(
        [
          ['a', { type: 'u8' }],
          ['b', { type: 'any', size: 16 }],
          ['c', { type: 'i64', align: 4 }],
        ],
        { packed: true },
      ),
    );
    expect(layout.fields.map((f) => [f.offset, f.align])).toEqual([
      [0, 1],
      [1, 1],
      [20, 4],
    ]);
    expect([layout.size, layout.align, layout.packed]).toEqual([28, 4, true]);
  });

  it('raises but never lowers alignment outside packed structs', () => {
    const layout = layoutOf(
      build(
        [
          ['a', { type: 'u8' }],
          ['b', { type: 'i64', align: 2 }],
          ['c', { type: 'u8', align: 16 }],
        ],
        { align: 4 },
      ),
    );
    expect(layout.fields.map((f) => [f.offset, f.align])).toEqual([
      [0, 1],
      [8, 8],
      [16, 16],
    ]);
    expect([layout.size, layout.align]).toEqual([32, 16]);
    expect(alignof(build([['a', { type: 'u8' }]], { align: 64 }))).toBe(64);
    expect(sizeof(build([['a', { type: 'u8' }]], { align: 64 }))).toBe(64);
  });
});

@Struct()
class Customer2 {
  @Field({ type: 'u64', as: 'number', tag: { json: 'id' } }) id!: number;
  @Field({ type: 'i16', length: 3 }) scores!: Int16Array;
  @Field({ type: 'str', size: 7 }) name!: string;
  @Field({ type: 'bytes', size: 3 }) raw!: Uint8Array;
  @Field({ type: 'any', size: 16 }) extra!: unknown;
  @Field({ type: Address }) home!: Address;
  @Field({ type: Address, length: 2 }) previous!: Address[];
}

describe('offsetof paths', () => {
  it('reaches array elements and fields of nested array elements', () => {
    expect(offsetof(Customer2, 'scores.0')).toBe(8);
    expect(offsetof(Customer2, 'scores.2')).toBe(12);
    expect(offsetof(Customer2, 'previous.1')).toBe(48 + 8);
    expect(offsetof(Customer2, 'previous.1.city')).toBe(48 + 8 + 2);
    expect(offsetof(Customer2, 'home.zip')).toBe(40);
  });

  it.each([
    ['an empty path', ''],
    ['an unknown field', 'nope'],
    ['an index past the end', 'scores.3'],
    ['a path through a scalar', 'id.x'],
    ['a path through a str', 'name.0'],
    ['an array of structs without an index', 'previous.city'],
    ['an index on a non-array struct', 'home.0'],
    ['a trailing dot', 'home.'],
  ])('rejects %s with UNKNOWN_FIELD naming the struct and path', (_, path) => {
    let caught: unknown;
    try {
      offsetof(Customer2, path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DefinitionError);
    expect((caught as DefinitionError).code).toBe('UNKNOWN_FIELD');
    expect((caught as DefinitionError).field).toBe(path);
    expect((caught as DefinitionError).message.startsWith(`Customer2: ${JSON.stringify(path)}: `)).toBe(true);
  });
});
