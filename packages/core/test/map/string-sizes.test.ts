// `str` fields of every awkward size (not a multiple of 4, at and past the generated writer's
// packed short-string limit of 32 bytes): the generated and interpreted converters write the same
// bytes — the string, then zeros to the end of the field, whatever was there before — read the
// same string back, and refuse the same inputs with the same code, leaving the bytes unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, view, type StructSyncError } from '@structsync/core';

const SIZES = [1, 2, 3, 4, 5, 7, 9, 13, 16, 17, 31, 32, 33, 40];

function structOf(size: number): new () => { before: number; name: string; after: number } {
  class Named {
    before!: number;
    name!: string;
    after!: number;
  }
  Object.defineProperty(Named, 'name', { value: `Named${size}` });
  Field({ type: 'u8' })(Named.prototype, 'before');
  Field({ type: 'str', size })(Named.prototype, 'name');
  Field({ type: 'u8' })(Named.prototype, 'after');
  Struct()(Named);
  return Named;
}

// Mostly ASCII (the packed path), with NUL, Latin-1, BMP and astral characters mixed in.
const text = fc.oneof(
  fc.string({ unit: fc.integer({ min: 1, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 45 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', 'é', '€€€', '😀', 'x'.repeat(32), 'y'.repeat(33)),
);

type Outcome = { code: string; unchanged: boolean } | { bytes: number[]; read: unknown };

function write(C: ReturnType<typeof structOf>, codegen: boolean, previous: string, input: string, truncate: boolean): Outcome {
  const buffer = new ArrayBuffer(sizeof(C));
  const v = view(C, buffer, 0, { codegen });
  // Fill the field with 0xff first, then a previous string, so that stale bytes would show.
  new Uint8Array(buffer).fill(0xff);
  try {
    fromMap(v, { before: 1, name: previous, after: 2 }, { truncate: true, codegen });
  } catch {
    // a previous string that cannot be stored leaves the 0xff fill
  }
  const before = Array.from(new Uint8Array(buffer));
  try {
    fromMap(v, { before: 3, name: input, after: 4 }, { truncate, codegen });
  } catch (error) {
    return { code: (error as StructSyncError).code, unchanged: Array.from(new Uint8Array(buffer)).join() === before.join() };
  }
  return { bytes: Array.from(new Uint8Array(buffer)), read: toMap(v, { codegen }) };
}

describe('str fields of every size: generated and interpreted converters agree', () => {
  for (const size of SIZES) {
    const C = structOf(size);
    it(`size ${size}`, () => {
      fc.assert(
        fc.property(text, text, fc.boolean(), (previous, input, truncate) => {
          const generated = write(C, true, previous, input, truncate);
          const interpreted = write(C, false, previous, input, truncate);
          expect(generated).toEqual(interpreted);
          if ('code' in generated) expect(generated.unchanged).toBe(true);
          else {
            const { name } = generated.read as { name: string };
            const stored = new TextEncoder().encode(name).length;
            // Every byte after the string up to the end of the field is zero.
            expect(generated.bytes.slice(1 + stored, 1 + size).every((b) => b === 0)).toBe(true);
            if (!truncate) expect(name).toBe(input);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('a NUL, DEL or non-ASCII character at any position of a short string takes the same path as the interpreter', () => {
    // The generated writer checks each character of a short string in an unrolled test of its own:
    // every position must refuse a NUL and send anything past 127 to the UTF-8 path.
    for (const size of [5, 16, 32]) {
      const C = structOf(size);
      for (let n = 1; n <= size; n++) {
        for (let k = 0; k < n; k++) {
          for (const special of ['\u0000', '\u007f', '\u0080', 'é', '\ud800', '€']) {
            const input = 'a'.repeat(k) + special + 'b'.repeat(n - k - 1);
            const generated = write(C, true, 'zz', input, false);
            expect(generated, `${size}/${n}/${k}/${special.charCodeAt(0)}`).toEqual(write(C, false, 'zz', input, false));
            if (special === '\u0000') expect(generated).toEqual({ code: 'INVALID_STRING', unchanged: true });
          }
        }
      }
    }
  });

  it('a short ASCII string replaces a longer one without leaving its tail', () => {
    const C = structOf(16);
    const v = fromMap(view(C, new ArrayBuffer(sizeof(C)), 0), { before: 0, name: 'abcdefghijklmnop', after: 0 });
    fromMap(v, { before: 0, name: 'xyz', after: 0 });
    expect(v.name).toBe('xyz');
    expect(toMap(v)).toEqual({ before: 0, name: 'xyz', after: 0 });
  });
});
