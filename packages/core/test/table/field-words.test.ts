// A commit writes exactly the fields a transaction changed: the generated per-layout diff must find
// the same fields as the generic word scan, for any change, on layouts whose fields share words
// (packed, bytes of odd sizes) as well as word-aligned ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Field, layoutOf, Struct, type StructClass } from '@structsync/core';
import { FieldSet, fieldWordsOf, scanDiff } from '../../src/table/field-words.js';

@Struct()
class Aligned {
  @Field({ type: 'i64' }) id!: bigint;
  @Field({ type: 'str', size: 16 }) name!: string;
  @Field({ type: 'i32' }) age!: number;
}

@Struct({ packed: true })
class Shared {
  @Field({ type: 'u8' }) a!: number;
  @Field({ type: 'u16' }) b!: number;
  @Field({ type: 'bytes', size: 3 }) c!: Uint8Array;
  @Field({ type: 'u8' }) d!: number;
  @Field({ type: 'i32' }) e!: number;
  @Field({ type: 'bool' }) f!: boolean;
}

// A field longer than the generated test unrolls (16 words), between fields sharing its words.
@Struct({ packed: true })
class Long {
  @Field({ type: 'u8' }) a!: number;
  @Field({ type: 'bytes', size: 101 }) blob!: Uint8Array;
  @Field({ type: 'u16' }) b!: number;
}

/** The fields owning a changed byte, from the layout alone: what both diffs must find. */
function changedByBytes(type: StructClass, base: Int32Array, work: Int32Array): number[] {
  const before = new Uint8Array(base.buffer);
  const after = new Uint8Array(work.buffer);
  return layoutOf(type)
    .fields.filter((f) => before.subarray(f.offset, f.offset + f.size).some((byte, i) => byte !== after[f.offset + i]))
    .map((f) => f.index);
}

describe('changed fields: generated diff = word scan', () => {
  for (const type of [Aligned, Shared, Long]) {
    const words = fieldWordsOf(layoutOf(type));
    it(`${type.name}: any bytes changed anywhere`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: words.wordCount * 4, maxLength: words.wordCount * 4 }), fc.array(fc.nat(words.wordCount * 4 - 1), { maxLength: 6 }), (bytes, flips) => {
          const base = new Int32Array(new Uint8Array(bytes).buffer);
          const work = base.slice();
          const workBytes = new Uint8Array(work.buffer);
          for (const at of flips) workBytes[at] = (workBytes[at]! + 1) & 255;
          const generated = new FieldSet(words.count);
          const scanned = new FieldSet(words.count);
          expect(words.diff(work, base, generated)).toBe(scanDiff(words, work, base, scanned));
          expect(Array.from(generated.bits)).toEqual(Array.from(scanned.bits));
          expect(Array.from(generated.list.subarray(0, generated.size)).sort((x, y) => x - y)).toEqual(changedByBytes(type, base, work));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('a change in one byte of a word two fields share marks only the field that owns it', () => {
    const words = fieldWordsOf(layoutOf(Shared));
    const base = new Int32Array(words.wordCount);
    const work = base.slice();
    new Uint8Array(work.buffer)[1] = 7; // byte 1: field b (u16 at 1–2), in word 0 with a, b and c
    const out = new FieldSet(words.count);
    expect(words.diff(work, base, out)).toBe(1);
    expect(Array.from(out.list.subarray(0, out.size))).toEqual([1]);
  });
});
