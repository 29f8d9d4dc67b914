// Regression (issue 12): with `validate: true`, the elements of an array held by an `any` field
// were read twice — once by the rules, once by the write — so a getter could pass the rules and
// store another value. Now the value is copied first (its JSON text, taken once): the rules judge
// that copy, and exactly that is written.
import 'reflect-metadata';
import { Max } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, view } from '@structsync/core';

@Struct()
class Note {
  @Max(10, { each: true })
  @Field({ type: 'any', size: 64, tag: 'json:"scores"' })
  scores!: unknown;
}

/** An array whose element 0 answers `first` on the first read and `later` after that. */
function shifty(first: number, later: number): { array: unknown[]; reads: () => number } {
  let reads = 0;
  const array: unknown[] = [0, 2];
  Object.defineProperty(array, '0', { enumerable: true, configurable: true, get: () => (++reads === 1 ? first : later) });
  return { array, reads: () => reads };
}

describe.each([true, false])('validate_reads_any_array_elements_twice (codegen %s)', (codegen) => {
  it('writes the value the rules judged, reading each element once', () => {
    const note = view(Note, new ArrayBuffer(sizeof(Note)), 0, { codegen });
    const { array, reads } = shifty(1, 1000);
    fromMap(note, { scores: array }, { tag: 'json', validate: true });
    expect(toMap(note, { tag: 'json' })).toEqual({ scores: [1, 2] });
    expect(reads()).toBe(1);
  });

  it('refuses on the value read, whatever a second read would say, writing nothing', () => {
    const note = fromMap(view(Note, new ArrayBuffer(sizeof(Note)), 0, { codegen }), { scores: [3] }, { tag: 'json' });
    const { array, reads } = shifty(1000, 1);
    expect(() => fromMap(note, { scores: array }, { tag: 'json', validate: true })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'scores' }));
    expect(toMap(note, { tag: 'json' })).toEqual({ scores: [3] });
    expect(reads()).toBe(1);
  });
});
