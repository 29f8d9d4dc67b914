// Property-based round trips map → view → map for every field type, boundaries included, on both
// converters; and agreement of the generated and interpreted converters on arbitrary (mostly
// bad) input: the same error, or the same bytes and the same output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromMap, sizeof, toMap, view, type StructSyncError } from '@structsync/core';
import { Account, validAccount } from '../support/map-structs.js';
import { utf8Length } from '../../src/utf8.js';
import { overflowsF32 } from '../../src/view/field-codec.js';

const str8 = fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !s.includes('\u0000') && utf8Length(s) >= 0 && utf8Length(s) <= 8);
const i = (min: number, max: number): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(min, max, 0), fc.integer({ min, max }));
const spot = fc.record({ zip: i(0, 65535), city: str8 });
const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.string({ unit: 'binary', maxLength: 16 }).filter((s) => !s.includes('\u0000') && utf8Length(s) <= 16),
  fc.record({ a: fc.integer({ min: -99, max: 99 }), b: fc.constantFrom('x', 'é') }).map((o) => ({ a: o.a })),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 5 }),
);

const account = fc.record({
  id: fc.oneof(fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
  small: i(-128, 127),
  byte: i(0, 255),
  short: i(-32768, 32767),
  word: i(0, 65535),
  count: i(-(2 ** 31), 2 ** 31 - 1),
  total: i(0, 2 ** 32 - 1),
  big: fc.oneof(fc.constantFrom(0n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
  safe: fc.oneof(fc.constantFrom(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), fc.maxSafeInteger()),
  // Every double an f32 can hold (finite ones past its range are refused, not stored as Infinity).
  ratio: fc.oneof(fc.constantFrom(NaN, -0, Infinity, -Infinity, 0.1, 3.4028235e38, 3.4028235677973362e38, 1e-45), fc.double().filter((d) => !overflowsF32(d))),
  score: fc.oneof(fc.constantFrom(NaN, -0, -Infinity, Number.MIN_VALUE), fc.double()),
  ok: fc.boolean(),
  name: fc.oneof(fc.constantFrom('', '😀😀', 'éé€', 'abcdefgh'), str8),
  raw: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  points: fc.array(i(-32768, 32767), { minLength: 3, maxLength: 3 }),
  extra: anyValue,
  home: spot,
  spots: fc.array(spot, { minLength: 2, maxLength: 2 }),
});

/** What toMap returns for an accepted input: f32 rounded, bytes as a plain array. */
function expected(input: Record<string, unknown>): Record<string, unknown> {
  return { ...input, ratio: Math.fround(input.ratio as number), raw: Array.from(input.raw as Uint8Array) };
}

const fresh = (codegen: boolean): Account => view(Account, new ArrayBuffer(sizeof(Account)), 0, { codegen });

describe.each([true, false])('map → view → map (codegen %s)', (codegen) => {
  it('round-trips every field type, boundaries included', () => {
    fc.assert(
      fc.property(account, (input) => {
        const v = fromMap(fresh(codegen), input, { tag: 'json' });
        expect(toMap(v, { tag: 'json' })).toEqual(expected(input));
      }),
    );
  });

  it('takes safe-integer numbers for 64-bit fields and gives bigints back', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (id, big) => {
        const v = fromMap(fresh(codegen), { ...validAccount(), id, big }, { tag: 'json' });
        const out = toMap(v, { tag: 'json' });
        expect([out.id, out.big]).toEqual([BigInt(id), BigInt(big)]);
      }),
    );
  });

  it('keeps the boundaries exactly', () => {
    const v = fromMap(fresh(codegen), { ...validAccount(), small: -128, byte: 255, count: -(2 ** 31), big: 2n ** 64n - 1n, ratio: 1.1, score: -0, name: '😀😀' }, { tag: 'json' });
    const out = toMap(v, { tag: 'json' });
    expect(out).toMatchObject({ small: -128, byte: 255, count: -(2 ** 31), big: 18446744073709551615n, ratio: Math.fround(1.1), name: '😀😀' });
    expect(Object.is(out.score, -0)).toBe(true);
    const nan = toMap(fromMap(fresh(codegen), { ...validAccount(), ratio: NaN, score: NaN, count: -0 }, { tag: 'json' }), { tag: 'json' });
    expect([nan.ratio, nan.score, Object.is(nan.count, 0)]).toEqual([NaN, NaN, true]);
  });
});

