// Regression tests (found in review): an omitempty `any` field holding 0, false, '' or 0n was left
// out of toMap, JSON.stringify and asMap's keys, as if it held nothing; Go (and the README: "a
// null any") drop only a nil interface. Now that an absent omitempty key writes its zero value,
// that also turned a stored 0 into null on a round trip.
import { describe, expect, it } from 'vitest';
import { asMap, Field, fromMap, sizeof, Struct, toMap, view } from '@structsync/core';

@Struct()
class Note {
  @Field({ type: 'i32', tag: 'json:id' }) id!: number;
  @Field({ type: 'any', size: 16, tag: 'json:"extra,omitempty"' }) extra!: unknown;
}

describe.each([true, false])('omitempty_any_drops_only_null (codegen %s)', (codegen) => {
  const note = (extra: unknown): Note => {
    const n = view(Note, new ArrayBuffer(sizeof(Note)), 0, { codegen });
    n.id = 1;
    n.extra = extra;
    return n;
  };

  it.each([0, false, '', 0n])('keeps an any holding %o in toMap, asMap and JSON', (value) => {
    const n = note(value);
    expect(toMap(n, { tag: 'json', codegen })).toEqual({ id: 1, extra: value });
    expect(Object.keys(asMap(n, { tag: 'json' }))).toEqual(['id', 'extra']);
    if (typeof value !== 'bigint') expect(JSON.parse(JSON.stringify(n))).toEqual({ id: 1, extra: value });
  });

  it.each([null, undefined])('drops an any holding %o', (value) => {
    const n = note(value);
    expect(toMap(n, { tag: 'json', codegen })).toEqual({ id: 1 });
    expect(Object.keys(asMap(n, { tag: 'json' }))).toEqual(['id']);
  });

  it('a toMap round trip keeps a stored 0 a 0', () => {
    const source = note(0);
    const target = note('other');
    fromMap(target, toMap(source, { tag: 'json', codegen }), { tag: 'json', codegen });
    expect(target.extra).toBe(0);
  });
});
