// table.read(i, into): the copy lands in `into` and nowhere else, whatever `into` is (an earlier
// snapshot, a snapshot re-pointed elsewhere, a nested view inside another snapshot).
import { describe, expect, it } from 'vitest';
import { attachTable, createTable, Field, repoint, Struct, ValueError, view, viewMemory } from '@structsync/core';
import { Account, bytesOf, thrownBy } from '../support/table-structs.js';

/** Three bytes: its payload is one 32-bit word, of which the last byte is not the record's. */
@Struct()
class Rgb {
  @Field({ type: 'u8' }) r!: number;
  @Field({ type: 'u8' }) g!: number;
  @Field({ type: 'u8' }) b!: number;
}

@Struct()
class Pixel {
  @Field({ type: Rgb }) color!: Rgb;
  @Field({ type: 'u8' }) alpha!: number;
  @Field({ type: 'u16' }) x!: number;
}

function accounts() {
  const table = createTable(Account, { capacity: 4 });
  for (let i = 0; i < 4; i++) {
    table.update(i, (a) => {
      a.balance = 100 + i;
      a.name = `n${i}`;
    });
  }
  return table;
}

describe('read(i, into) with a re-pointed snapshot view', () => {
  it('a snapshot re-pointed to another buffer receives the copy; the snapshot in its old slab slot is untouched', () => {
    const table = accounts();
    const moved = table.read(0);
    const neighbour = table.read(1);
    expect(table.read(2, moved).balance).toBe(102); // remembered as the last `into`
    // Move it to another buffer, at the byte offset the neighbour has in the slab.
    const elsewhere = new ArrayBuffer(8192);
    repoint(moved, viewMemory(neighbour).offset, elsewhere);
    const before = bytesOf(table);
    const slabBefore = viewMemory(neighbour).bytes.slice();
    expect(table.read(3, moved)).toBe(moved);
    expect([moved.balance, moved.name]).toEqual([103, 'n3']);
    expect([neighbour.balance, neighbour.name]).toEqual([101, 'n1']);
    expect(viewMemory(neighbour).bytes).toEqual(slabBefore);
    expect(bytesOf(table)).toEqual(before);
  });

  it('a snapshot re-pointed back into a slab after a trip elsewhere is found again', () => {
    const table = accounts();
    const snap = table.read(0);
    const home = viewMemory(snap).offset;
    const slab = viewMemory(snap).bytes.buffer as ArrayBuffer;
    table.read(1, snap);
    repoint(snap, 0, new ArrayBuffer(256));
    table.read(2, snap);
    repoint(snap, home, slab);
    expect(table.read(3, snap).balance).toBe(103);
  });
});

describe('read(i, into) copies exactly the struct size', () => {
  it('into a nested view inside another snapshot: the bytes after it (the outer record) stay', () => {
    const pixels = createTable(Pixel, { capacity: 1 });
    pixels.update(0, (p) => {
      p.alpha = 0xab;
      p.x = 0x1234;
      p.color.r = 1;
    });
    const colors = createTable(Rgb, { capacity: 1 });
    colors.update(0, (c) => {
      c.r = 7;
      c.g = 8;
      c.b = 9;
    });
    const pixel = pixels.read(0);
    const memory = viewMemory(pixel);
    const slabBefore = memory.bytes.slice();
    const tablesBefore = [bytesOf(pixels), bytesOf(colors)];
    expect(colors.read(0, pixel.color)).toBe(pixel.color);
    expect([pixel.color.r, pixel.color.g, pixel.color.b]).toEqual([7, 8, 9]);
    expect([pixel.alpha, pixel.x]).toEqual([0xab, 0x1234]);
    // Only the three color bytes changed in the whole slab.
    const changed = [...memory.bytes].flatMap((byte, i) => (byte === slabBefore[i] ? [] : [i - memory.offset]));
    expect(changed).toEqual([0, 1, 2]);
    expect([bytesOf(pixels), bytesOf(colors)]).toEqual(tablesBefore);
  });

  it('into a view over a caller buffer: the bytes around it stay', () => {
    const colors = createTable(Rgb, { capacity: 1 });
    colors.update(0, (c) => {
      c.r = 7;
      c.g = 8;
      c.b = 9;
    });
    const buffer = new Uint8Array(16).fill(0xee);
    const target = view(Rgb, buffer, 4);
    colors.read(0, target);
    expect([...buffer]).toEqual([0xee, 0xee, 0xee, 0xee, 7, 8, 9, ...Array<number>(9).fill(0xee)]);
  });


  it("refuses a view over a table's own shared buffer (plain stores would bypass the version lock), table unchanged", () => {
    const table = accounts();
    const other = attachTable(Account, table.buffer);
    const record2 = view(Account, table.buffer, table.records.payload(table.records.base(2)) * 4);
    expect(record2.balance).toBe(102);
    const before = bytesOf(table);
    for (const reader of [table, other]) {
      const caught = thrownBy(() => reader.read(0, record2));
      expect(caught).toBeInstanceOf(ValueError);
      expect(caught).toMatchObject({ code: 'INVALID_INPUT', struct: 'Account' });
    }
    expect(bytesOf(table)).toEqual(before);
  });
});
