// Regression tests (found in review): view(), records(), repoint(), attach() and writeFingerprint()
// read a buffer's extent through its own properties, so a typed-array subclass or an own property
// lying about byteOffset / byteLength moved a view outside the region it was given (writing bytes
// the caller never handed over); and an object that only looks like an ArrayBuffer (its prototype,
// a Proxy) ended in the engine's raw TypeError. Extents now come from the internal slots.
import { describe, expect, it } from 'vitest';
import { attach, Field, MemoryError, records, repoint, sizeof, Struct, view, writeFingerprint } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Slot {
  @Field({ type: 'i32' }) x!: number;
  @Field({ type: 'u8', length: 4 }) tags!: Uint8Array;
}

/** A Uint8Array that claims to start at byte 0 and to span a megabyte. */
class Boastful extends Uint8Array {
  override get byteOffset(): number {
    return 0;
  }
  override get byteLength(): number {
    return 1_000_000;
  }
}

describe.each([true, false])('buffer_extent_from_internal_slots (codegen %s)', (codegen) => {
  it('a typed array lying about its offset and length: the view stays inside its region', () => {
    const buffer = new ArrayBuffer(64);
    const all = new Uint8Array(buffer);
    const region = new Boastful(buffer, 32, sizeof(Slot));
    const slot = view(Slot, region, 0, { codegen });
    slot.x = 7;
    expect(new Int32Array(buffer)[8]).toBe(7);
    expect(all.subarray(0, 32).every((b) => b === 0)).toBe(true);
    expect(records(Slot, region, { codegen }).length).toBe(1);
  });

  it('a typed array lying about its length: an offset past its real end is OUT_OF_BOUNDS, bytes unchanged', () => {
    const buffer = new ArrayBuffer(64);
    const all = new Uint8Array(buffer);
    const before = all.slice();
    const region = new Boastful(buffer, 32, sizeof(Slot));
    expect(codeOf(() => view(Slot, region, 16, { codegen }), MemoryError)).toBe('OUT_OF_BOUNDS');
    const other = view(Slot, new ArrayBuffer(64), 0, { codegen });
    expect(codeOf(() => repoint(other, 16, region), MemoryError)).toBe('OUT_OF_BOUNDS');
    expect(all).toEqual(before);
  });

  it('own properties lying about a DataView or an ArrayBuffer do not widen the region', () => {
    const buffer = new ArrayBuffer(64);
    const all = new Uint8Array(buffer);
    const before = all.slice();
    const window = Object.defineProperty(new DataView(buffer, 8, sizeof(Slot)), 'byteLength', { value: 64 });
    expect(records(Slot, window, { codegen }).length).toBe(1);
    const short = new ArrayBuffer(16);
    Object.defineProperty(short, 'byteLength', { value: 4096 });
    expect(codeOf(() => view(Slot, short, 64, { codegen }), MemoryError)).toBe('OUT_OF_BOUNDS');
    expect(records(Slot, short, { codegen }).length).toBe(2);
    expect(all).toEqual(before);
  });
});

describe('look_alike_buffers_are_refused', () => {
  it('a typed array re-prototyped as an ArrayBuffer is still taken for what its slots say: a 64-byte Uint8Array', () => {
    const array = Object.setPrototypeOf(new Uint8Array(64), ArrayBuffer.prototype) as Uint8Array;
    expect(records(Slot, array).length).toBe(64 / sizeof(Slot));
  });

  const lookAlikes: readonly (readonly [string, () => unknown])[] = [
    ['an object with ArrayBuffer.prototype', () => Object.create(ArrayBuffer.prototype)],
    ['an object with SharedArrayBuffer.prototype', () => Object.create(SharedArrayBuffer.prototype)],
    ['a Proxy of an ArrayBuffer', () => new Proxy(new ArrayBuffer(64), {})],
  ];
  it.each(lookAlikes)('%s is INVALID_INPUT everywhere a buffer is taken', (_name, make) => {
    const target = new ArrayBuffer(64);
    const existing = view(Slot, target, 0);
    const bytes = new Uint8Array(target);
    const before = bytes.slice();
    expect(codeOf(() => view(Slot, make() as ArrayBuffer), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => records(Slot, make() as ArrayBuffer), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => repoint(existing, 0, make() as ArrayBuffer), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => attach(Slot, make() as ArrayBuffer), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => writeFingerprint(Slot, make() as ArrayBuffer), MemoryError)).toBe('INVALID_INPUT');
    expect(bytes).toEqual(before);
  });
});
