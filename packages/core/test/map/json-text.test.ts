// JSON text as Go writes and reads it: f32 values at their shortest (Go's 0.1), and the `,string`
// option (written as a JSON string, taken from one by fromMap). test/go-oracle.test.ts checks the
// same against json.Marshal on random structs and tags.
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, ValueError, view } from '@structsync/core';
import { shortestF32 } from '../../src/map/json-text.js';
import { codeOf } from '../support/error-code.js';

@Struct()
class Reading {
  @Field({ type: 'f32', tag: 'json:"t"' }) t!: number;
  @Field({ type: 'f32', length: 2, tag: 'json:"pair"' }) pair!: Float32Array;
  @Field({ type: 'i32', tag: 'json:"n,string"' }) n!: number;
  @Field({ type: 'bool', tag: 'json:"ok,string"' }) ok!: boolean;
  @Field({ type: 'f32', tag: 'json:"g,string"' }) g!: number;
  @Field({ type: 'i64', tag: 'json:"id,string"' }) id!: bigint;
  @Field({ type: 'str', size: 8, tag: 'json:"s,string"' }) s!: string;
  @Field({ type: 'u8', length: 2, tag: 'json:"raw,string"' }) raw!: Uint8Array;
}

describe('shortestF32', () => {
  it.each([
    [0.1, 0.1],
    [494100.625, 494100.62], // an exact tie: to even, as Go's strconv
    [16777216, 16777216],
    [3.4028234663852886e38, 3.4028235e38],
    [1e-45, 1e-45],
    [-2.5, -2.5],
  ])('%s prints as %s', (value, shortest) => {
    expect(shortestF32(Math.fround(value))).toBe(shortest);
    expect(Math.fround(shortest)).toBe(Math.fround(value));
  });
});

describe.each([true, false])('JSON text as Go writes it (codegen %s)', (codegen) => {
  const fresh = () => view(Reading, new ArrayBuffer(sizeof(Reading)), 0, { codegen });

  it('JSON.stringify: f32 at its shortest; ,string quotes numbers, booleans and strings (not arrays)', () => {
    const r = fresh();
    fromMap(r, { t: 0.1, pair: [0.2, 1.5], n: -5, ok: true, g: 0.3, id: 7n, s: 'a"b', raw: [1, 2] }, { tag: 'json', codegen });
    expect(JSON.stringify(r)).toBe('{"t":0.1,"pair":[0.2,1.5],"n":"-5","ok":"true","g":"0.3","id":"7","s":"\\"a\\\\\\"b\\"","raw":[1,2]}');
    // toMap is a map, not JSON: the values as they are.
    expect(toMap(r, { tag: 'json' })).toMatchObject({ t: Math.fround(0.1), n: -5, ok: true, s: 'a"b' });
  });

  it('fromMap takes what JSON output holds (and the plain values), so JSON reads back', () => {
    const r = fresh();
    fromMap(r, { t: 0.1, pair: [0.2, 1.5], n: 9, ok: false, g: 2, id: 3n, s: 'x', raw: [0, 0] }, { tag: 'json', codegen });
    const back = fresh();
    fromMap(back, JSON.parse(JSON.stringify(r)), { tag: 'json', codegen });
    expect(toMap(back, { tag: 'json' })).toEqual(toMap(r, { tag: 'json' }));
    fromMap(back, { n: '12', ok: 'true', g: '1e3', id: '-4', s: '"q"' }, { tag: 'json', partial: true, codegen });
    expect([back.n, back.ok, back.g, back.id, back.s]).toEqual([12, true, 1000, -4n, 'q']);
  });

  it('a string that is no JSON text of the field is refused, nothing written', () => {
    const r = fresh();
    const bytes = new Uint8Array(r.raw.buffer);
    const before = bytes.slice();
    expect(codeOf(() => fromMap(r, { n: '5x' }, { tag: 'json', partial: true, codegen }), ValueError)).toBe('TYPE_MISMATCH');
    expect(codeOf(() => fromMap(r, { ok: 'yes' }, { tag: 'json', partial: true, codegen }), ValueError)).toBe('TYPE_MISMATCH');
    expect(codeOf(() => fromMap(r, { n: '1.5' }, { tag: 'json', partial: true, codegen }), ValueError)).toBe('NOT_INTEGER');
    expect(codeOf(() => fromMap(r, { id: '1.5' }, { tag: 'json', partial: true, codegen }), ValueError)).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
  });
});
