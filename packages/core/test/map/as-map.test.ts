// asMap: a live Proxy keyed by tag names. The object protocol behaves like the plain object toMap
// returns; writes go through fromMap's checks (a refused write changes no byte); faults surface.
import { describe, expect, it } from 'vitest';
import { asMap, createPool, Field, fromMap, sizeof, Struct, toMap, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Place {
  @Field({ type: 'u16', tag: 'json:zip' }) zip!: number;
  @Field({ type: 'str', size: 6, tag: 'json:city' }) city!: string;
}

@Struct()
class Person {
  @Field({ type: 'i64', as: 'number', tag: 'json:id db:person_id' }) id!: number;
  @Field({ type: 'str', size: 8, tag: 'json:name' }) name!: string;
  @Field({ type: 'u8', tag: 'json:"age,omitempty"' }) age!: number;
  @Field({ type: 'i16', length: 2, tag: 'json:pair' }) pair!: Int16Array;
  @Field({ type: Place, tag: 'json:place db:-' }) place!: Place;
}

describe.each([true, false])('asMap (codegen %s)', (codegen) => {
  const setup = (): { person: Person; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Person));
    const person = fromMap(view(Person, buffer, 0, { codegen }), { id: 1, name: 'ada', age: 36, pair: [1, 2], place: { zip: 1000, city: 'Paris' } }, { tag: 'json' });
    return { person, bytes: new Uint8Array(buffer) };
  };

  it('lists keys, answers `in`, spreads and stringifies like the plain map', () => {
    const { person } = setup();
    const m = asMap(person, { tag: 'json' });
    expect(Object.keys(m)).toEqual(['id', 'name', 'age', 'pair', 'place']);
    expect('name' in m && !('nope' in m) && 'toString' in m).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(m, 'age')).toBe(true);
    expect(JSON.parse(JSON.stringify(m))).toEqual(toMap(person, { tag: 'json' }));
    expect({ ...m, place: { ...(m.place as object) } }).toEqual(toMap(person, { tag: 'json' }));
    expect(Object.keys(asMap(person, { tag: 'db' }))).toEqual(['person_id', 'name', 'age', 'pair']);
    expect(Object.entries(m).map(([k]) => k)).toEqual(Object.keys(m));
  });

  it('reads and writes through to the record, nested maps included', () => {
    const { person } = setup();
    const m = asMap(person, { tag: 'json' });
    person.age = 40;
    expect(m.age).toBe(40);
    m.name = 'grace';
    expect(person.name).toBe('grace');
    const place = m.place as Record<string, unknown>;
    expect(m.place).toBe(place); // the nested live map is cached
    place.zip = 2000;
    expect(person.place.zip).toBe(2000);
    m.pair = [3, 4];
    expect(Array.from(person.pair)).toEqual([3, 4]);
    m.place = { zip: 3000, city: 'Rome' };
    expect(toMap(person.place)).toEqual({ zip: 3000, city: 'Rome' });
    // Assignment merges (fromMap with partial: true, at every level): absent nested keys stay.
    m.place = { zip: 4000 };
    expect(toMap(person.place)).toEqual({ zip: 4000, city: 'Rome' });
  });

  it('refuses bad values, unknown and forbidden keys, deletes and definitions, writing nothing', () => {
    const { person, bytes } = setup();
    const m = asMap(person, { tag: 'json' });
    const before = bytes.slice();
    const refusals: [() => unknown, string][] = [
      [() => (m.age = 256), 'OUT_OF_RANGE'],
      [() => (m.age = '5'), 'TYPE_MISMATCH'],
      [() => (m.name = 'much too long'), 'STRING_TOO_LONG'],
      [() => (m.pair = [1]), 'INVALID_INPUT'],
      [() => (m.place = 5), 'TYPE_MISMATCH'],
      [() => (m.place = { zip: 1, state: 'x' }), 'UNKNOWN_KEY'],
      [() => ((m.place as Record<string, unknown>).zip = -1), 'OUT_OF_RANGE'],
      [() => (m.nope = 1), 'UNKNOWN_KEY'],
      [() => (m.person_id = 1), 'UNKNOWN_KEY'],
      [() => ((m as { __proto__: unknown }).__proto__ = { polluted: true }), 'FORBIDDEN_KEY'],
      [() => delete m.age, 'INVALID_INPUT'],
      [() => Object.defineProperty(m, 'age', { value: 1 }), 'INVALID_INPUT'],
    ];
    for (const [act, code] of refusals) expect(act).toThrow(expect.objectContaining({ code }));
    expect(bytes).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('as_map_freeze_and_set_prototype_throw_a_struct_sync_error', () => {
    const { person, bytes } = setup();
    const m = asMap(person, { tag: 'json' });
    const before = bytes.slice();
    const refusals: (() => unknown)[] = [
      () => Object.freeze(m),
      () => Object.seal(m),
      () => Object.preventExtensions(m),
      () => Reflect.preventExtensions(m),
      () => Object.setPrototypeOf(m, null),
      () => Object.setPrototypeOf(m, { polluted: true }),
      () => Reflect.setPrototypeOf(m, Array.prototype),
      () => ((m as { __proto__: unknown }).__proto__ = null),
      () => Object.freeze(m.place as object),
    ];
    for (const act of refusals) {
      expect(codeOf(act, ValueError)).toMatch(/^(INVALID_INPUT|FORBIDDEN_KEY)$/);
    }
    expect(codeOf(() => Object.freeze(m), ValueError)).toBe('INVALID_INPUT');
    expect(() => Object.freeze(m)).toThrow(expect.objectContaining({ struct: 'Person' }));
    // Still a live, extensible map with its usual prototype; setting the same prototype is a no-op.
    expect(Object.isExtensible(m) && !Object.isFrozen(m)).toBe(true);
    expect(Object.setPrototypeOf(m, Object.prototype)).toBe(m);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    m.name = 'grace';
    expect(person.name).toBe('grace');
    person.name = 'ada';
    expect(bytes).toEqual(before);
  });

  it('cuts strings when made with truncate: true', () => {
    const { person } = setup();
    asMap(person, { tag: 'json', truncate: true }).name = 'ééééé';
    expect(person.name).toBe('éééé');
  });

  it('throws STALE_VIEW once the pooled view is released', () => {
    const pool = createPool(Person, { capacity: 1, codegen });
    const person = pool.acquire();
    const m = asMap(person);
    pool.release(person);
    const bytes = new Uint8Array(pool.buffer);
    const before = bytes.slice();
    expect(() => m.name).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
    expect(() => Object.keys(m)).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
    expect(() => (m.age = 1)).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
    expect(bytes).toEqual(before);
  });
});

