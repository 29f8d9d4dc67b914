// utf8.ts: strings read back exactly as written, including a leading U+FEFF (a byte order mark
// is data inside a field, never a signature to strip), on the short hand-written path and the
// TextDecoder path, through getters, toMap and fromMap of both converter paths.
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, view } from '@structsync/core';
import { readUtf8, utf8Length, writeUtf8 } from '../src/utf8.js';

@Struct()
class Label {
  @Field({ type: 'str', size: 16, tag: 'json:short' }) short!: string;
  @Field({ type: 'str', size: 64, tag: 'json:long' }) long!: string;
  @Field({ type: 'any', size: 64, tag: 'json:extra' }) extra!: unknown;
}

const BOM = '\uFEFF';
const VALUES = [
  ['a leading BOM', `${BOM}abc`],
  ['only a BOM', BOM],
  ['two BOMs', `${BOM}${BOM}x`],
  ['a BOM after ASCII', `ab${BOM}`],
  ['a BOM before non-ASCII', `${BOM}é`],
] as const;

describe('utf8_keeps_a_leading_byte_order_mark', () => {
  it.each(VALUES)('readUtf8 returns %s unchanged, short and past 32 bytes', (_, s) => {
    for (const text of [s, `${s}${'y'.repeat(40)}`]) {
      const bytes = new Uint8Array(80);
      writeUtf8(bytes, 0, 80, text);
      expect(readUtf8(bytes, 0, utf8Length(text))).toBe(text);
      expect(readUtf8(bytes, 0, 80)).toBe(text);
    }
  });
});

describe.each([true, false])('str_and_any_fields_keep_a_leading_byte_order_mark (codegen %s)', (codegen) => {
  it.each(VALUES)('%s round-trips through setters, getters, toMap and fromMap', (_, s) => {
    const long = `${s}${'z'.repeat(40)}`;
    const buffer = new ArrayBuffer(sizeof(Label));
    const label = view(Label, buffer, 0, { codegen });
    label.short = s;
    label.long = long;
    label.extra = s;
    expect([label.short, label.long, label.extra]).toEqual([s, long, s]);
    expect(toMap(label, { tag: 'json', codegen })).toEqual({ short: s, long, extra: s });
    const other = view(Label, new ArrayBuffer(sizeof(Label)), 0, { codegen });
    fromMap(other, { short: s, long, extra: { text: s } }, { tag: 'json', codegen });
    expect(toMap(other, { tag: 'json', codegen })).toEqual({ short: s, long, extra: { text: s } });
    expect([other.short, other.long]).toEqual([s, long]);
  });
});
