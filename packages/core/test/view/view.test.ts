// Views over every kind of memory: instances of the class, Node Buffer offsets, offset checks,
// nested and array fields, 64-bit fields, refused setters, re-pointing and record iteration.
import { Buffer } from 'node:buffer';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  asMap,
  attach,
  createPool,
  fromMap,
  Field,
  isView,
  MemoryError,
  offsetof,
  records,
  repoint,
  sizeof,
  Struct,
  toMap,
  view,
  viewMemory,
  type StructSyncErrorCode,
} from '@structsync/core';
import { codeOf } from '../support/error-code.js';

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

@Struct()
class Point {
  @Field({ type: 'i32' }) x!: number;
  @Field({ type: 'i32' }) y!: number;
}

@Struct()
class Shape {
  @Field({ type: 'u16' }) kind!: number;
  @Field({ type: Point }) origin!: Point;
  @Field({ type: Point, length: 3 }) corners!: readonly Point[];
  @Field({ type: 'bytes', size: 5 }) raw!: Uint8Array;
  @Field({ type: 'f64', length: 2 }) scale!: Float64Array;
  @Field({ type: 'u64', as: 'number' }) big!: number;
  @Field({ type: 'any', size: 24 }) extra!: unknown;
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
    expect(isView(u)).toBe(true);
    expect(isView({ ...u })).toBe(false);
  });

  it('has no own properties: spreading and structuredClone copy nothing (the README says to use toMap)', () => {
    const u = view(User, new ArrayBuffer(64), 0, { codegen });
    u.age = 20;
    expect({ ...u }).toEqual({});
    expect(structuredClone(u)).toEqual({});
    expect(toMap(u)).toMatchObject({ age: 20 });
  });

  it('respects a Node Buffer’s own byteOffset', () => {
    const backing = new ArrayBuffer(128);
    const node = Buffer.from(backing, 32, 64);
    const u = view(User, node, 0, { codegen });
    u.id = 77n;
    expect(new DataView(backing).getBigInt64(32, true)).toBe(77n);
    expect(viewMemory(u).offset).toBe(32);
    expect(codeOf(() => view(User, Buffer.from(backing, 4, 40), 0, { codegen }))).toBe('MISALIGNED');
    expect(view(User, Buffer.from(backing, 4, 44), 4, { codegen }).id).toBe(0n);
  });

  it('respects the offsets of pooled small Buffers', () => {
    // Node carves small Buffers out of one shared 8 KiB pool: their byteOffset is rarely 0.
    const slices = [Buffer.allocUnsafe(40), Buffer.allocUnsafe(40), Buffer.from('x'.repeat(40)), Buffer.allocUnsafe(40)];
    for (const b of slices) {
      if (b.byteOffset % 8 !== 0) {
        expect(codeOf(() => view(User, b, 0, { codegen }))).toBe('MISALIGNED');
        continue;
      }
      b.fill(0);
      const u = view(User, b, 0, { codegen });
      u.age = 9;
      expect(b.readInt32LE(24)).toBe(9);
    }
    const pooled = Buffer.allocUnsafe(3);
    expect(pooled.buffer.byteLength).toBeGreaterThan(3);
    expect(codeOf(() => view(User, pooled, 0, { codegen }))).toBe('OUT_OF_BOUNDS');
  });

  it('works over a SharedArrayBuffer, a DataView and a typed array', () => {
    const shared = new SharedArrayBuffer(64);
    view(User, shared, 32, { codegen }).age = 5;
    expect(new Int32Array(shared)[(32 + 24) / 4]).toBe(5);
    const data = new DataView(new ArrayBuffer(64), 8, 40);
    view(User, data, 0, { codegen }).age = 6;
    expect(data.getInt32(24, true)).toBe(6);
    const words = new Float64Array(8);
    view(User, words.subarray(2), 0, { codegen }).age = 7;
    expect(new Int32Array(words.buffer)[(16 + 24) / 4]).toBe(7);
  });

  it('rejects negative, fractional, NaN, huge, out-of-bounds and misaligned offsets', () => {
    const buffer = new ArrayBuffer(64);
    for (const offset of [-8, -0.5, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, '8' as unknown as number, 8n as unknown as number]) {
      expect(codeOf(() => view(User, buffer, offset, { codegen }))).toBe('INVALID_OFFSET');
    }
    expect(codeOf(() => view(User, buffer, 40, { codegen }))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => view(User, buffer, 64, { codegen }))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => view(User, buffer, Number.MAX_SAFE_INTEGER - 7, { codegen }))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => view(User, buffer, 4, { codegen }))).toBe('MISALIGNED');
    expect(codeOf(() => view(User, new ArrayBuffer(16), 0, { codegen }))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => view(User, new ArrayBuffer(0), 0, { codegen }))).toBe('OUT_OF_BOUNDS');
    for (const bad of [null, undefined, 'bytes', [1, 2, 3], { byteLength: 64 }]) {
      expect(codeOf(() => view(User, bad as unknown as ArrayBuffer, 0, { codegen }))).toBe('INVALID_INPUT');
    }
  });

  it('names the struct in memory errors', () => {
    expect(() => view(User, new ArrayBuffer(64), 4, { codegen })).toThrow(/^User: byte 4 of the underlying buffer is not 8-aligned$/);
    expect(() => view(User, new ArrayBuffer(64), 4, { codegen })).toThrow(MemoryError);
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
      [() => (u.age = -(2 ** 31) - 1), 'OUT_OF_RANGE'],
      [() => (u.age = Number.NaN), 'NOT_INTEGER'],
      [() => (u.age = Infinity), 'NOT_INTEGER'],
      [() => ((u as { age: unknown }).age = '5'), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = 5n), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = null), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = undefined), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = [5]), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = { valueOf: () => 5 }), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = Symbol('x')), 'TYPE_MISMATCH'],
      [() => ((u as { age: unknown }).age = () => 5), 'TYPE_MISMATCH'],
      [() => ((u as { id: unknown }).id = 2 ** 63), 'OUT_OF_RANGE'],
      [() => ((u as { id: unknown }).id = 1.5), 'NOT_INTEGER'],
      [() => ((u as { id: unknown }).id = '1'), 'TYPE_MISMATCH'],
      [() => (u.id = 2n ** 63n), 'OUT_OF_RANGE'],
      [() => (u.id = -(2n ** 63n) - 1n), 'OUT_OF_RANGE'],
      [() => (u.name = 'x'.repeat(17)), 'STRING_TOO_LONG'],
      [() => (u.name = 'é'.repeat(9)), 'STRING_TOO_LONG'],
      [() => (u.name = 'a\u0000b'), 'INVALID_STRING'],
      [() => (u.name = '\ud800'), 'INVALID_STRING'],
      [() => (u.name = 'a\udc00'), 'INVALID_STRING'],
      [() => ((u as { name: unknown }).name = 5), 'TYPE_MISMATCH'],
    ];
    for (const [set, code] of cases) expect(codeOf(set)).toBe(code);
    expect(new Uint8Array(buffer)).toEqual(before);
    expect(() => (u.age = 1.5)).toThrow('User.age: 1.5 is not an integer (i32)');
  });

  it('returns cached nested views that move with their parent', () => {
    const buffer = new ArrayBuffer(sizeof(Shape) * 2);
    const s = view(Shape, buffer, 0, { codegen });
    const origin = s.origin;
    expect(s.origin).toBe(origin);
    expect(origin).toBeInstanceOf(Point);
    expect(s.corners).toBe(s.corners);
    expect(s.corners).toHaveLength(3);
    expect(Object.isFrozen(s.corners)).toBe(true);
    origin.x = 11;
    s.corners[2]!.y = -4;
    const corner = s.corners[2]!;
    repoint(s, sizeof(Shape));
    expect(origin.x).toBe(0);
    origin.x = 22;
    expect(corner.y).toBe(0);
    repoint(s, 0);
    expect([origin.x, corner.y]).toEqual([11, -4]);
    repoint(s, sizeof(Shape));
    expect(s.origin.x).toBe(22);
    expect(codeOf(() => repoint(origin, 0))).toBe('INVALID_STATE');
  });

  it('copies a view of the same struct into a nested field, refusing anything else', () => {
    const s = view(Shape, new ArrayBuffer(sizeof(Shape)), 0, { codegen });
    const p = view(Point, new ArrayBuffer(8), 0, { codegen });
    p.x = 3;
    p.y = 4;
    s.origin = p;
    expect([s.origin.x, s.origin.y]).toEqual([3, 4]);
    const before = new Uint8Array(viewMemory(s).bytes).slice();
    expect(codeOf(() => (s.origin = { x: 1, y: 2 } as Point))).toBe('TYPE_MISMATCH');
    expect(codeOf(() => ((s as { corners: unknown }).corners = [p, p]))).toBe('TYPE_MISMATCH');
    expect(codeOf(() => ((s as { corners: unknown }).corners = [p, p, {}]))).toBe('TYPE_MISMATCH');
    expect(new Uint8Array(viewMemory(s).bytes)).toEqual(before);
    (s as { corners: unknown }).corners = [p, s.origin, p];
    expect(s.corners.map((c) => c.y)).toEqual([4, 4, 4]);
  });

  it('returns zero-copy typed arrays for bytes and scalar arrays, re-made after a move', () => {
    const buffer = new ArrayBuffer(sizeof(Shape) * 2);
    const s = view(Shape, buffer, 0, { codegen });
    const raw = s.raw;
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(raw).toHaveLength(5);
    expect(s.raw).toBe(raw);
    raw[4] = 200;
    s.scale[1] = 0.5;
    const bytes = new Uint8Array(buffer);
    expect(bytes[offsetof(Shape, 'raw') + 4]).toBe(200);
    expect(s.raw.byteOffset).toBe(offsetof(Shape, 'raw'));
    expect(s.scale).toBeInstanceOf(Float64Array);
    expect(new Float64Array(buffer, s.scale.byteOffset, 2)[1]).toBe(0.5);
    expect(s.raw.buffer).toBe(buffer);
    s.raw = new Uint8Array([1, 2]);
    expect([...s.raw]).toEqual([1, 2, 0, 0, 0]);
    const before = bytes.slice();
    expect(codeOf(() => (s.raw = new Uint8Array(6)))).toBe('VALUE_TOO_LARGE');
    expect(codeOf(() => ((s as { raw: unknown }).raw = 'abc'))).toBe('TYPE_MISMATCH');
    expect(codeOf(() => ((s as { scale: unknown }).scale = [1]))).toBe('INVALID_INPUT');
    expect(codeOf(() => ((s as { scale: unknown }).scale = [1, '2']))).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
    s.scale = new Float64Array([1.5, 2.5]);
    expect([...s.scale]).toEqual([1.5, 2.5]);
    repoint(s, sizeof(Shape));
    expect(s.raw).not.toBe(raw);
    expect([...s.scale]).toEqual([0, 0]);
    expect(raw[0]).toBe(1); // a typed array handed out stays on its record
  });

  it('refuses a misaligned typed array in a packed struct, with a hint', () => {
    const p = view(Packed, new ArrayBuffer(32), 0, { codegen });
    expect(codeOf(() => p.pair)).toBe('MISALIGNED');
    expect(() => p.pair).toThrow(/Packed\.pair: a f64\[2\] at byte 1 is not 8-aligned \(packed struct\).*align: 8/);
    p.ports[1] = 8080;
    expect(p.ports[1]).toBe(8080);
    expect(p.ports).toBe(p.ports);
    (p as { pair: unknown }).pair = [1.25, 2]; // writing goes through DataView and works at any alignment
    expect(new DataView(viewMemory(p).data.buffer).getFloat64(1 + 8, true)).toBe(2);
  });

  it('reads 64-bit fields as bigint, or as a number until 2^53', () => {
    const s = view(Shape, new ArrayBuffer(sizeof(Shape)), 0, { codegen });
    s.big = Number.MAX_SAFE_INTEGER;
    expect(s.big).toBe(Number.MAX_SAFE_INTEGER);
    const { data, offset } = viewMemory(s);
    const at = offset + offsetof(Shape, 'big');
    expect(data.getBigUint64(at, true)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    data.setBigUint64(at, 2n ** 53n, true);
    expect(codeOf(() => s.big)).toBe('OUT_OF_RANGE');
    expect(() => s.big).toThrow(/Shape\.big: the stored u64 is past 2\^53/);
    data.setBigUint64(at, 2n ** 64n - 1n, true);
    expect(codeOf(() => s.big)).toBe('OUT_OF_RANGE');
    const before = new Uint8Array(data.buffer).slice();
    expect(codeOf(() => (s.big = 2 ** 53))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => (s.big = -1))).toBe('OUT_OF_RANGE');
    expect(codeOf(() => ((s as { big: unknown }).big = 2n ** 60n))).toBe('OUT_OF_RANGE');
    expect(new Uint8Array(data.buffer)).toEqual(before);
    (s as { big: unknown }).big = 12n;
    expect(s.big).toBe(12);
  });

  it('stores any values inline and refuses bytes it did not write', () => {
    const s = view(Shape, new ArrayBuffer(sizeof(Shape)), 0, { codegen });
    expect(s.extra).toBe(null);
    for (const value of [true, 1.5, -7n, 'héllo', { a: [1] }, null]) {
      s.extra = value;
      expect(s.extra).toEqual(value);
    }
    const { bytes, offset } = viewMemory(s);
    const before = bytes.slice();
    expect(codeOf(() => (s.extra = 'x'.repeat(40)))).toBe('VALUE_TOO_LARGE');
    expect(bytes).toEqual(before);
    bytes[offset + offsetof(Shape, 'extra')] = 0xee;
    expect(codeOf(() => s.extra)).toBe('INVALID_BYTES');
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
    expect([...records(User, buffer, { codegen, count: 2 })].length).toBe(2);
    expect(codeOf(() => records(User, buffer, { count: 4 }))).toBe('OUT_OF_BOUNDS');
  });

  it('walks records by index with one view (records().at), nested views moving along', () => {
    const backing = new ArrayBuffer(8 + sizeof(Shape) * 3 + 8);
    const region = new Uint8Array(backing, 8, sizeof(Shape) * 3);
    const shapes = records(Shape, region, { codegen });
    expect(shapes.length).toBe(3);
    const first = shapes.at(0);
    const origin = first.origin;
    for (let i = 0; i < 3; i++) {
      const s = shapes.at(i);
      expect(s).toBe(first);
      expect(s).toBeInstanceOf(Shape);
      s.kind = 100 + i;
      s.origin.x = i;
    }
    const data = new DataView(backing);
    for (let i = 0; i < 3; i++) {
      expect(data.getUint16(8 + i * sizeof(Shape), true)).toBe(100 + i);
      expect(data.getInt32(8 + i * sizeof(Shape) + offsetof(Shape, 'origin'), true)).toBe(i);
    }
    expect(shapes.at(1).origin).toBe(origin);
    expect(origin.x).toBe(1);
    expect(Object.isFrozen(shapes)).toBe(true);
    const kinds: number[] = [];
    for (const s of shapes) kinds.push(s.kind);
    expect(kinds).toEqual([100, 101, 102]);
    // A nested view taken at the first step moves with the iteration's cursor.
    const xs: number[] = [];
    for (const s of shapes) xs.push(s.origin.x);
    expect(xs).toEqual([0, 1, 2]);
    expect(records(Shape, region, { codegen, count: 2 }).length).toBe(2);
  });

  it('type-checks the options of view, records and attach', () => {
    const buffer = new ArrayBuffer(sizeof(User) * 2 + 64);
    for (const options of [null, 5, 'fast', { codegen: 'no' }, { codegen: 1 }]) {
      const bad = options as unknown as { codegen?: boolean };
      expect(codeOf(() => view(User, buffer, 0, bad)), JSON.stringify(options)).toBe('INVALID_OPTION');
      expect(codeOf(() => records(User, buffer, bad))).toBe('INVALID_OPTION');
      expect(codeOf(() => attach(User, buffer, 0, bad))).toBe('INVALID_OPTION');
    }
    expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
    expect(() => view(User, buffer, 0, { codegen })).not.toThrow();
  });

  it('parks the view on no record for a bad index: every access then throws OUT_OF_BOUNDS, no byte touched', () => {
    const buffer = new ArrayBuffer(sizeof(Shape) * 3);
    const shapes = records(Shape, buffer, { codegen });
    const users = records(User, new Uint8Array(buffer, 0, sizeof(User) * 3), { codegen });
    const kept = shapes.at(2);
    kept.kind = 7;
    const origin = kept.origin;
    origin.x = 9;
    users.at(1).name = 'kept';
    const before = new Uint8Array(buffer).slice();
    const bad = [3, 2 ** 32, 2 ** 32 + 1, -1, 1.5, NaN, Infinity, -Infinity, '1', 1n, Symbol('i'), undefined, null, {}];
    for (const index of bad) {
      const s = shapes.at(index as number);
      const u = users.at(index as number);
      const accesses: [string, () => unknown][] = [
        ['u16 read', () => s.kind],
        ['u16 write', () => (s.kind = 1)],
        ['nested read', () => s.origin],
        ['nested view held from before', () => origin.x],
        ['nested view write', () => (origin.y = 1)],
        ['array read', () => s.scale],
        ['bytes write', () => (s.raw = new Uint8Array(5))],
        ['u64 as number', () => s.big],
        ['any read', () => s.extra],
        ['str read', () => u.name],
        ['str write', () => (u.name = 'x')],
        ['i64 read', () => u.id],
        ['i64 write', () => (u.id = 1n)],
        ['i32 write', () => (u.age = 1)],
        ['toMap', () => toMap(u, { tag: 'json' })],
        ['toMap into', () => toMap(u, { tag: 'json', into: {} })],
        ['fromMap', () => fromMap(u, { id: 1n, name: 'x', age: 1 }, { tag: 'json' })],
        ['asMap', () => asMap(s)],
        ['JSON.stringify', () => JSON.stringify(u)],
        ['viewMemory', () => viewMemory(u)],
      ];
      for (const [what, access] of accesses) expect(codeOf(access), `${String(index)}: ${what}`).toBe('OUT_OF_BOUNDS');
    }
    expect(new Uint8Array(buffer)).toEqual(before);
    expect(() => shapes.at(-1).kind).toThrow(/^Shape: the view points at no record/);
    // A good index brings the same view (and its nested views) back.
    expect(shapes.at(2).kind).toBe(7);
    expect(origin.x).toBe(9);
    expect(users.at(1).name).toBe('kept');
    expect(codeOf(() => records(User, buffer, { codegen, count: 10_000 }))).toBe('OUT_OF_BOUNDS');
    for (const count of [-1, 1.5, NaN, '2', null, 2n]) {
      expect(codeOf(() => records(User, buffer, { codegen, count: count as number })), String(count)).toBe('INVALID_OPTION');
    }
  });

  it('checks re-pointing like view creation, and leaves the view in place on error', () => {
    const buffer = new ArrayBuffer(sizeof(User) * 3);
    const cursor = view(User, Buffer.from(buffer, 32, 64), 0, { codegen });
    cursor.age = 1;
    const cases: [unknown, StructSyncErrorCode][] = [
      [64, 'OUT_OF_BOUNDS'],
      [33, 'OUT_OF_BOUNDS'],
      [32n, 'INVALID_OFFSET'],
      [Symbol('offset'), 'INVALID_OFFSET'],
      ['32', 'INVALID_OFFSET'],
      [4, 'MISALIGNED'],
      [-8, 'INVALID_OFFSET'],
      [8.5, 'INVALID_OFFSET'],
      [Number.NaN, 'INVALID_OFFSET'],
      [2 ** 32, 'OUT_OF_BOUNDS'],
      [2 ** 32 + 8, 'OUT_OF_BOUNDS'],
    ];
    const before = new Uint8Array(buffer).slice();
    for (const [offset, code] of cases) expect(codeOf(() => repoint(cursor, offset as number)), String(offset)).toBe(code);
    expect(new Uint8Array(buffer)).toEqual(before);
    expect(cursor.age).toBe(1);
    expect(viewMemory(cursor).offset).toBe(32);
    repoint(cursor, 32);
    expect(viewMemory(cursor).offset).toBe(64);
    expect(codeOf(() => repoint({}, 0))).toBe('INVALID_INPUT');
    expect(codeOf(() => repoint(null as unknown as object, 0))).toBe('INVALID_INPUT');
    const pool = createPool(User, { capacity: 2, codegen });
    expect(codeOf(() => repoint(pool.acquire(), 32))).toBe('INVALID_STATE');
  });

  it('re-points a view to another buffer, nested views included', () => {
    const first = new ArrayBuffer(sizeof(Shape));
    const second = new SharedArrayBuffer(sizeof(Shape) + 8);
    const s = view(Shape, first, 0, { codegen });
    const origin = s.origin;
    const scale = s.scale;
    origin.x = 1;
    repoint(s, 8, second);
    expect(viewMemory(s).data.buffer).toBe(second);
    expect(origin.x).toBe(0);
    origin.x = 2;
    s.scale[0] = 3;
    expect(new Int32Array(second)[(8 + 4) / 4]).toBe(2);
    expect(s.scale).not.toBe(scale);
    expect(new Int32Array(first)[1]).toBe(1);
    expect(codeOf(() => repoint(s, 16, second))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => repoint(s, 0, 'x' as unknown as ArrayBuffer))).toBe('INVALID_INPUT');
    expect(viewMemory(s).data.buffer).toBe(second);
  });

  it('shares one accessor class per struct and path, and never runs the constructor', () => {
    let constructed = 0;
    @Struct()
    class Counted {
      @Field({ type: 'i32' }) n = 5;
      constructor() {
        constructed++;
      }
    }
    const a = view(Counted, new ArrayBuffer(8), 0, { codegen });
    const b = view(Counted, new ArrayBuffer(8), 4, { codegen });
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(Object.getPrototypeOf(view(Counted, new ArrayBuffer(8), 0, { codegen: !codegen }))).not.toBe(Object.getPrototypeOf(a));
    expect(constructed).toBe(0);
    expect(a.n).toBe(0); // the initialiser did not run: no own property shadows the accessor
    expect(Object.getOwnPropertyNames(a)).toEqual([]);
  });

  it('serialises with toJSON through the json tags, unless the class has its own', () => {
    const u = view(User, new ArrayBuffer(32), 0, { codegen });
    u.id = 3n;
    u.name = 'zoé';
    u.age = 40;
    expect(JSON.parse(JSON.stringify(u))).toEqual({ id: '3', name: 'zoé', age: 40 });
    @Struct()
    class Custom {
      @Field({ type: 'u8' }) v!: number;
      toJSON(): string {
        return `custom ${this.v}`;
      }
    }
    const c = view(Custom, new ArrayBuffer(1), 0, { codegen });
    c.v = 9;
    expect(JSON.stringify(c)).toBe('"custom 9"');
  });
});

