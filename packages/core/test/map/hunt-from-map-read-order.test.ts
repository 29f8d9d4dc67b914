// Regression (issue 12): the generated fromMap read a record's values in field order, the
// interpreted one in the input's key order (all of a record's values before any nested one's), so
// an input whose getters depend on each other gave different bytes with `codegen: false`. Both now
// read each value once in one documented order: the record's own keys are listed (no value read),
// then values in field order, a nested record whole at its field's turn.
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, view } from '@structsync/core';

@Struct()
class Inner {
  @Field({ type: 'u8' }) x!: number;
  @Field({ type: 'u8' }) y!: number;
}

@Struct()
class Outer {
  @Field({ type: 'u8' }) a!: number;
  @Field({ type: Inner }) inner!: Inner;
  @Field({ type: 'u8' }) b!: number;
  @Field({ type: Inner, length: 2 }) pair!: Inner[];
}

/** The input with keys in reverse field order, every value a getter that logs and returns the read count. */
function countingInput(log: string[]): object {
  let reads = 0;
  const leaf = (path: string) => ({ enumerable: true, get: () => (log.push(path), ++reads) });
  const inner = (path: string): object => Object.defineProperties({}, { y: leaf(`${path}.y`), x: leaf(`${path}.x`) });
  const record = (path: string, value: () => unknown) => ({ enumerable: true, get: () => (log.push(path), value()) });
  return Object.defineProperties(
    {},
    {
      pair: record('pair', () => [inner('pair.0'), inner('pair.1')]),
      b: leaf('b'),
      inner: record('inner', () => inner('inner')),
      a: leaf('a'),
    },
  );
}

const ORDER = ['a', 'inner', 'inner.x', 'inner.y', 'b', 'pair', 'pair.0.x', 'pair.0.y', 'pair.1.x', 'pair.1.y'];

describe('generated_and_interpreted_fromMap_read_values_in_different_orders', () => {
  it.each([true, false])('codegen %s reads each value once, in field order, depth first', (codegen) => {
    const log: string[] = [];
    const v = fromMap(view(Outer, new ArrayBuffer(sizeof(Outer)), 0, { codegen }), countingInput(log));
    expect(log).toEqual(ORDER);
    // The n-th number read holds n: the bytes follow from the order.
    expect(toMap(v)).toEqual({ a: 1, inner: { x: 2, y: 3 }, b: 4, pair: [{ x: 5, y: 6 }, { x: 7, y: 8 }] });
  });

  it('gives the same bytes on both converters', () => {
    const bytes = [true, false].map((codegen) => {
      const buffer = new ArrayBuffer(sizeof(Outer));
      fromMap(view(Outer, buffer, 0, { codegen }), countingInput([]));
      return new Uint8Array(buffer);
    });
    expect(bytes[0]).toEqual(bytes[1]);
  });
});