type Outcome = { error: string } | { bytes: number[]; map: string };

describe('generated and interpreted converters agree', () => {
  // Each field valid or anything at all; keys sometimes dropped or added.
  const loose = fc.record(
    Object.fromEntries(Object.entries(validAccount()).map(([key, value]) => [key, fc.oneof({ arbitrary: fc.constant(value), weight: 8 }, { arbitrary: fc.anything({ withBigInt: true, withTypedArray: true }), weight: 1 })])),
    { requiredKeys: [] },
  );
  const input = fc.tuple(loose, fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.anything(), { maxKeys: 2 }), { nil: undefined }));
  const options = fc.record({ partial: fc.boolean(), unknown: fc.constantFrom('error', 'strip'), truncate: fc.boolean() });

  it('on fromMap: same error code and message, or same bytes and the same toMap output', () => {
    let accepted = 0;
    fc.assert(
      fc.property(input, options, ([map, extra], opts) => {
        const full = extra === undefined ? map : { ...extra, ...map };
        const all = { tag: 'json', ...opts };
        const generated = run(true, full, all);
        expect(generated).toEqual(run(false, full, all));
        if ('bytes' in generated) accepted++;
      }),
      { numRuns: 500 },
    );
    // The property must see accepted inputs too, not only refusals.
    expect(accepted).toBeGreaterThan(10);
  });
});

function run(codegen: boolean, input: unknown, options: Record<string, unknown>): Outcome {
  const buffer = new ArrayBuffer(sizeof(Account));
  const v = view(Account, buffer, 0, { codegen });
  fromMap(v, validAccount(), { tag: 'json' });
  try {
    fromMap(v, input, { ...options, codegen });
  } catch (error) {
    return { error: `${(error as StructSyncError).code} ${(error as Error).message}` };
  }
  const map = JSON.stringify(toMap(v, { tag: 'json', codegen }), (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  return { bytes: Array.from(new Uint8Array(buffer)), map };
}

/**
 * A copy of `value` in which plain objects (nested ones and array elements too) have some keys as
 * getters (chosen by `flags`, in turn): each logs its path, answers the value on the first read and
 * something else afterwards, so a second read or a read in another order shows in the outcome.
 */
function withGetters(value: unknown, flags: readonly boolean[], log: string[], path = '', counter = { n: 0 }): unknown {
  if (Array.isArray(value)) return value.map((e, i) => withGetters(e, flags, log, `${path}${i}.`, counter));
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out = {};
  for (const key of Object.keys(value)) {
    const inner = withGetters((value as Record<string, unknown>)[key], flags, log, `${path}${key}.`, counter);
    if (flags[counter.n++ % flags.length]) {
      let reads = 0;
      Object.defineProperty(out, key, { enumerable: true, configurable: true, get: () => (log.push(`${path}${key}`), reads++ === 0 ? inner : 'read twice') });
    } else Object.defineProperty(out, key, { value: inner, enumerable: true, configurable: true, writable: true });
  }
  return out;
}

describe('generated and interpreted converters agree on inputs with getters', () => {
  const loose = fc.record(
    Object.fromEntries(Object.entries(validAccount()).map(([key, value]) => [key, fc.oneof({ arbitrary: fc.constant(value), weight: 8 }, { arbitrary: fc.anything({ withBigInt: true, withTypedArray: true }), weight: 1 })])),
    { requiredKeys: [] },
  );
  const options = fc.record({ partial: fc.boolean(), unknown: fc.constantFrom('error', 'strip'), truncate: fc.boolean(), validate: fc.boolean(), allErrors: fc.boolean() });

  it('read the same values in the same order, once each, with the same outcome', () => {
    let accepted = 0;
    fc.assert(
      fc.property(loose, options, fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), fc.boolean(), (map, opts, flags, shuffle) => {
        // Keys in another order than the fields' sometimes: the read order must not follow them.
        const keyed = shuffle ? Object.fromEntries(Object.entries(map).reverse()) : map;
        const all = { tag: 'json', ...opts };
        const outcomes = [true, false].map((codegen) => {
          const log: string[] = [];
          return { outcome: run(codegen, withGetters(keyed, flags, log), all), log };
        });
        expect(outcomes[0]).toEqual(outcomes[1]);
        expect(new Set(outcomes[0]!.log).size).toBe(outcomes[0]!.log.length);
        if ('bytes' in outcomes[0]!.outcome) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(10);
  });
});
