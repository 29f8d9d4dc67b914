// Regression tests (found in review): checkFingerprint, the one header API that took a layout
// instead of a class, threw a raw TypeError when given the class (as every other call takes it) —
// even over a good header — and a raw TypeError for bytes that are not a Uint8Array; a fractional
// offset was OUT_OF_BOUNDS instead of INVALID_OFFSET.
import { describe, expect, it } from 'vitest';
import { checkFingerprint, DefinitionError, Field, layoutOf, LayoutMismatchError, MemoryError, Struct, writeFingerprint } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Stamped {
  @Field({ type: 'i64' }) id!: bigint;
}

@Struct()
class Other {
  @Field({ type: 'i32' }) id!: number;
}

describe('check_fingerprint_takes_the_class', () => {
  const stamped = (): Uint8Array => {
    const buffer = new ArrayBuffer(64);
    writeFingerprint(Stamped, buffer, 0);
    return new Uint8Array(buffer);
  };

  it('accepts the class as well as its layout over a good header', () => {
    const bytes = stamped();
    expect(() => checkFingerprint(Stamped, bytes, 0)).not.toThrow();
    expect(() => checkFingerprint(layoutOf(Stamped), bytes, 0)).not.toThrow();
    expect(codeOf(() => checkFingerprint(Other, bytes, 0), LayoutMismatchError)).toBe('LAYOUT_MISMATCH');
  });

  it('refuses what is neither a struct class nor a layout', () => {
    const bytes = stamped();
    expect(codeOf(() => checkFingerprint({} as never, bytes, 0), DefinitionError)).toBe('NOT_A_STRUCT');
    expect(codeOf(() => checkFingerprint({ ...layoutOf(Stamped) } as never, bytes, 0), DefinitionError)).toBe('NOT_A_STRUCT');
  });

  it('refuses bytes that are not a Uint8Array, and a bad offset, with codes', () => {
    const bytes = stamped();
    const before = bytes.slice();
    expect(codeOf(() => checkFingerprint(Stamped, null as never, 0), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => checkFingerprint(Stamped, Array.from(bytes) as never, 0), MemoryError)).toBe('INVALID_INPUT');
    expect(codeOf(() => checkFingerprint(Stamped, bytes, 1.5), MemoryError)).toBe('INVALID_OFFSET');
    expect(codeOf(() => checkFingerprint(Stamped, bytes, -1), MemoryError)).toBe('INVALID_OFFSET');
    expect(codeOf(() => checkFingerprint(Stamped, bytes, 60), MemoryError)).toBe('OUT_OF_BOUNDS');
    expect(bytes).toEqual(before);
  });
});
