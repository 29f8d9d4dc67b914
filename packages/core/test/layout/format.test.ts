// formatLayout: the pahole-style table (offsets, sizes, types, tags, holes, tail padding) and the
// size-minimising field order, checked against layouts actually built in that order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestFieldOrder, Field, formatLayout, layoutOf, sizeof, Struct, type FieldSpec, type StructClass } from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';
import { Address, Example, User } from '../support/seed-structs.js';

@Struct()
class Mixed {
  @Field({ type: 'u8', tag: 'json:"-" db:",omitempty"' }) flags!: number;
  @Field({ type: Address }) home!: Address;
  @Field({ type: Address, length: 3 }) previous!: Address[];
  @Field({ type: 'f64', length: 2 }) position!: Float64Array;
  @Field({ type: 'u64', as: 'number' }) visits!: number;
  @Field({ type: 'any', size: 20 }) extra!: unknown;
}

@Struct({ packed: true })
class PackedExample {
  @Field({ type: 'bool' }) a!: boolean;
  @Field({ type: 'i64' }) b!: bigint;
  @Field({ type: 'i32' }) c!: number;
}

describe('formatLayout', () => {
  it('prints the seed User as pahole would: 0/8/24, 4 bytes of tail padding, size 32', () => {
    expect(formatLayout(User)).toBe(
      [
        'struct User {     /* offset  size */',
        '    i64     id;   /*      0     8 */  json:"id" db:"user_id"',
        '    str[16] name; /*      8    16 */  json:"name"',
        '    i32     age;  /*     24     4 */  json:"age,omitempty"',
        '    /* XXX 4 bytes padding at the end */',
        '    /* size: 32, align: 8, members: 3, holes: 0, sum holes: 0, padding: 4, total padding: 4 */',
        '};',
        '/* field order is already optimal */',
      ].join('\n'),
    );
  });

  it('shows each hole, the tail padding, the totals and the better order', () => {
    const lines = formatLayout(Example).split('\n');
    expect(lines).toEqual([
      'struct Example { /* offset  size */',
      '    bool a;      /*      0     1 */',
      '    /* XXX 7 bytes hole, try to pack */',
      '    i64  b;      /*      8     8 */',
      '    i32  c;      /*     16     4 */',
      '    /* XXX 4 bytes padding at the end */',
      '    /* size: 24, align: 8, members: 3, holes: 1, sum holes: 7, padding: 4, total padding: 11 */',
      '};',
      '/* better order: b, c, a -> size 16 (saves 8 bytes) */',
    ]);
  });

  it('labels arrays, nested structs, as-number fields and tags', () => {
    expect(formatLayout(Mixed).split('\n')).toEqual([
      'struct Mixed {            /* offset  size */',
      '    u8          flags;    /*      0     1 */  json:"-" db:",omitempty"',
      '    /* XXX 1 byte hole, try to pack */',
      '    Address     home;     /*      2     8 */',
      '    Address[3]  previous; /*     10    24 */',
      '    /* XXX 6 bytes hole, try to pack */',
      '    f64[2]      position; /*     40    16 */',
      '    u64(number) visits;   /*     56     8 */',
      '    any[20]     extra;    /*     64    20 */',
      '    /* XXX 4 bytes padding at the end */',
      '    /* size: 88, align: 8, members: 6, holes: 2, sum holes: 7, padding: 4, total padding: 11 */',
      '};',
      '/* better order: position, visits, extra, home, previous, flags -> size 80 (saves 8 bytes) */',
    ]);
  });

  it('keeps the offset column aligned under a long struct name', () => {
    const lines = formatLayout(Example).split('\n');
    const column = lines[0]!.indexOf('/*');
    expect(lines.filter((l) => /^ {4}\w/.test(l)).map((l) => l.indexOf('/*'))).toEqual([column, column, column]);
  });

  it('shows a packed struct without holes and without a suggestion', () => {
    const text = formatLayout(PackedExample);
    expect(text).toContain('    /* size: 13, align: 1, packed, members: 3, holes: 0, sum holes: 0, padding: 0, total padding: 0 */');
    expect(text).not.toContain('XXX');
    expect(text).not.toContain('order');
  });

  it('leaves the suggestion out when asked to', () => {
    expect(formatLayout(Example, { suggest: false })).not.toContain('better order');
    expect(formatLayout(Example, { suggest: false }).endsWith('};')).toBe(true);
  });
});

// ---- bestFieldOrder against brute force, on structs rebuilt in the suggested order ----

const build = (name: string, fields: readonly (readonly [string, FieldSpec])[]): StructClass => defineStruct(name, fields);

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function smallestByBruteForce(sizes: readonly { size: number; align: number }[], structAlign: number): number {
  let best = Infinity;
  const permute = (rest: typeof sizes, end: number): void => {
    if (rest.length === 0) best = Math.min(best, roundUp(end, structAlign));
    rest.forEach((f, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], roundUp(end, f.align) + f.size));
  };
  permute(sizes, 0);
  return best;
}

const fieldSpec: fc.Arbitrary<FieldSpec> = fc.oneof(
  fc.record({ type: fc.constantFrom('u8' as const, 'i16' as const, 'u32' as const, 'f64' as const, 'bool' as const) }),
  fc.record({ type: fc.constantFrom('u8' as const, 'i16' as const, 'i32' as const), length: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ type: fc.constant('any' as const), size: fc.integer({ min: 16, max: 28 }) }),
  fc.record({ type: fc.constant('str' as const), size: fc.integer({ min: 1, max: 11 }) }),
  fc.record({ type: fc.constant('u8' as const), align: fc.constantFrom(2, 4, 16) }),
);

describe('bestFieldOrder', () => {
  it('puts wider fields first when that removes every hole', () => {
    expect(bestFieldOrder(layoutOf(Example)).map((f) => f.name)).toEqual(['b', 'c', 'a']);
  });

  it('finds the smallest order where sorting by alignment does not (short any fields)', () => {
    const Short = build('ShortAny', [
      ['a', { type: 'any', size: 17 }],
      ['b', { type: 'any', size: 17 }],
      ['c', { type: 'u8', length: 7 }],
      ['d', { type: 'u8', length: 7 }],
    ]);
    expect(sizeof(Short)).toBe(56);
    expect(bestFieldOrder(layoutOf(Short)).map((f) => f.name)).toEqual(['a', 'c', 'b', 'd']);
    expect(formatLayout(Short)).toContain('better order: a, c, b, d -> size 48 (saves 8 bytes)');
  });

  it('is as small as every permutation, and a struct declared in that order has that size', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(fieldSpec, { minLength: 1, maxLength: 6 }), (specs) => {
        const fields = specs.map((spec, i) => [`f${i}`, spec] as const);
        const layout = layoutOf(build(`Random${run}`, fields));
        const order = bestFieldOrder(layout);
        expect([...order].sort((x, y) => x.index - y.index)).toEqual(layout.fields);
        const reordered = build(`Reordered${run++}`, order.map((f) => fields[f.index]!));
        expect(sizeof(reordered)).toBe(smallestByBruteForce(layout.fields, layout.align));
        const text = formatLayout(layout.type);
        if (sizeof(reordered) < layout.size) expect(text).toContain(`-> size ${sizeof(reordered)} (saves ${layout.size - sizeof(reordered)} byte`);
        else expect(text).toContain('field order is already optimal');
      }),
      { numRuns: 300 },
    );
  });
});
