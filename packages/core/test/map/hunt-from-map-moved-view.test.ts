// Regression tests (found in review): a getter of fromMap's input that moved the view (repoint,
// records().at, or a repoint to another buffer) made fromMap write to the record the view had left,
// returning a view that showed none of it; after a repoint to another buffer and a transfer of the
// old one, the write was a raw TypeError. Now the view must still be where it was: INVALID_STATE,
// nothing written anywhere.
import { describe, expect, it } from 'vitest';
import { Field, fromMap, MemoryError, records, repoint, sizeof, Struct, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Cell {
  @Field({ type: 'i32', tag: 'json:x' }) x!: number;
  @Field({ type: 'str', size: 8, tag: 'json:label' }) label!: string;
}

describe.each([true, false])('from_map_refuses_a_view_moved_by_its_input (codegen %s)', (codegen) => {
  const options = { tag: 'json', codegen } as const;

  it('a getter that re-points the view: INVALID_STATE, no record written', () => {
    const buffer = new ArrayBuffer(sizeof(Cell) * 4);
    const cell = view(Cell, buffer, 0, { codegen });
    const bytes = new Uint8Array(buffer);
    const before = bytes.slice();
    const input = {
      get x() {
        repoint(cell, sizeof(Cell));
        return 5;
      },
      label: 'moved',
    };
    expect(codeOf(() => fromMap(cell, input, options), MemoryError)).toBe('INVALID_STATE');
    expect(bytes).toEqual(before);
  });

  it('a getter that moves a records() cursor: INVALID_STATE, no record written', () => {
    const buffer = new ArrayBuffer(sizeof(Cell) * 4);
    const list = records(Cell, buffer, { codegen });
    const bytes = new Uint8Array(buffer);
    const before = bytes.slice();
    const input = {
      get x() {
        list.at(2);
        return 9;
      },
      label: 'moved',
    };
    expect(codeOf(() => fromMap(list.at(0), input, options), MemoryError)).toBe('INVALID_STATE');
    expect(bytes).toEqual(before);
  });

  it('a getter that re-points the view to another buffer and transfers the old one: INVALID_STATE, not a TypeError', () => {
    const first = new ArrayBuffer(sizeof(Cell) * 2);
    const second = new ArrayBuffer(sizeof(Cell) * 2);
    const cell = view(Cell, first, 0, { codegen });
    const bytes = new Uint8Array(second);
    const before = bytes.slice();
    const input = {
      get x() {
        repoint(cell, 0, second);
        structuredClone(first, { transfer: [first] });
        return 5;
      },
      label: 'moved',
    };
    expect(codeOf(() => fromMap(cell, input, options), MemoryError)).toBe('INVALID_STATE');
    expect(bytes).toEqual(before);
  });

  it('a getter that re-points the view back where it was changes nothing: the write goes through', () => {
    const buffer = new ArrayBuffer(sizeof(Cell) * 2);
    const cell = view(Cell, buffer, 0, { codegen });
    const input = {
      get x() {
        repoint(cell, sizeof(Cell));
        repoint(cell, 0);
        return 5;
      },
      label: 'stay',
    };
    fromMap(cell, input, options);
    expect([cell.x, cell.label]).toEqual([5, 'stay']);
  });
});