describe('viewMemory', () => {
  it('returns the same state object every time, with absolute offsets over the whole buffer', () => {
    const backing = new ArrayBuffer(96);
    const u = view(User, new Uint8Array(backing, 32, 64), 32);
    const memory = viewMemory(u);
    expect(viewMemory(u)).toBe(memory);
    expect(memory.offset).toBe(64);
    expect(memory.data.byteLength).toBe(96);
    expect(memory.bytes.byteLength).toBe(96);
    expect(memory.data.buffer).toBe(backing);
    u.age = 8;
    expect(memory.data.getInt32(memory.offset + 24, true)).toBe(8);
  });

  it('rejects what is not a view, copies of views included', () => {
    const u = view(User, new ArrayBuffer(32));
    const copies = [{ ...u }, Object.assign({}, u)];
    for (const copy of copies) {
      expect(isView(copy)).toBe(false);
      expect(codeOf(() => repoint(copy, 0))).toBe('INVALID_INPUT');
    }
    expect(codeOf(() => createPool(User, { capacity: 1 }).release({ ...u } as User))).toBe('FOREIGN_VIEW');
    for (const bad of [{}, [], new ArrayBuffer(8), Object.create(null) as object, ...copies]) {
      expect(codeOf(() => viewMemory(bad))).toBe('INVALID_INPUT');
      expect(() => viewMemory(bad)).toThrow(MemoryError);
    }
  });
});

