// Regression tests (found in review): values whose very inspection throws — a revoked Proxy
// (Array.isArray throws on one), a Proxy whose traps throw — surfaced as the engine's raw
// TypeError from fromMap with validate: true, from toMap's `into` check, and from array, bytes and
// any setters. fromMap without validate already reported them as INVALID_INPUT with the cause.
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, StructSyncError, toMap, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Holder {
  @Field({ type: 'i32', tag: 'json:n' }) n!: number;
  @Field({ type: 'str', size: 4, tag: 'json:s' }) s!: string;
  @Field({ type: 'i64', tag: 'json:big' }) big!: bigint;
  @Field({ type: 'bool', tag: 'json:flag' }) flag!: boolean;
  @Field({ type: 'i32', length: 2, tag: 'json:pair' }) pair!: Int32Array;
  @Field({ type: 'bytes', size: 4, tag: 'json:raw' }) raw!: Uint8Array;
  @Field({ type: 'any', size: 24, tag: 'json:extra' }) extra!: unknown;
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const trap = new Error('trap');
function trapping(): object {
  return new Proxy([], {
    get() {
      throw trap;
    },
    getPrototypeOf() {
      throw trap;
    },
  });
}

describe.each([true, false])('throwing_inputs_are_struct_sync_errors (codegen %s)', (codegen) => {
  const setup = (): { holder: Holder; bytes: Uint8Array; before: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Holder));
    const holder = view(Holder, buffer, 0, { codegen });
    holder.n = 5;
    const bytes = new Uint8Array(buffer);
    return { holder, bytes, before: bytes.slice() };
  };

  it('fromMap with validate: true given a revoked Proxy is INVALID_INPUT, bytes unchanged', () => {
    const { holder, bytes, before } = setup();
    expect(codeOf(() => fromMap(holder, revoked(), { validate: true, codegen }), ValueError)).toBe('INVALID_INPUT');
    expect(bytes).toEqual(before);
  });

  it('toMap with a revoked Proxy as `into` is INVALID_OPTION', () => {
    const { holder, bytes, before } = setup();
    expect(codeOf(() => toMap(holder, { into: revoked() as Record<string, unknown>, codegen }), StructSyncError)).toBe('INVALID_OPTION');
    expect(bytes).toEqual(before);
  });

  it.each([
    ['pair', revoked],
    ['pair', trapping],
    ['raw', revoked],
    ['raw', trapping],
    ['extra', revoked],
    ['extra', trapping],
  ] as const)('the %s setter given a value whose inspection throws (%o) is INVALID_INPUT, bytes unchanged', (key, make) => {
    const { holder, bytes, before } = setup();
    let caught: unknown;
    expect(
      codeOf(() => {
        try {
          (holder as unknown as Record<string, unknown>)[key] = make();
        } catch (error) {
          caught = error;
          throw error;
        }
      }, ValueError),
    ).toBe('INVALID_INPUT');
    expect((caught as ValueError).cause).toBeInstanceOf(Error);
    expect(bytes).toEqual(before);
  });

  it.each(['n', 's', 'big', 'flag'])('the %s setter refuses a revoked Proxy as TYPE_MISMATCH (describing it threw), bytes unchanged', (key) => {
    const { holder, bytes, before } = setup();
    expect(codeOf(() => ((holder as unknown as Record<string, unknown>)[key] = revoked()), ValueError)).toBe('TYPE_MISMATCH');
    expect(codeOf(() => fromMap(holder, { [key]: revoked() }, { tag: 'json', partial: true, codegen }), ValueError)).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
  });
});
