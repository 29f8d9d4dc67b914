// `any` fields: the smallest size that holds every kind DESIGN.md §4 lists (a number or bigint is
// an 8-byte header and an 8-byte payload), writes that stay inside the field, one JSON text per
// write, and bytes that are not valid JSON read as INVALID_BYTES on every path.
import { describe, expect, it } from 'vitest';
import { asMap, DefinitionError, Field, fromMap, layoutOf, MemoryError, sizeof, Struct, toMap, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';
import { defineStruct } from '../support/define-struct.js';

@Struct({ packed: true })
class Tight {
  @Field({ type: 'any', size: 16, tag: 'json:value' }) value!: unknown;
  @Field({ type: 'u8', length: 8, tag: 'json:tail' }) tail!: Uint8Array;
}

@Struct()
class Holder {
  @Field({ type: 'u8', tag: 'json:flag' }) flag!: number;
  @Field({ type: 'any', size: 24, tag: 'json:extra' }) extra!: unknown;
}

describe('any field sizes', () => {
  it.each([9, 10, 12, 15])('any_field_smaller_than_16_bytes_is_a_definition_error (size %i)', (size) => {
    const type = defineStruct(`SmallAny${size}`, [['value', { type: 'any', size }]]);
    expect(codeOf(() => layoutOf(type), DefinitionError)).toBe('INVALID_SIZE');
    expect(() => layoutOf(type)).toThrow(expect.objectContaining({ struct: `SmallAny${size}`, field: 'value' }));
  });

  it('accepts 16 bytes, the smallest any field that holds a number', () => {
    expect(sizeof(defineStruct('SmallestAny16', [['value', { type: 'any', size: 16 }]]))).toBe(16);
  });
});

describe.each([true, false])('any_number_write_stays_inside_the_field (codegen %s)', (codegen) => {
  it.each([
    ['a number', -1.5],
    ['a bigint', -(2n ** 63n)],
    ['a string', 'abcdefgh'],
    ['JSON', [1, 2]],
    ['true', true],
  ])('writing %s touches no byte after a 16-byte field', (_, value) => {
    const buffer = new ArrayBuffer(sizeof(Tight) + 8);
    const bytes = new Uint8Array(buffer);
    bytes.fill(0xaa);
    const t = view(Tight, buffer, 0, { codegen });
    const after = bytes.slice(16);
    t.value = value;
    expect(bytes.slice(16)).toEqual(after);
    expect(t.value).toEqual(value);
    bytes.fill(0xaa, 0, 16);
    fromMap(t, { value }, { tag: 'json', partial: true, codegen });
    expect(bytes.slice(16)).toEqual(after);
    expect(toMap(t, { tag: 'json', codegen }).value).toEqual(value);
  });
});

/** An object whose toJSON answers `answers[0]`, then `answers[1]`, … (the last one from then on). */
function varying(...answers: unknown[]): { calls: number; toJSON(): unknown } {
  return {
    calls: 0,
    toJSON() {
      return answers[Math.min(this.calls++, answers.length - 1)];
    },
  };
}

describe.each([true, false])('any_setter_stringifies_once (codegen %s)', (codegen) => {
  const setup = (): { holder: Holder; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Holder) * 2);
    const bytes = new Uint8Array(buffer);
    bytes.fill(0x55, sizeof(Holder));
    return { holder: view(Holder, buffer, 0, { codegen }), bytes };
  };

  it('writes the JSON text it checked, even when toJSON answers differently the next time', () => {
    const { holder, bytes } = setup();
    const after = bytes.slice(sizeof(Holder));
    const value = varying('ok', 'x'.repeat(200));
    holder.extra = value;
    expect(value.calls).toBe(1);
    expect(holder.extra).toBe('ok');
    expect(bytes.slice(sizeof(Holder))).toEqual(after);
  });

  it('refuses a toJSON whose first answer is too large, whatever it answers next, writing nothing', () => {
    const { holder, bytes } = setup();
    holder.extra = 7;
    const before = bytes.slice();
    const value = varying('x'.repeat(200), 'ok');
    expect(codeOf(() => (holder.extra = value), ValueError)).toBe('VALUE_TOO_LARGE');
    expect(value.calls).toBe(1);
    expect(bytes).toEqual(before);
  });

  it('fromMap also takes one JSON text of the value', () => {
    const { holder, bytes } = setup();
    const after = bytes.slice(sizeof(Holder));
    const value = varying({ a: 1 }, 'x'.repeat(200));
    fromMap(holder, { extra: value }, { tag: 'json', partial: true, codegen });
    expect(value.calls).toBe(1);
    expect(holder.extra).toEqual({ a: 1 });
    expect(bytes.slice(sizeof(Holder))).toEqual(after);
  });
});

describe.each([true, false])('any_invalid_bytes_are_INVALID_BYTES_on_every_path (codegen %s)', (codegen) => {
  /** A Holder whose any field was written, then had byte `at` of its payload set to `byte`. */
  const corrupt = (value: unknown, at: number, byte: number): { holder: Holder; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Holder));
    const holder = view(Holder, buffer, 0, { codegen });
    holder.extra = value;
    const bytes = new Uint8Array(buffer);
    bytes[layoutOf(Holder).fields[1]!.offset + at] = byte;
    return { holder, bytes };
  };
  const reads: [string, (h: Holder) => unknown][] = [
    ['the getter', (h) => h.extra],
    ['toMap', (h) => toMap(h, { tag: 'json', codegen })],
    ['toMap into an object', (h) => toMap(h, { tag: 'json', codegen, into: {} })],
    ['asMap', (h) => asMap(h, { tag: 'json' }).extra],
    ['JSON.stringify', (h) => JSON.stringify(h)],
  ];

  it.each(reads)('invalid JSON text read through %s', (_, read) => {
    const { holder, bytes } = corrupt({ a: 1 }, 8, '}'.charCodeAt(0)); // '{"a":1}' -> '}"a":1}'
    const before = bytes.slice();
    expect(codeOf(() => read(holder), MemoryError)).toBe('INVALID_BYTES');
    expect(() => read(holder)).toThrow(expect.objectContaining({ struct: 'Holder', field: 'extra' }));
    expect(() => read(holder)).toThrow(/^Holder\.extra: /);
    expect(bytes).toEqual(before);
  });

  it.each(reads)('an unknown kind byte read through %s', (_, read) => {
    const { holder, bytes } = corrupt(5, 0, 99);
    const before = bytes.slice();
    expect(codeOf(() => read(holder), MemoryError)).toBe('INVALID_BYTES');
    expect(() => read(holder)).toThrow(expect.objectContaining({ struct: 'Holder', field: 'extra' }));
    expect(bytes).toEqual(before);
  });
});