describe.each([true, false])('views as class instances (codegen %s)', (codegen) => {
  it('report the decorated class as their constructor, through inheritance too', () => {
    @Struct()
    class Admin extends User {
      @Field({ type: 'u8' }) level!: number;
      isRoot(): boolean {
        return this.level === 0 && this.isAdult();
      }
    }
    const a = view(Admin, new ArrayBuffer(40), 0, { codegen });
    a.age = 30;
    expect(a.constructor).toBe(Admin);
    expect(a).toBeInstanceOf(User);
    expect(a.isRoot()).toBe(true);
    expect(Object.keys(Object.getPrototypeOf(a))).toEqual([]);
  });

  it('print like the record, and print released or detached views without throwing', () => {
    const buffer = new ArrayBuffer(sizeof(Shape));
    const s = view(Shape, buffer, 0, { codegen });
    s.kind = 3;
    s.origin.x = 4;
    expect(inspect(s, { depth: 4 })).toMatch(/^Shape \{\n? *kind: 3,.*origin: Point \{ x: 4, y: 0 \}/s);
    expect(inspect(s, { depth: 0 })).toMatch(/origin: \[Point\]/);
    const pool = createPool(Point, { capacity: 1, codegen });
    const p = pool.acquire();
    pool.release(p);
    expect(inspect(p)).toBe('Point <released>');
    structuredClone(buffer, { transfer: [buffer] });
    expect(inspect(s)).toBe('Shape <detached>');
  });
});
