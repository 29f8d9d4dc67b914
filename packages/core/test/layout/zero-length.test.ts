// Zero-length fields laid out as Go lays them out (values checked against go1.19's unsafe.Sizeof /
// Offsetof; test/go-oracle.test.ts checks random ones): a `[0]T` takes T's alignment and no bytes,
// and a struct ending in zero-size fields gets one byte of padding before rounding (cmd/compile,
// so that a pointer to the field never points at the next object).
import { describe, expect, it } from 'vitest';
import { DefinitionError, layoutOf, sizeof, toMap, fromMap, view, type FieldSpec } from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';
import { codeOf } from '../support/error-code.js';

const shape = (fields: [string, FieldSpec][]) => {
  const layout = layoutOf(defineStruct('Zero', fields));
  return { size: layout.size, align: layout.align, offsets: layout.fields.map((f) => f.offset) };
};

describe('zero-length fields (Go layout)', () => {
  it.each([
    ['struct { X int32; Z [0]int64 }', [['x', { type: 'i32' }], ['z', { type: 'i64', length: 0 }]], { size: 16, align: 8, offsets: [0, 8] }],
    ['struct { Z [0]int64; X int32 }', [['z', { type: 'i64', length: 0 }], ['x', { type: 'i32' }]], { size: 8, align: 8, offsets: [0, 0] }],
    ['struct { X int32; S [0]byte }', [['x', { type: 'i32' }], ['s', { type: 'str', size: 0 }]], { size: 8, align: 4, offsets: [0, 4] }],
    ['struct { X byte; S [0]byte; Y [0]int32 }', [['x', { type: 'u8' }], ['s', { type: 'bytes', size: 0 }], ['y', { type: 'i32', length: 0 }]], { size: 8, align: 4, offsets: [0, 1, 4] }],
    ['struct { X int64; Z [0]byte; Y byte }', [['x', { type: 'i64' }], ['z', { type: 'bytes', size: 0 }], ['y', { type: 'u8' }]], { size: 16, align: 8, offsets: [0, 8, 8] }],
  ] as [string, [string, FieldSpec][], object][])('%s', (_, fields, expected) => {
    expect(shape(fields)).toEqual(expected);
  });

  it.each([true, false])('a zero-length str at the end of the buffer reads no byte past it (codegen %s)', (codegen) => {
    // Found by the Go oracle: toMap read the field's first word (the short-string cache).
    const Tail = defineStruct('TailZero', [['x', { type: 'u8', tag: 'json:x' }], ['s', { type: 'str', size: 0, tag: 'json:s' }]]);
    expect(sizeof(Tail)).toBe(2);
    const v = view(Tail, new ArrayBuffer(2), 0, { codegen });
    expect(toMap(v, { tag: 'json', codegen })).toEqual({ x: 0, s: '' });
    expect(JSON.stringify(v)).toBe('{"x":0,"s":""}');
  });

  it('a packed struct ending in a zero-size field gets no padding (C, not Go)', () => {
    const Packed = defineStruct('PackedZero', [['x', { type: 'i32' }], ['z', { type: 'i64', length: 0 }]], { packed: true });
    expect(sizeof(Packed)).toBe(4);
  });

  it('a struct of only zero-size fields is EMPTY_STRUCT (a record needs a byte)', () => {
    const Empty = defineStruct('AllZero', [['z', { type: 'i64', length: 0 }]]);
    expect(codeOf(() => layoutOf(Empty), DefinitionError)).toBe('EMPTY_STRUCT');
  });

  it.each([true, false])('views, toMap and fromMap handle zero-length fields (codegen %s)', (codegen) => {
    const Mixed = defineStruct('MixedZero', [
      ['a', { type: 'i32', tag: 'json:a' }],
      ['s', { type: 'str', size: 0, tag: 'json:s' }],
      ['list', { type: 'f64', length: 0, tag: 'json:list' }],
    ]);
    const buffer = new ArrayBuffer(sizeof(Mixed));
    const v = view(Mixed, buffer, 0, { codegen }) as unknown as { a: number; s: string; list: Float64Array };
    v.a = 3;
    expect([v.s, v.list.length]).toEqual(['', 0]);
    expect(toMap(v, { tag: 'json' })).toEqual({ a: 3, s: '', list: [] });
    const before = new Uint8Array(buffer).slice();
    expect(codeOf(() => fromMap(v, { a: 4, s: 'x', list: [] }, { tag: 'json', codegen }))).toBe('STRING_TOO_LONG');
    expect(new Uint8Array(buffer)).toEqual(before);
    fromMap(v, { a: 4, s: '', list: [] }, { tag: 'json', codegen });
    expect(JSON.stringify(v)).toBe('{"a":4,"s":"","list":[]}');
  });
});
