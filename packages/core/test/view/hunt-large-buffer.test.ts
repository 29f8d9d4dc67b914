// Regression tests (found in review): a view past byte 2^31 of a buffer (Node allows ArrayBuffers
// up to 4 GiB of typed-array reach) broke toMap, fromMap and JSON.stringify with a raw RangeError,
// because the record offset was passed as an int32; and view() over a buffer past 4 GiB, which
// no typed array can span, was a raw RangeError instead of a MemoryError.
import { describe, expect, it } from 'vitest';
import { Field, fromMap, MemoryError, records, sizeof, Struct, toMap, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Far {
  @Field({ type: 'i32', tag: 'json:x' }) x!: number;
  @Field({ type: 'str', size: 8, tag: 'json:name' }) name!: string;
}

// Zero pages: the operating system commits only the pages a test touches.
const large = new ArrayBuffer(2 ** 31 + 64);
const farOffset = 2 ** 31 + 16;

describe.each([true, false])('views_past_2_gib (codegen %s)', (codegen) => {
  it('toMap, fromMap and JSON.stringify reach a record past byte 2^31, and only it', () => {
    const near = view(Far, large, 16, { codegen });
    near.x = 111;
    near.name = 'near';
    const far = view(Far, large, farOffset, { codegen });
    far.x = 5;
    far.name = 'far';
    expect(toMap(far, { tag: 'json', codegen })).toEqual({ x: 5, name: 'far' });
    expect(JSON.stringify(far)).toBe('{"x":5,"name":"far"}');
    fromMap(far, { x: 7, name: 'yo' }, { tag: 'json', codegen });
    expect([far.x, far.name]).toEqual([7, 'yo']);
    expect(toMap(near, { tag: 'json' })).toEqual({ x: 111, name: 'near' });
  });

  it('refuses a bad value past byte 2^31 with its code, bytes unchanged', () => {
    const far = view(Far, large, farOffset, { codegen });
    far.x = 5;
    const bytes = new Uint8Array(large, farOffset, sizeof(Far));
    const before = bytes.slice();
    expect(codeOf(() => fromMap(far, { x: 1.5, name: 'z' }, { tag: 'json', codegen }))).toBe('NOT_INTEGER');
    expect(bytes).toEqual(before);
  });

  it('records reach the last record of a buffer past 2^31', () => {
    const list = records(Far, new Uint8Array(large, 2 ** 31), { codegen });
    const last = list.at(list.length - 1);
    last.x = 9;
    expect(toMap(last, { tag: 'json', codegen }).x).toBe(9);
    // The write landed in the buffer's last record, not wherever a wrapped offset points.
    expect(new DataView(large).getInt32(2 ** 31 + (list.length - 1) * sizeof(Far), true)).toBe(9);
  });
});

describe('buffers_past_4_gib', () => {
  let huge: ArrayBuffer | undefined;
  try {
    huge = new ArrayBuffer(2 ** 32 + 8);
  } catch {
    huge = undefined; // an engine that cannot make one has nothing to refuse
  }
  it.runIf(huge !== undefined)('view() refuses a buffer no typed array can span with a MemoryError', () => {
    expect(codeOf(() => view(Far, huge!, 0), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => records(Far, huge!), MemoryError)).toBe('INVALID_INPUT');
  });
});
