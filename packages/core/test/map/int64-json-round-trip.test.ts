// JSON-safe 64-bit integers (issue 11): fromMap takes an i64/u64 as a bigint, a safe-integer number
// or canonical decimal text, so a record survives JSON both ways — JSON.stringify(view) (toJSON)
// and toMap(v, { int64: 'string' }) — byte for byte, on random layouts and both converters;
// toMap/asMap `int64: 'number'` refuses values a number would round.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asMap, Field, fromMap, sizeof, Struct, toMap, view, ValueError } from '@structsync/core';
import { Account, validAccount } from '../support/map-structs.js';
import { structPlan } from '../support/random-structs.js';
import { codeOf } from '../support/error-code.js';

const json = { tag: 'json' } as const;

describe.each([true, false])('64-bit integers through JSON (codegen %s)', (codegen) => {
  const record = (type: Parameters<typeof sizeof>[0]): { v: object; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(type));
    return { v: view(type, buffer, 0, { codegen }), bytes: new Uint8Array(buffer) };
  };

  it('JSON.stringify(view) → JSON.parse → fromMap, and toMap int64: "string" → JSON.stringify → fromMap, restore every byte of random layouts', () => {
    const layoutAndValue = structPlan().chain((s) => s.value.map((value) => ({ ...s, value })));
    fc.assert(
      fc.property(layoutAndValue, ({ type, value }) => {
        const source = record(type);
        fromMap(source.v, value, json);
        const viaToJSON = record(type);
        fromMap(viaToJSON.v, JSON.parse(JSON.stringify(source.v)), json);
        expect(viaToJSON.bytes).toEqual(source.bytes);
        const viaToMap = record(type);
        fromMap(viaToMap.v, JSON.parse(JSON.stringify(toMap(source.v, { tag: 'json', int64: 'string' }))), json);
        expect(viaToMap.bytes).toEqual(source.bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('takes 2^60 as decimal text, which a JSON client cannot send as a number', () => {
    const { v } = record(Account);
    fromMap(v, { ...validAccount(), id: '1152921504606846976', big: '18446744073709551615', points: [1, 2, 3] }, json);
    expect(toMap(v, json)).toMatchObject({ id: 2n ** 60n, big: 2n ** 64n - 1n });
    expect(toMap(v, { tag: 'json', int64: 'string' })).toMatchObject({ id: '1152921504606846976', big: '18446744073709551615' });
  });

  it('int64: "number" gives safe values as numbers and refuses one past 2^53 (OUT_OF_RANGE naming the field)', () => {
    const { v } = record(Account);
    fromMap(v, { ...validAccount(), id: -(2n ** 53n) + 1n, big: 2n ** 53n - 1n }, json);
    expect(toMap(v, { tag: 'json', int64: 'number' })).toMatchObject({ id: -(2 ** 53) + 1, big: 2 ** 53 - 1 });
    fromMap(v, { big: 2n ** 53n }, { tag: 'json', partial: true });
    let field: string | undefined;
    expect(
      codeOf(() => {
        try {
          toMap(v, { tag: 'json', int64: 'number', codegen });
        } catch (error) {
          field = (error as ValueError).field;
          throw error;
        }
      }, ValueError),
    ).toBe('OUT_OF_RANGE');
    expect(field).toBe('big');
  });

  it('asMap reads with the same int64 option and takes decimal text on writes', () => {
    const { v } = record(Account);
    fromMap(v, validAccount(), json);
    const m = asMap(v, { tag: 'json', int64: 'string' });
    m['id'] = '-9223372036854775808';
    expect(m['id']).toBe('-9223372036854775808');
    expect(JSON.parse(JSON.stringify(m))).toMatchObject({ id: '-9223372036854775808', big: '18446744073709551615' });
    expect(asMap(v, { tag: 'json', int64: 'bigint' })['id']).toBe(-(2n ** 63n));
    expect(codeOf(() => asMap(v, { tag: 'json', int64: 'number' })['big'])).toBe('OUT_OF_RANGE');
  });

  it('refuses non-canonical or out-of-range text in a u64 array, naming the element, writing nothing', () => {
    @Struct()
    class Ids {
      @Field({ type: 'u64', length: 3 }) ids!: BigUint64Array;
    }
    const { v, bytes } = record(Ids);
    fromMap(v, { ids: ['1', '18446744073709551615', 3n] });
    expect(Array.from(toMap(v).ids as bigint[])).toEqual([1n, 2n ** 64n - 1n, 3n]);
    const before = bytes.slice();
    for (const bad of ['01', '1e3', '-1', '18446744073709551616']) {
      let message = '';
      const code = codeOf(() => {
        try {
          fromMap(v, { ids: ['2', bad, '4'] });
        } catch (error) {
          message = (error as ValueError).message;
          throw error;
        }
      }, ValueError);
      expect([bad, code]).toEqual([bad, bad === '01' || bad === '1e3' ? 'TYPE_MISMATCH' : 'OUT_OF_RANGE']);
      expect(message).toContain('Ids.ids: [1]');
      expect(bytes).toEqual(before);
    }
  });

  it('refuses a bad int64 option (INVALID_OPTION)', () => {
    const { v } = record(Account);
    expect(codeOf(() => toMap(v, { int64: 'text' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => asMap(v, { int64: 64 as never }))).toBe('INVALID_OPTION');
  });
});
