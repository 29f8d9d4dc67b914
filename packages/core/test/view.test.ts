import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Field, MemoryError, records, repoint, sizeof, Struct, view, type StructSyncErrorCode } from '@structsync/core';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
  isAdult(): boolean {
    return this.age >= 18;
  }
}

@Struct({ packed: true })
class Packed {
  @Field({ type: 'u8' }) tag!: number;
  @Field({ type: 'f64', length: 2 }) pair!: Float64Array;
  @Field({ type: 'u16', length: 2, align: 2 }) ports!: Uint16Array;
}

function codeOf(fn: () => unknown): StructSyncErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    return (error as MemoryError).code;
  }
  return undefined;
}

describe.each([true, false])('view (codegen %s)', (codegen) => {
  it('is an instance of the class, and its methods see the buffer', () => {
    const buffer = new ArrayBuffer(64);
    const u = view(User, buffer, 32, { codegen });
    u.age = 20;
    expect(u).toBeInstanceOf(User);
    expect(u.isAdult()).toBe(true);
    expect(new DataView(buffer).getInt32(32 + 24, true)).toBe(20);
    expect(Object.keys(u)).toEqual([]);
  });

  it('respects a Node Buffer’s own byteOffset', () => {
    const backing = new ArrayBuffer(128);
    const node = Buffer.from(backing, 32, 64);
    const u = view(User, node, 0, { codegen });
    u.id = 77n;
    expect(new DataView(backing).getBigInt64(32, true)).toBe(77n);
    expect(codeOf(() => view(User, Buffer.from(backing, 4, 40), 0, { codegen }))).toBe('MISALIGNED');
  });

  it('rejects negative, fractional, NaN, huge, out-of-bounds and misaligned offsets', () => {
    const buffer = new ArrayBuffer(64);
    for (const offset of [-8, 1.5, Number.NaN, Infinity, '8' as unknown as number]) {
      expect(codeOf(() => view(User, buffer, offset, { codegen }))).toBe('INVALID_OFFSET');
    }
    expect(codeOf(() => view(User, buffer, 40, { codegen }))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => view(User, buffer, Number.MAX_SAFE_INTEGER - 7, { codegen }))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => view(User, buffer, 4, { codegen }))).toBe('MISALIGNED');
    expect(codeOf(() => view(User, new ArrayBuffer(16), 0, { codegen }))).toBe('OUT_OF_BOUNDS');
  });

  it('throws DETACHED_BUFFER on read and write once the buffer is transferred', () => {
    const buffer = new ArrayBuffer(32);
    const u = view(User, buffer, 0, { codegen });
    u.name = 'before';
    const moved = structuredClone(buffer, { transfer: [buffer] });
    for (const read of [() => u.id, () => u.name, () => u.age]) expect(codeOf(read)).toBe('DETACHED_BUFFER');
    expect(codeOf(() => (u.age = 1))).toBe('DETACHED_BUFFER');
    expect(codeOf(() => (u.name = 'x'))).toBe('DETACHED_BUFFER');
    expect(codeOf(() => view(User, buffer, 0, { codegen }))).toBe('DETACHED_BUFFER');
    expect(view(User, moved, 0, { codegen }).name).toBe('before');
  });

  it('leaves the bytes unchanged when a setter refuses a value', () => {
    const buffer = new ArrayBuffer(32);
    const u = view(User, buffer, 0, { codegen });
    u.age = 5;
    u.name = 'ok';
    const before = new Uint8Array(buffer).slice();
    const cases: [() => unknown, StructSyncErrorCode][] = [
      [() => (u.age = 1.5), 'NOT_INTEGER'],
      [() => (u.age = 2 ** 31), 'OUT_OF_RANGE'],
      [() => (u.age = Number.NaN), 'NOT_INTEGER'],
      [() => ((u as { age: unknown }).age = '5'), 'TYPE_MISMATCH'],
      [() => ((u as { id: unknown }).id = 2 ** 63), 'OUT_OF_RANGE'],
      [() => (u.id = 2n ** 63n), 'OUT_OF_RANGE'],
      [() => (u.name = 'x'.repeat(17)), 'STRING_TOO_LONG'],
      [() => (u.name = 'a\u0000b'), 'INVALID_STRING'],
      [() => (u.name = '\ud800'), 'INVALID_STRING'],
    ];
    for (const [set, code] of cases) expect(codeOf(set)).toBe(code);
    expect(new Uint8Array(buffer)).toEqual(before);
  });

  it('re-points one view across records without allocating new views', () => {
    const buffer = new ArrayBuffer(sizeof(User) * 3);
    const cursor = view(User, buffer, 0, { codegen });
    for (let i = 0; i < 3; i++) {
      repoint(cursor, i * sizeof(User));
      cursor.age = i * 10;
    }
    const seen = new Set<User>();
    let total = 0;
    for (const u of records(User, buffer, { codegen })) {
      seen.add(u);
      total += u.age;
    }
    expect(total).toBe(30);
    expect(seen.size).toBe(1);
    expect(codeOf(() => repoint(cursor, 3 * sizeof(User)))).toBe('OUT_OF_BOUNDS');
  });

  it('refuses a misaligned typed array in a packed struct, with a hint', () => {
    const p = view(Packed, new ArrayBuffer(32), 0, { codegen });
    expect(codeOf(() => p.pair)).toBe('MISALIGNED');
    p.ports[1] = 8080;
    expect(p.ports[1]).toBe(8080);
    expect(p.ports).toBe(p.ports);
  });
});
