import { describe, expect, it } from 'vitest';
import { asMap, createPool, Field, fromMap, Struct, toMap, ValueError, view, type StructSyncErrorCode } from '@structsync/core';

@Struct()
class Address {
  @Field({ type: 'u32', tag: 'json:zip db:zip_code' }) zip!: number;
  @Field({ type: 'str', size: 12, tag: 'json:city' }) city!: string;
}

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
  @Field({ type: Address, tag: 'json:address db:-' }) address!: Address;
  @Field({ type: 'u8', length: 3, tag: 'json:flags' }) flags!: Uint8Array;
}

const alice = { id: 1n, name: 'alice', age: 31, address: { zip: 75001, city: 'Paris' }, flags: [1, 2, 3] };

function codeOf(fn: () => unknown): StructSyncErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValueError);
    return (error as ValueError).code;
  }
  return undefined;
}

describe.each([true, false])('struct↔map (codegen %s)', (codegen) => {
  const fresh = (): User => view(User, new ArrayBuffer(64), 0, { codegen });

  it('round-trips under json and keys by db tags', () => {
    const u = fromMap(fresh(), alice, { tag: 'json' });
    expect(toMap(u, { tag: 'json' })).toEqual(alice);
    expect(toMap(u, { tag: 'db' })).toEqual({ user_id: 1n, name: 'alice', age: 31, flags: [1, 2, 3] });
    expect(JSON.parse(JSON.stringify(u))).toEqual({ ...alice, id: '1' });
  });

  it('drops omitempty zeros and reuses `into`', () => {
    const u = fromMap(fresh(), { ...alice, age: 0 }, { tag: 'json' });
    const into: Record<string, unknown> = { age: 99 };
    const out = toMap(u, { tag: 'json', into });
    expect(out).toBe(into);
    expect('age' in out).toBe(false);
  });

  it('accepts a safe-integer number for a 64-bit field and Object.create(null) input', () => {
    const input = Object.assign(Object.create(null) as object, { ...alice, id: 42 });
    expect(fromMap(fresh(), input, { tag: 'json' }).id).toBe(42n);
  });

  it('keeps current values for absent keys with partial, strips unknown keys on request', () => {
    const u = fromMap(fresh(), alice, { tag: 'json' });
    fromMap(u, { age: 40, extra: true }, { tag: 'json', partial: true, unknown: 'strip' });
    expect([u.age, u.name]).toEqual([40, 'alice']);
  });

  it('truncates at a UTF-8 boundary when asked', () => {
    const u = fromMap(fresh(), { ...alice, name: 'ééééééééé' }, { tag: 'json', truncate: true });
    expect(u.name).toBe('éééééééé');
  });

  it('asMap reads and writes live', () => {
    const u = fromMap(fresh(), alice, { tag: 'json' });
    const m = asMap(u, { tag: 'db' });
    expect(Object.keys(m)).toEqual(['user_id', 'name', 'age', 'flags']);
    expect('user_id' in m).toBe(true);
    m.age = 50;
    expect(u.age).toBe(50);
    expect({ ...m }).toEqual({ user_id: 1n, name: 'alice', age: 50, flags: [1, 2, 3] });
    expect(codeOf(() => (m.address = {}))).toBe('UNKNOWN_KEY');
    expect(codeOf(() => (m.age = 1.5))).toBe('NOT_INTEGER');
    expect(u.age).toBe(50);
  });

  it('writes nothing when any key or value is bad', () => {
    const u = fromMap(fresh(), alice, { tag: 'json' });
    const snapshot = JSON.stringify(toMap(u, { tag: 'db' }), (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const cases: [unknown, StructSyncErrorCode][] = [
      [{ ...alice, age: '5' }, 'TYPE_MISMATCH'],
      [{ ...alice, address: { zip: -1, city: 'x' } }, 'OUT_OF_RANGE'],
      [{ ...alice, nope: 1 }, 'UNKNOWN_KEY'],
      [{ id: 1n }, 'MISSING_KEY'],
      [JSON.parse('{"__proto__": {"polluted": true}}'), 'FORBIDDEN_KEY'],
      [{ ...alice, constructor: 1 }, 'FORBIDDEN_KEY'],
      [{ ...alice, flags: [1, 2] }, 'INVALID_INPUT'],
      [null, 'INVALID_INPUT'],
      [[], 'INVALID_INPUT'],
    ];
    for (const [input, code] of cases) expect(codeOf(() => fromMap(u, input, { tag: 'json' }))).toBe(code);
    expect(JSON.stringify(toMap(u, { tag: 'db' }), (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(snapshot);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('works on pooled views', () => {
    const pool = createPool(User, { capacity: 2, codegen });
    const u = fromMap(pool.acquire(), alice, { tag: 'json' });
    expect(u.address.city).toBe('Paris');
  });
});
