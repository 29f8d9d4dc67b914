// Fingerprint headers: bytes stamped with one layout refuse to be attached under another.
import { describe, expect, it } from 'vitest';
import {
  attach,
  checkFingerprint,
  Field,
  FINGERPRINT_HEADER_BYTES,
  fingerprint,
  fingerprintedSize,
  layoutOf,
  LayoutMismatchError,
  Struct,
  writeFingerprint,
} from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct({ name: 'Account' })
class AccountV1 {
  @Field({ type: 'i64', tag: 'json:id' }) id!: bigint;
  @Field({ type: 'i32' }) balance!: number;
}

@Struct({ name: 'Account' })
class AccountV2 {
  @Field({ type: 'i64', tag: 'json:id' }) id!: bigint;
  @Field({ type: 'i64' }) balance!: bigint;
}

@Struct({ name: 'Account' })
class AccountRetagged {
  @Field({ type: 'i64', tag: 'json:account_id' }) id!: bigint;
  @Field({ type: 'i32' }) balance!: number;
}

@Struct({ align: 32 })
class Wide {
  @Field({ type: 'u8' }) b!: number;
}

describe.each([true, false])('fingerprint headers (codegen %s)', (codegen) => {
  it('attaches the layout that stamped the bytes', () => {
    const buffer = new ArrayBuffer(fingerprintedSize(AccountV1) + 8);
    const recordOffset = writeFingerprint(AccountV1, buffer, 8);
    expect(recordOffset).toBe(8 + FINGERPRINT_HEADER_BYTES);
    const a = attach(AccountV1, buffer, 8, { codegen });
    a.balance = 100;
    expect(a).toBeInstanceOf(AccountV1);
    expect(attach(AccountV1, buffer, 8, { codegen }).balance).toBe(100);
    const header = new DataView(buffer, 8, 16);
    expect(header.getBigUint64(8, true).toString(16).padStart(16, '0')).toBe(fingerprint(AccountV1));
  });

  it('refuses another layout, even under the same name, and bytes with no header', () => {
    const buffer = new ArrayBuffer(64);
    writeFingerprint(AccountV1, buffer);
    const before = new Uint8Array(buffer).slice();
    expect(codeOf(() => attach(AccountV2, buffer, 0, { codegen }))).toBe('LAYOUT_MISMATCH');
    expect(codeOf(() => attach(AccountRetagged, buffer, 0, { codegen }))).toBe('LAYOUT_MISMATCH');
    expect(() => attach(AccountV2, buffer, 0, { codegen })).toThrow(LayoutMismatchError);
    expect(() => attach(AccountV2, buffer, 0, { codegen })).toThrow(
      new RegExp(`^Account: the bytes were written under layout ${fingerprint(AccountV1)}, not Account's ${fingerprint(AccountV2)}`),
    );
    expect(codeOf(() => attach(AccountV1, new ArrayBuffer(64), 0, { codegen }))).toBe('LAYOUT_MISMATCH');
    expect(new Uint8Array(buffer)).toEqual(before);
  });

  it('checks offsets like views do', () => {
    const buffer = new ArrayBuffer(48);
    expect(codeOf(() => writeFingerprint(AccountV1, buffer, 4))).toBe('MISALIGNED');
    expect(codeOf(() => writeFingerprint(AccountV1, buffer, 24))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => writeFingerprint(AccountV1, buffer, -8))).toBe('INVALID_OFFSET');
    expect(codeOf(() => attach(AccountV1, buffer, 1.5))).toBe('INVALID_OFFSET');
    for (const offset of [8n, Symbol('offset'), '8']) {
      expect(codeOf(() => writeFingerprint(AccountV1, buffer, offset as unknown as number))).toBe('INVALID_OFFSET');
      expect(codeOf(() => attach(AccountV1, buffer, offset as unknown as number))).toBe('INVALID_OFFSET');
    }
    expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
  });

  it('aligns the record after the header to the struct', () => {
    const buffer = new ArrayBuffer(fingerprintedSize(Wide));
    expect(fingerprintedSize(Wide)).toBe(64);
    expect(writeFingerprint(Wide, buffer)).toBe(32);
    attach(Wide, buffer, 0, { codegen }).b = 7;
    expect(new Uint8Array(buffer)[32]).toBe(7);
  });
});

describe('checkFingerprint', () => {
  it('is usable on its own by formats that embed the header', () => {
    const bytes = new Uint8Array(40);
    writeFingerprint(AccountV1, bytes.subarray(8));
    expect(() => checkFingerprint(layoutOf(AccountV1), bytes, 8)).not.toThrow();
    expect(codeOf(() => checkFingerprint(layoutOf(AccountV2), bytes, 8))).toBe('LAYOUT_MISMATCH');
    expect(codeOf(() => checkFingerprint(layoutOf(AccountV1), bytes, 0))).toBe('LAYOUT_MISMATCH');
    expect(codeOf(() => checkFingerprint(layoutOf(AccountV1), bytes, 30))).toBe('OUT_OF_BOUNDS');
  });
});
