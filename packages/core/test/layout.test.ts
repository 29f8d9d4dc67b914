import { describe, expect, it } from 'vitest';
import { alignof, DefinitionError, Field, formatLayout, layoutOf, offsetof, sizeof, Struct, type StructSyncErrorCode } from '@structsync/core';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
}

@Struct()
class Example {
  @Field({ type: 'bool' }) a!: boolean;
  @Field({ type: 'i64' }) b!: bigint;
  @Field({ type: 'i32' }) c!: number;
}

@Struct()
class Address {
  @Field({ type: 'u16' }) zip!: number;
  @Field({ type: 'str', size: 5 }) city!: string;
}

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
