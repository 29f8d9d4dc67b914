// Regression test (found in review): util.inspect printed every unusable view that was not
// released as "<detached>", including a view past the end of a shrunk resizable buffer and a
// records() cursor given a bad index, whose buffers are not detached at all.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPool, Field, records, sizeof, Struct, view } from '@structsync/core';

@Struct()
class Dot {
  @Field({ type: 'i32' }) x!: number;
}

describe.each([true, false])('inspect_names_the_fault (codegen %s)', (codegen) => {
  it('says out of bounds for a view past a shrunk buffer and for a cursor on no record', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    const buffer = new Resizable(8, { maxByteLength: 16 });
    const dot = view(Dot, buffer, 4, { codegen });
    buffer.resize(4);
    expect(inspect(dot)).toBe('Dot <out of bounds>');
    expect(inspect(records(Dot, new ArrayBuffer(sizeof(Dot) * 2), { codegen }).at(-1))).toBe('Dot <out of bounds>');
  });

  it('still says released and detached for those faults', () => {
    const pool = createPool(Dot, { capacity: 1, codegen });
    const slot = pool.acquire();
    pool.release(slot);
    expect(inspect(slot)).toBe('Dot <released>');
    const buffer = new ArrayBuffer(8);
    const dot = view(Dot, buffer, 0, { codegen });
    structuredClone(buffer, { transfer: [buffer] });
    expect(inspect(dot)).toBe('Dot <detached>');
  });
});
