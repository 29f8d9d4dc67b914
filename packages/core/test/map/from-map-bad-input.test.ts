// fromMap's bad-input suite: every refused input names its code, leaves every byte of the buffer
// unchanged and pollutes no prototype, on the generated and the interpreted converter alike.
import { describe, expect, it } from 'vitest';
import { asMap, createPool, fromMap, offsetof, sizeof, StructSyncError, toMap, ValueError, view, type FromMapOptions, type StructSyncErrorCode } from '@structsync/core';
import { codeOf } from '../support/error-code.js';
import { Account, validAccount } from '../support/map-structs.js';

type Input = Record<string, unknown>;
const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
const cleanPrototype = prototypeKeys();

const withKey = (key: string, value: unknown) => (): Input => ({ ...validAccount(), [key]: value });
const withNested = (patch: (m: Input) => void) => (): Input => {
  const m = validAccount();
  patch(m);
  return m;
};
const cyclic = (): Input => {
  const o: Input = {};
  o.self = o;
  return o;
};

// [what, input, expected code]
const CASES: [string, () => unknown, StructSyncErrorCode][] = [
  // wrong types of every kind into a number field
  ['a numeric string into i32', withKey('count', '5'), 'TYPE_MISMATCH'],
  ['null into i32', withKey('count', null), 'TYPE_MISMATCH'],
  ['undefined into i32', withKey('count', undefined), 'TYPE_MISMATCH'],
  ['an array into i32', withKey('count', [5]), 'TYPE_MISMATCH'],
  ['an object into i32', withKey('count', { valueOf: () => 5 }), 'TYPE_MISMATCH'],
  ['a symbol into i32', withKey('count', Symbol('5')), 'TYPE_MISMATCH'],
  ['a function into i32', withKey('count', () => 5), 'TYPE_MISMATCH'],
  ['a bigint into i32', withKey('count', 5n), 'TYPE_MISMATCH'],
  ['a boolean into i32', withKey('count', true), 'TYPE_MISMATCH'],
  ['a bigint into f64', withKey('score', 1n), 'TYPE_MISMATCH'],
  ['a string into f32', withKey('ratio', '0.5'), 'TYPE_MISMATCH'],
  ['1 into bool', withKey('ok', 1), 'TYPE_MISMATCH'],
  ["'true' into bool", withKey('ok', 'true'), 'TYPE_MISMATCH'],
  ['a number into str', withKey('name', 5), 'TYPE_MISMATCH'],
  ['null into str', withKey('name', null), 'TYPE_MISMATCH'],
  // i64 as text: only the canonical decimal form (JSON's form of a 64-bit integer) is taken
  ['a decimal string with a leading zero into i64', withKey('id', '01'), 'TYPE_MISMATCH'],
  ['a decimal string with a space into i64', withKey('id', ' 1'), 'TYPE_MISMATCH'],
  ['a decimal string with a plus sign into i64', withKey('id', '+1'), 'TYPE_MISMATCH'],
  ['an exponent string into i64', withKey('id', '1e3'), 'TYPE_MISMATCH'],
  ['"-0" into i64', withKey('id', '-0'), 'TYPE_MISMATCH'],
  ['an empty string into i64', withKey('id', ''), 'TYPE_MISMATCH'],
  ['2^63 as text into i64', withKey('id', '9223372036854775808'), 'OUT_OF_RANGE'],
  ['25 digits into i64', withKey('id', '1234567890123456789012345'), 'OUT_OF_RANGE'],
  // ranges and integers
  ['2^31 into i32', withKey('count', 2 ** 31), 'OUT_OF_RANGE'],
  ['-2^31-1 into i32', withKey('count', -(2 ** 31) - 1), 'OUT_OF_RANGE'],
  ['-1 into u8', withKey('byte', -1), 'OUT_OF_RANGE'],
  ['256 into u8', withKey('byte', 256), 'OUT_OF_RANGE'],
  ['128 into i8', withKey('small', 128), 'OUT_OF_RANGE'],
  ['-129 into i8', withKey('small', -129), 'OUT_OF_RANGE'],
  ['65536 into u16', withKey('word', 65536), 'OUT_OF_RANGE'],
  ['-32769 into i16', withKey('short', -32769), 'OUT_OF_RANGE'],
  ['1e39 into f32 (would be stored as Infinity)', withKey('ratio', 1e39), 'OUT_OF_RANGE'],
  ['-Number.MAX_VALUE into f32', withKey('ratio', -Number.MAX_VALUE), 'OUT_OF_RANGE'],
  ['the f32 rounding midpoint 3.4028235677973366e38 into f32', withKey('ratio', 3.4028235677973366e38), 'OUT_OF_RANGE'],
  ['2^32 into u32', withKey('total', 2 ** 32), 'OUT_OF_RANGE'],
  ['-1 into u32', withKey('total', -1), 'OUT_OF_RANGE'],
  ['1.5 into i32', withKey('count', 1.5), 'NOT_INTEGER'],
  ['NaN into i32', withKey('count', NaN), 'NOT_INTEGER'],
  ['Infinity into i32', withKey('count', Infinity), 'NOT_INTEGER'],
  ['-Infinity into u8', withKey('byte', -Infinity), 'NOT_INTEGER'],
  ['1.5 into i64', withKey('id', 1.5), 'NOT_INTEGER'],
  ['NaN into u64', withKey('big', NaN), 'NOT_INTEGER'],
  ['2^53 as a number into i64', withKey('id', 2 ** 53), 'OUT_OF_RANGE'],
  ['2^63 into i64', withKey('id', 2n ** 63n), 'OUT_OF_RANGE'],
  ['-1n into u64', withKey('big', -1n), 'OUT_OF_RANGE'],
  ['-1 into u64', withKey('big', -1), 'OUT_OF_RANGE'],
  ['2^64 into u64', withKey('big', 2n ** 64n), 'OUT_OF_RANGE'],
  ['2^53 as bigint into i64 as number', withKey('safe', 2n ** 53n), 'OUT_OF_RANGE'],
  // strings
  ['9 ASCII bytes into str[8]', withKey('name', 'abcdefghi'), 'STRING_TOO_LONG'],
  ['9 UTF-8 bytes (3 × 3) into str[8]', withKey('name', '€€€'), 'STRING_TOO_LONG'],
  ['two 4-byte characters plus one into str[8]', withKey('name', '😀😀a'), 'STRING_TOO_LONG'],
  ['a NUL in a string', withKey('name', 'a\u0000b'), 'INVALID_STRING'],
  ['a lone high surrogate', withKey('name', 'a\ud800'), 'INVALID_STRING'],
  ['a lone low surrogate', withKey('name', '\udc00a'), 'INVALID_STRING'],
  // bytes, arrays, any
  ['5 bytes into bytes[4]', withKey('raw', [1, 2, 3, 4, 5]), 'VALUE_TOO_LARGE'],
  ['256 in bytes', withKey('raw', [256]), 'OUT_OF_RANGE'],
  ['a string into bytes', withKey('raw', 'abcd'), 'TYPE_MISMATCH'],
  ['2 elements into i16[3]', withKey('points', [1, 2]), 'INVALID_INPUT'],
  ['4 elements into i16[3]', withKey('points', [1, 2, 3, 4]), 'INVALID_INPUT'],
  ['a string element in i16[3]', withKey('points', [1, 2, '3']), 'TYPE_MISMATCH'],
  ['40000 in i16[3]', withKey('points', [1, 2, 40000]), 'OUT_OF_RANGE'],
  ['a Float64Array with 1.5 into i16[3]', withKey('points', new Float64Array([1, 2, 1.5])), 'NOT_INTEGER'],
  ['an object into i16[3]', withKey('points', { length: 3 }), 'TYPE_MISMATCH'],
  ['a symbol into any', withKey('extra', Symbol('x')), 'TYPE_MISMATCH'],
  ['a function into any', withKey('extra', () => 1), 'TYPE_MISMATCH'],
  ['a 17-byte string into any[24]', withKey('extra', 'x'.repeat(17)), 'VALUE_TOO_LARGE'],
  ['a cyclic object into any', withKey('extra', cyclic()), 'TYPE_MISMATCH'],
  // nested structs and struct arrays
  ['a number as a nested struct', withKey('home', 5), 'TYPE_MISMATCH'],
  ['null as a nested struct', withKey('home', null), 'TYPE_MISMATCH'],
  ['an array as a nested struct', withKey('home', [1, 'x']), 'TYPE_MISMATCH'],
  ['a nested key missing', withKey('home', { zip: 1 }), 'MISSING_KEY'],
  ['a nested unknown key', withKey('home', { zip: 1, city: 'x', state: 'y' }), 'UNKNOWN_KEY'],
  ['a nested wrong type', withKey('home', { zip: '1', city: 'x' }), 'TYPE_MISMATCH'],
  ['a nested __proto__', withKey('home', JSON.parse('{"zip":1,"city":"x","__proto__":{"polluted":1}}')), 'FORBIDDEN_KEY'],
  ['a struct array too short', withKey('spots', [{ zip: 1, city: 'a' }]), 'INVALID_INPUT'],
  ['a string as a struct array', withKey('spots', 'ab'), 'TYPE_MISMATCH'],
  ['null in a struct array', withKey('spots', [{ zip: 1, city: 'a' }, null]), 'TYPE_MISMATCH'],
  ['-1 deep in a struct array', withNested((m) => ((m.spots as Input[])[1] = { zip: -1, city: 'b' })), 'OUT_OF_RANGE'],
  // keys
  ['an unknown key', withKey('nope', 1), 'UNKNOWN_KEY'],
  ['an own __proto__ key (JSON.parse)', () => JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(validAccount(), (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)).slice(1)}`), 'FORBIDDEN_KEY'],
  ['a constructor key', withKey('constructor', { prototype: { polluted: true } }), 'FORBIDDEN_KEY'],
  ['a prototype key', withKey('prototype', {}), 'FORBIDDEN_KEY'],
  ['a missing key', withNested((m) => delete m.count), 'MISSING_KEY'],
  ['an inherited key does not count as present', () => withoutOwn('count'), 'MISSING_KEY'],
  // the map itself
  ['null as the map', () => null, 'INVALID_INPUT'],
  ['undefined as the map', () => undefined, 'INVALID_INPUT'],
  ['an array as the map', () => [validAccount()], 'INVALID_INPUT'],
  ['a number as the map', () => 5, 'INVALID_INPUT'],
  ['a string as the map', () => '{"id":1}', 'INVALID_INPUT'],
  ['a symbol as the map', () => Symbol('map'), 'INVALID_INPUT'],
  ['a function as the map', () => () => validAccount(), 'INVALID_INPUT'],
  ['a Uint8Array as the map', () => new Uint8Array(8), 'INVALID_INPUT'],
  ['a Proxy whose getter throws', () => new Proxy(validAccount(), { get: () => { throw new Error('boom'); } }), 'INVALID_INPUT'],
  ['a Proxy whose ownKeys trap throws', () => new Proxy(validAccount(), { ownKeys: () => { throw new Error('boom'); } }), 'INVALID_INPUT'],
  ['a getter that throws', () => Object.defineProperty(validAccount(), 'count', { enumerable: true, get: () => { throw new RangeError('nope'); } }), 'INVALID_INPUT'],
];

/** Account input whose `key` is only inherited (from a prototype holding a valid value). */
function withoutOwn(key: string): Input {
  const own = validAccount();
  const proto = { [key]: own[key] };
  delete own[key];
  return Object.assign(Object.create(proto) as Input, own);
}

describe.each([true, false])('fromMap refuses bad input, writing nothing (codegen %s)', (codegen) => {
  const size = sizeof(Account);
  const setup = (): { account: Account; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(size * 3);
    // The record under test sits between two others, so a write past either end would show.
    const account = view(Account, buffer, size, { codegen });
    fromMap(view(Account, buffer, 0, { codegen }), validAccount(), { tag: 'json' });
    fromMap(account, validAccount(), { tag: 'json' });
    fromMap(view(Account, buffer, 2 * size, { codegen }), validAccount(), { tag: 'json' });
    return { account, bytes: new Uint8Array(buffer) };
  };

  it.each(CASES)('%s', (_, input, code) => {
    const { account, bytes } = setup();
    const before = bytes.slice();
    let error: unknown;
    try {
      fromMap(account, input(), { tag: 'json', codegen });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValueError);
    expect((error as ValueError).code).toBe(code);
    expect((error as ValueError).struct).toBe('Account');
    expect((error as Error).message).toMatch(/^Account[.:]/);
    expect(bytes).toEqual(before);
    expect(prototypeKeys()).toEqual(cleanPrototype);
    expect(({} as Input).polluted).toBeUndefined();
  });

  it('refuses forbidden keys even with unknown: strip', () => {
    const { account, bytes } = setup();
    const before = bytes.slice();
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const input = JSON.parse(`{${JSON.stringify(key)}: {"polluted": true}}`) as Input;
      expect(() => fromMap(account, input, { tag: 'json', partial: true, unknown: 'strip', codegen })).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN_KEY' }),
      );
    }
    expect(bytes).toEqual(before);
    expect(({} as Input).polluted).toBeUndefined();
  });

  it('names the struct and the dotted field path', () => {
    const { account } = setup();
    const input = validAccount();
    (input.spots as Input[])[1] = { zip: -1, city: 'b' };
    expect(() => fromMap(account, input, { tag: 'json', codegen })).toThrow('Account.spots.1.zip: -1 is out of range for u16 [0, 65535]');
    expect(() => fromMap(account, { ...validAccount(), count: 1.5 }, { tag: 'json', codegen })).toThrow('Account.count: 1.5 is not an integer (i32)');
    expect(() => fromMap(account, { ...validAccount(), home: { zip: 1 } }, { tag: 'json', codegen })).toThrow(
      expect.objectContaining({ code: 'MISSING_KEY', field: 'home.city' }),
    );
  });

  it('wraps what a throwing getter threw, keeping it as the cause', () => {
    const { account } = setup();
    const boom = new Error('boom');
    const input = new Proxy(validAccount(), { get: () => { throw boom; } });
    expect(() => fromMap(account, input, { tag: 'json', codegen })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', cause: boom }));
  });

  it('reads each input value once: a getter cannot show the check one value and the write another', () => {
    const { account } = setup();
    let reads = 0;
    const input = Object.defineProperty(validAccount(), 'count', {
      enumerable: true,
      get: () => (++reads === 1 ? 7 : 2 ** 40),
    });
    fromMap(account, input, { tag: 'json', codegen });
    expect(reads).toBe(1);
    expect(account.count).toBe(7);
  });

  it('copies arrays once: a Proxy array cannot change elements between check and write', () => {
    const { account } = setup();
    let reads = 0;
    const points = new Proxy([1, 2, 3], { get: (t, k) => (k === '2' ? (++reads === 1 ? 3 : 40000) : Reflect.get(t, k)) });
    fromMap(account, { ...validAccount(), points }, { tag: 'json', codegen });
    expect(Array.from(account.points)).toEqual([1, 2, 3]);
  });

  it('ignores inherited keys, also with partial', () => {
    const { account, bytes } = setup();
    const before = bytes.slice();
    const input = Object.create({ count: 99, nope: 1 }) as Input;
    fromMap(account, input, { tag: 'json', partial: true, codegen });
    expect(bytes).toEqual(before);
  });

  it('accepts Object.create(null) input', () => {
    const { account } = setup();
    const input = Object.assign(Object.create(null) as Input, validAccount(), { count: 42 });
    fromMap(account, input, { tag: 'json', codegen });
    expect(account.count).toBe(42);
  });

  it('refuses a view that was released or detached meanwhile, writing nothing', () => {
    const pool = createPool(Account, { capacity: 1, codegen });
    const account = fromMap(pool.acquire(), validAccount(), { tag: 'json' });
    const input = Object.defineProperty(validAccount(), 'count', {
      enumerable: true,
      get: () => {
        pool.release(account);
        return 1;
      },
    });
    expect(() => fromMap(account, input, { tag: 'json', codegen })).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
    // A released slot may be cleared by the pool; what matters is that 1 was not written.
    expect(new DataView(pool.buffer).getInt32(offsetof(Account, 'count'), true)).not.toBe(1);

    const buffer = new ArrayBuffer(size);
    const detachable = fromMap(view(Account, buffer, 0, { codegen }), validAccount(), { tag: 'json' });
    const detaching = Object.defineProperty(validAccount(), 'count', {
      enumerable: true,
      get: () => {
        structuredClone(buffer, { transfer: [buffer] });
        return 1;
      },
    });
    expect(() => fromMap(detachable, detaching, { tag: 'json', codegen })).toThrow(expect.objectContaining({ code: 'DETACHED_BUFFER' }));
  });

  it('refuses bad options with INVALID_OPTION', () => {
    const { account } = setup();
    const bad: unknown[] = [{ tag: 5 }, { partial: 'yes' }, { unknown: 'drop' }, { truncate: 1 }, { codegen: 'no' }];
    for (const options of bad) {
      expect(() => fromMap(account, validAccount(), options as FromMapOptions)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    expect(new StructSyncError('INVALID_OPTION', 'x')).toBeInstanceOf(Error);
  });

  it('options_that_are_not_an_object_are_INVALID_OPTION (toMap, fromMap, asMap)', () => {
    const { account, bytes } = setup();
    const before = bytes.slice();
    for (const options of [null, 5, 'json', true]) {
      expect(codeOf(() => fromMap(account, validAccount(), options as never), StructSyncError)).toBe('INVALID_OPTION');
      expect(codeOf(() => toMap(account, options as never), StructSyncError)).toBe('INVALID_OPTION');
      expect(codeOf(() => asMap(account, options as never), StructSyncError)).toBe('INVALID_OPTION');
    }
    for (const options of [{ tag: 5 }, { tag: null }, { truncate: 'yes' }, { truncate: 1 }]) {
      expect(codeOf(() => asMap(account, options as never), StructSyncError)).toBe('INVALID_OPTION');
    }
    expect(bytes).toEqual(before);
  });
});
