// fromMap of struct arrays (issue 14): the generated writer loops over one element encoder instead
// of unrolling every element, so its size (and V8's willingness to optimise it) does not depend on
// the array's length; elements are encoded into a private copy of the array's bytes that replaces
// the record's only once every value passed, so a bad element anywhere writes nothing.
import { describe, expect, it } from 'vitest';
import { fromMap, layoutOf, sizeof, toMap, view, type StructClass } from '@structsync/core';
import { writerSource } from '../../src/map/map-codegen.js';
import { defineStruct } from '../support/define-struct.js';
import { codeOf } from '../support/error-code.js';

const Item = defineStruct('Item', [
  ['sku', { type: 'str', size: 16, tag: 'json:"sku"' }],
  ['title', { type: 'str', size: 32, tag: 'json:"title"' }],
  ['qty', { type: 'u16', tag: 'json:"qty"' }],
  ['note', { type: 'u8', tag: 'json:"-"' }], // never written by fromMap: keeps its byte
  ['price', { type: 'u32', tag: 'json:"price"' }],
]);

function orderOf(length: number): StructClass {
  return defineStruct(`Order${length}`, [
    ['id', { type: 'u32', tag: 'json:"id"' }],
    ['items', { type: Item, length, tag: 'json:"items"' }],
  ]);
}

const item = (i: number, seed = 0): Record<string, unknown> => ({ sku: `S${i}-${seed}`, title: `title ${i} ${'é'.repeat(i % 3)}`, qty: (i * 7 + seed) & 0xffff, price: 100000 + i * 13 + seed });
const order = (length: number, seed = 0): Record<string, unknown> => ({ id: seed, items: Array.from({ length }, (_, i) => item(i, seed)) });

function record(type: StructClass, codegen: boolean): { v: object; bytes: Uint8Array } {
  const buffer = new ArrayBuffer(sizeof(type) + 16);
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 255; // padding and '-' fields hold non-zero bytes
  return { v: view(type, buffer, 8, { codegen }), bytes };
}

describe('fromMap of struct arrays (issue 14)', () => {
  it('generates a writer whose size does not depend on the number of elements', () => {
    const mode = { tag: 'json', partial: false, strip: false, truncate: false };
    // Up to its numbers (loop bounds, the record's size), one source for every length.
    const sources = [4, 16, 64, 1024].map((n) => writerSource(layoutOf(orderOf(n)), mode).source.replace(/\d+/g, '#'));
    expect(new Set(sources).size).toBe(1);
  });

  it('unrolls short strings up to a budget per function, so a wide record does not outgrow it either', () => {
    const mode = { tag: undefined, partial: false, strip: false, truncate: false };
    const wide = (fields: number): number => writerSource(layoutOf(defineStruct(`Wide${fields}`, Array.from({ length: fields }, (_, i) => [`s${i}`, { type: 'str', size: 32 }] as const))), mode).source.length;
    // Each field past the budget adds a constant few hundred characters, not 32 unrolled tests.
    expect(wide(96) - wide(48)).toBeLessThan(48 * 600);
  });

  describe.each([true, false])('codegen %s', (codegen) => {
    it.each([1, 4, 37, 300])('writes %i elements as the other converter does, keeping padding and untagged bytes', (n) => {
      const type = orderOf(n);
      const a = record(type, codegen);
      const b = record(type, !codegen);
      fromMap(a.v, order(n, 3), { tag: 'json' });
      fromMap(b.v, order(n, 3), { tag: 'json' });
      expect(a.bytes).toEqual(b.bytes);
      expect(toMap(a.v, { tag: 'json' })).toEqual(order(n, 3));
      // The byte of the untagged `note` of the last element is the one set before.
      const note = 8 + layoutOf(type).fields[1]!.offset + (n - 1) * sizeof(Item) + layoutOf(Item).fields[3]!.offset;
      expect(a.bytes[note]).toBe((note * 31) & 255);
    });

    it('refuses a bad last element of 300 with its path, writing nothing', () => {
      const type = orderOf(300);
      const { v, bytes } = record(type, codegen);
      fromMap(v, order(300, 1), { tag: 'json' });
      const before = bytes.slice();
      const bad = order(300, 2);
      (bad['items'] as Record<string, unknown>[])[299]!['sku'] = 'x'.repeat(17);
      let path: unknown;
      expect(
        codeOf(() => {
          try {
            fromMap(v, bad, { tag: 'json' });
          } catch (error) {
            path = (error as { field?: unknown }).field;
            throw error;
          }
        }),
      ).toBe('STRING_TOO_LONG');
      expect(path).toBe('items.299.sku');
      expect(bytes).toEqual(before);
      (bad['items'] as unknown[])[150] = 5;
      expect(codeOf(() => fromMap(v, bad, { tag: 'json' }))).toBe('TYPE_MISMATCH');
      expect(bytes).toEqual(before);
    });

    it('keeps absent keys of elements with partial: true', () => {
      const type = orderOf(5);
      const { v } = record(type, codegen);
      fromMap(v, order(5, 1), { tag: 'json' });
      fromMap(v, { items: Array.from({ length: 5 }, (_, i) => ({ qty: i })) }, { tag: 'json', partial: true });
      const expected = order(5, 1);
      (expected['items'] as Record<string, unknown>[]).forEach((x, i) => (x['qty'] = i));
      expect(toMap(v, { tag: 'json' })).toEqual(expected);
    });

    it('names the element path of an error in a struct array nested in an element', () => {
      const Inner = defineStruct('Inner', [['x', { type: 'u8' }]]);
      const Middle = defineStruct('Middle', [['inner', { type: Inner, length: 3 }]]);
      const Outer = defineStruct('Outer', [['outer', { type: Middle, length: 4 }]]);
      const { v, bytes } = record(Outer, codegen);
      const input = { outer: Array.from({ length: 4 }, () => ({ inner: [{ x: 1 }, { x: 2 }, { x: 3 }] })) };
      fromMap(v, input);
      const before = bytes.slice();
      input.outer[2]!.inner[1]!.x = 256;
      let field: unknown;
      try {
        fromMap(v, input);
      } catch (error) {
        field = (error as { code?: string; field?: unknown }).field;
        expect((error as { code?: string }).code).toBe('OUT_OF_RANGE');
      }
      expect(field).toBe('outer.2.inner.1.x');
      expect(bytes).toEqual(before);
    });

    it('reads each element and each value once, in index order, and survives a getter that runs fromMap again', () => {
      const type = orderOf(3);
      const { v } = record(type, codegen);
      const other = record(type, codegen);
      const reads: string[] = [];
      const items = [0, 1, 2].map((i) => {
        const values = item(i, 4);
        return Object.defineProperty({ ...values }, 'qty', {
          enumerable: true,
          get: () => {
            reads.push(`qty${i}`);
            // The same writer, re-entered: it must not share the outer call's scratch bytes.
            if (i === 1) fromMap(other.v, order(3, 9), { tag: 'json' });
            return values['qty'];
          },
        });
      });
      const input = { id: 4, items: new Proxy(items, { get: (t, k, r) => (typeof k === 'string' && /^\d+$/.test(k) && reads.push(`[${k}]`), Reflect.get(t, k, r)) }) };
      fromMap(v, input, { tag: 'json' });
      expect(reads).toEqual(['[0]', 'qty0', '[1]', 'qty1', '[2]', 'qty2']);
      expect(toMap(v, { tag: 'json' })).toEqual(order(3, 4));
      expect(toMap(other.v, { tag: 'json' })).toEqual(order(3, 9));
    });
  });
});
