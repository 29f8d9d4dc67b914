// The table header and record geometry: what createTable writes and what attachTable checks
// (shared buffer, magic, format, fingerprint, geometry, size) before trusting a buffer.
import { describe, expect, it } from 'vitest';
import { attachTable, createTable, Field, fingerprint, LayoutMismatchError, MemoryError, Struct } from '@structsync/core';
import { MAX_TABLE_BYTES, tableGeometry, TABLE_FORMAT, TABLE_MAGIC } from '../../src/table/table-header.js';
import { layoutOf } from '../../src/layout/layout.js';
import { Account, thrownBy } from '../support/table-structs.js';

@Struct()
class Wide {
  @Field({ type: 'u8' }) tag!: number;
  @Field({ type: 'f64', align: 32 }) value!: number;
}

@Struct({ name: 'Account' })
class AccountRenamedField {
  @Field({ type: 'i64' }) id!: bigint;
  @Field({ type: 'str', size: 12 }) label!: string;
  @Field({ type: 'i32' }) balance!: number;
  @Field({ type: 'f64' }) score!: number;
  @Field({ type: 'u8' }) flags!: number;
  @Field({ type: 'u8' }) level!: number;
}

const hexWord = (words: Int32Array, i: number): string => (words[i]! >>> 0).toString(16).padStart(8, '0');