@Struct()
class Sparse {
  @Field({ type: 'i32', tag: 'json:"count,omitempty"' }) count!: number;
  @Field({ type: 'str', size: 8, tag: 'json:"label,omitempty"' }) label!: string;
  @Field({ type: 'bool', tag: 'json:"on,omitempty"' }) on!: boolean;
  @Field({ type: 'i64', tag: 'json:"big,omitempty"' }) big!: bigint;
  @Field({ type: 'any', size: 16, tag: 'json:"extra,omitempty"' }) extra!: unknown;
  @Field({ type: Place, tag: 'json:"place,omitempty"' }) place!: Place;
  @Field({ type: 'u8', tag: 'json:kept' }) kept!: number;
}

@Struct()
class SparseHolder {
  @Field({ type: Sparse, tag: 'json:inner' }) inner!: Sparse;
  @Field({ type: Sparse, length: 2, tag: 'json:list' }) list!: Sparse[];
}

describe.each([true, false])('as_map_honours_omitempty_like_to_map (codegen %s)', (codegen) => {
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));

  it('lists, spreads and stringifies only the keys toMap keeps', () => {
    const buffer = new ArrayBuffer(sizeof(Sparse));
    const sparse = view(Sparse, buffer, 0, { codegen });
    const m = asMap(sparse, { tag: 'json' });
    const expectSame = (): void => {
      const map = toMap(sparse, { tag: 'json', codegen });
      expect(Object.keys(m)).toEqual(Object.keys(map));
      expect(plain(m)).toEqual(plain(map));
      expect(Object.keys({ ...m })).toEqual(Object.keys(map));
      for (const key of ['count', 'label', 'on', 'big', 'extra', 'kept']) {
        expect(key in m).toBe(key in map);
        expect(Object.prototype.hasOwnProperty.call(m, key)).toBe(key in map);
      }
    };
    expectSame();
    expect(Object.keys(m)).toEqual(['place', 'kept']);
    sparse.count = 3;
    sparse.label = 'x';
    sparse.on = true;
    sparse.big = 5n;
    sparse.extra = 'e';
    expectSame();
    expect(Object.keys(m)).toEqual(['count', 'label', 'on', 'big', 'extra', 'place', 'kept']);
    // An any holding false is not empty (Go omits only a nil interface); a null one is.
    sparse.extra = false;
    sparse.count = 0;
    expectSame();
    expect(Object.keys(m)).toEqual(['label', 'on', 'big', 'extra', 'place', 'kept']);
    sparse.extra = null;
    expectSame();
    expect(Object.keys(m)).toEqual(['label', 'on', 'big', 'place', 'kept']);
    sparse.extra = [];
    expectSame();
    expect(Object.keys(m)).toEqual(['label', 'on', 'big', 'extra', 'place', 'kept']);
  });

  it('omitted keys still read their zero value and can be written', () => {
    const sparse = view(Sparse, new ArrayBuffer(sizeof(Sparse)), 0, { codegen });
    const m = asMap(sparse, { tag: 'json' });
    expect([m.count, m.label, m.on, m.big, m.extra]).toEqual([0, '', false, 0n, null]);
    (m.count as number) += 2;
    expect(Object.keys(m)).toContain('count');
    expect(sparse.count).toBe(2);
  });

  it('nested live maps omit their empty keys too', () => {
    const holder = view(SparseHolder, new ArrayBuffer(sizeof(SparseHolder)), 0, { codegen });
    holder.list[1]!.label = 'y';
    const m = asMap(holder, { tag: 'json' });
    expect(plain(m)).toEqual(plain(toMap(holder, { tag: 'json', codegen })));
    expect(Object.keys(m.inner as object)).toEqual(['place', 'kept']);
    expect(Object.keys((m.list as object[])[1]!)).toEqual(['label', 'place', 'kept']);
  });
});
