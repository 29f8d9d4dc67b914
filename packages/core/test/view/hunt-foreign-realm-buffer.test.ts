// Regression test (issue 12): view() told buffers apart with `instanceof`, so a genuine
// ArrayBuffer or SharedArrayBuffer made in another realm (a `vm` context, as Jest runs tests) was
// INVALID_INPUT, while attachTable accepted it. Brand checks (the built-in getters) decide now; a
// look-alike that only claims the type is still refused.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { attachTable, Field, MemoryError, records, Struct, toMap, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Point {
  @Field({ type: 'i32', tag: 'json:x' }) x!: number;
  @Field({ type: 'f64', tag: 'json:y' }) y!: number;
}

describe.each([true, false])('view_refuses_buffer_of_another_realm (codegen %s)', (codegen) => {
  for (const kind of ['ArrayBuffer', 'SharedArrayBuffer']) {
    it(`a ${kind} from a vm context: views read and write it`, () => {
      const made = runInNewContext(`new ${kind}(64)`) as object;
      expect(made instanceof ArrayBuffer || made instanceof SharedArrayBuffer).toBe(false);
      const buffer = made as ArrayBuffer;
      const p = view(Point, buffer, 16, { codegen });
      p.x = 7;
      p.y = 0.5;
      expect(toMap(p, { tag: 'json' })).toEqual({ x: 7, y: 0.5 });
      expect(new Int32Array(buffer, 16, 1)[0]).toBe(7);
      expect(records(Point, buffer).length).toBe(4);
    });
  }

  it('a look-alike claiming to be a buffer is still INVALID_INPUT', () => {
    const fake = Object.create(ArrayBuffer.prototype, { [Symbol.toStringTag]: { value: 'ArrayBuffer' } }) as ArrayBuffer;
    expect(codeOf(() => view(Point, fake, 0, { codegen }), MemoryError)).toBe('INVALID_INPUT');
  });
});

describe('attach_table_by_brand', () => {
  it('a look-alike SharedArrayBuffer is NOT_SHARED, not a raw TypeError', () => {
    const fake = { [Symbol.toStringTag]: 'SharedArrayBuffer', byteLength: 4096 } as unknown as SharedArrayBuffer;
    expect(codeOf(() => attachTable(Point, fake), MemoryError)).toBe('NOT_SHARED');
  });
});