describe('createTable', () => {
  it('writes magic, format, fingerprint and geometry in the header', () => {
    const table = createTable(Account, { capacity: 3 });
    const words = new Int32Array(table.buffer);
    const geometry = tableGeometry(layoutOf(Account), 3);
    expect(words[0]).toBe(TABLE_MAGIC);
    expect(words[1]).toBe(TABLE_FORMAT);
    expect(hexWord(words, 2) + hexWord(words, 3)).toBe(fingerprint(Account));
    expect(table.fingerprint).toBe(fingerprint(Account));
    expect([words[4], words[5], words[6], words[7], words[8], words[9]]).toEqual([
      3,
      geometry.stride,
      geometry.payloadOffset,
      40,
      6,
      geometry.recordsOffset,
    ]);
    expect(table.buffer.byteLength).toBe(geometry.byteLength);
  });

  it('aligns every payload to the struct alignment and pads it to whole words', () => {
    const account = tableGeometry(layoutOf(Account), 10);
    // 4 header words + 1 dirty word + 6 stamps = 44 bytes, payload at 48 (8-aligned), 40 bytes.
    expect([account.dirtyWords, account.stampWord, account.payloadOffset, account.payloadWords, account.stride]).toEqual([1, 5, 48, 10, 88]);
    const wide = tableGeometry(layoutOf(Wide), 10);
    expect(layoutOf(Wide).align).toBe(32);
    expect(wide.payloadOffset % 32).toBe(0);
    expect(wide.recordsOffset % 32).toBe(0);
    expect(wide.stride % 32).toBe(0);
    const table = createTable(Wide, { capacity: 2 });
    table.update(1, (w) => void (w.value = 2.5));
    expect(table.read(1).value).toBe(2.5);
  });

  it('uses one dirty word per 32 fields', () => {
    const fields = Array.from({ length: 33 }, (_, i) => i);
    class Many {}
    for (const i of fields) Field({ type: 'u8' })(Many.prototype, `f${i}`);
    Struct()(Many);
    const geometry = tableGeometry(layoutOf(Many), 1);
    expect([geometry.dirtyWords, geometry.stampWord]).toEqual([2, 6]);
    const table = createTable(Many, { capacity: 1 });
    table.update(0, (m) => void ((m as Record<string, number>).f32 = 1));
    expect(table.lastCommit(0).fields).toEqual(['f32']);
  });

  it('refuses a bad capacity or timeout', () => {
    for (const capacity of [0, -1, 1.5, '3', undefined]) {
      expect(() => createTable(Account, { capacity: capacity as number })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', struct: 'Account' }));
    }
    expect(() => createTable(Account, { capacity: 1, timeout: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createTable(Account, { capacity: 2 ** 30 })).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
  });
});

describe('the 2 GiB limit', () => {
  @Struct()
  class Tick {
    @Field({ type: 'i32' }) count!: number;
  }

  it('refuses a table of exactly 2^31 bytes with OUT_OF_BOUNDS (it allocated 2 GiB, then failed with a raw RangeError)', () => {
    const layout = layoutOf(Tick);
    const geometry = tableGeometry(layout, 1);
    const capacity = (2 ** 31 - geometry.recordsOffset) / geometry.stride;
    expect(Number.isInteger(capacity)).toBe(true);
    expect(tableGeometry(layout, capacity).byteLength).toBe(2 ** 31);
    expect(tableGeometry(layout, capacity - 1).byteLength).toBe(2 ** 31 - geometry.stride);
    const caught = thrownBy(() => createTable(Tick, { capacity }));
    expect(caught).toBeInstanceOf(MemoryError);
    expect(caught).toMatchObject({ code: 'OUT_OF_BOUNDS', struct: 'Tick' });
    expect(MAX_TABLE_BYTES).toBe(2 ** 31 - 1);
  });
});

describe('attachTable', () => {
  it('attaches to the same memory: commits through one are seen through the other', () => {
    const table = createTable(Account, { capacity: 2 });
    const attached = attachTable(Account, table.buffer);
    attached.update(1, (a) => void (a.name = 'shared'));
    expect(table.read(1).name).toBe('shared');
    expect(attached.capacity).toBe(2);
  });

  it('refuses a buffer that is not shared', () => {
    const table = createTable(Account, { capacity: 2 });
    const copy = new ArrayBuffer(table.buffer.byteLength);
    new Uint8Array(copy).set(new Uint8Array(table.buffer));
    const before = new Uint8Array(copy).slice();
    expect(() => attachTable(Account, copy as unknown as SharedArrayBuffer)).toThrow(
      expect.objectContaining({
        code: 'NOT_SHARED',
        message: "Account table: attachTable needs the table's SharedArrayBuffer, got an ArrayBuffer (a copy: workers do not share it)",
      }),
    );
    expect(new Uint8Array(copy)).toEqual(before);
    expect(() => attachTable(Account, new Uint8Array(8) as unknown as SharedArrayBuffer)).toThrow(expect.objectContaining({ code: 'NOT_SHARED' }));
  });

  it('refuses another struct by fingerprint, even under the same name and size', () => {
    const table = createTable(Account, { capacity: 2 });
    const before = new Uint8Array(table.buffer).slice();
    const caught = thrownBy(() => attachTable(AccountRenamedField, table.buffer));
    expect(caught).toBeInstanceOf(LayoutMismatchError);
    expect(caught).toMatchObject({
      code: 'LAYOUT_MISMATCH',
      message: `Account table: the buffer holds records of another layout (fingerprint ${fingerprint(Account)}, Account has ${fingerprint(AccountRenamedField)})`,
    });
    expect(() => attachTable(Wide, table.buffer)).toThrow(LayoutMismatchError);
    expect(new Uint8Array(table.buffer)).toEqual(before);
  });

  it('refuses a buffer without the magic number, of another format, with other geometry or too short', () => {
    const table = createTable(Account, { capacity: 2 });
    const corrupt = (word: number, value: number): SharedArrayBuffer => {
      const buffer = new SharedArrayBuffer(table.buffer.byteLength);
      new Uint8Array(buffer).set(new Uint8Array(table.buffer));
      new Int32Array(buffer)[word] = value;
      return buffer;
    };
    expect(() => attachTable(Account, new SharedArrayBuffer(256))).toThrow(
      expect.objectContaining({ code: 'INVALID_BYTES', message: 'Account table: the buffer is not a structsync table (bad magic number)' }),
    );
    expect(() => attachTable(Account, new SharedArrayBuffer(8))).toThrow(expect.objectContaining({ code: 'INVALID_BYTES' }));
    expect(() => attachTable(Account, corrupt(1, 99))).toThrow(
      expect.objectContaining({ code: 'INVALID_BYTES', message: 'Account table: table format 99 is not supported (expected 1)' }),
    );
    expect(() => attachTable(Account, corrupt(5, 96))).toThrow(
      expect.objectContaining({ code: 'INVALID_BYTES', message: 'Account table: record stride is 96 in the header, 88 for this layout' }),
    );
    expect(() => attachTable(Account, corrupt(4, 3))).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
    const short = new SharedArrayBuffer(table.buffer.byteLength - 4);
    new Uint8Array(short).set(new Uint8Array(table.buffer, 0, short.byteLength));
    expect(() => attachTable(Account, short)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS', struct: 'Account' }));
  });
});
