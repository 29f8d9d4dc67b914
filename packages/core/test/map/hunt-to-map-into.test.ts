// Regression tests (found in review): toMap refilling an `into` object that cannot take the values
// (frozen, non-extensible, a read-only or non-configurable key, a setter that throws) ended in the
// engine's raw TypeError (or the setter's own error) instead of a StructSyncError with a code.
import { describe, expect, it } from 'vitest';
import { asMap, Field, sizeof, Struct, StructSyncError, toMap, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Reading {
  @Field({ type: 'i64', tag: 'json:id' }) id!: bigint;
  @Field({ type: 'str', size: 8, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"level,omitempty"' }) level!: number;
}

const boom = new Error('boom');

const targets: readonly (readonly [string, () => Record<string, unknown>])[] = [
  ['frozen', () => Object.freeze({})],
  ['non-extensible', () => Object.preventExtensions({})],
  ['a read-only key', () => Object.defineProperty({}, 'name', { value: 'x', writable: false, enumerable: true })],
  // level is 0 (omitempty): toMap deletes the key from `into`, which cannot be deleted.
  ['a non-configurable omitted key', () => Object.defineProperty({}, 'level', { value: 3, writable: true, enumerable: true, configurable: false })],
  [
    'a setter that throws',
    () =>
      Object.defineProperty({}, 'id', {
        set: () => {
          throw boom;
        },
        enumerable: true,
      }),
  ],
];

describe.each([true, false])('to_map_into_refusal_is_a_struct_sync_error (codegen %s)', (codegen) => {
  it.each(targets)('an `into` with %s is INVALID_OPTION, the record unchanged', (_kind, make) => {
    const buffer = new ArrayBuffer(sizeof(Reading));
    const reading = view(Reading, buffer, 0, { codegen });
    reading.id = 7n;
    reading.name = 'probe';
    const bytes = new Uint8Array(buffer);
    const before = bytes.slice();
    let caught: unknown;
    expect(
      codeOf(() => {
        try {
          toMap(reading, { tag: 'json', into: make(), codegen });
        } catch (error) {
          caught = error;
          throw error;
        }
      }, StructSyncError),
    ).toBe('INVALID_OPTION');
    expect((caught as StructSyncError).cause).toBeDefined();
    expect(bytes).toEqual(before);
  });

  it('keeps the cause a throwing setter of `into` raised', () => {
    const reading = view(Reading, new ArrayBuffer(sizeof(Reading)), 0, { codegen });
    const into = targets.find(([kind]) => kind === 'a setter that throws')![1]();
    expect(() => toMap(reading, { tag: 'json', into, codegen })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', cause: boom }));
  });
});

@Struct()
class Spot {
  @Field({ type: 'u16', tag: 'json:zip' }) zip!: number;
}

@Struct()
class Site {
  @Field({ type: Spot, tag: 'json:home' }) home!: Spot;
  @Field({ type: Spot, length: 2, tag: 'json:spots' }) spots!: readonly Spot[];
}

describe.each([true, false])('toMap into never writes a record (codegen %s)', (codegen) => {
  it('a view found nested in `into` is replaced by a plain object, not refilled through its setters', () => {
    const site = view(Site, new ArrayBuffer(sizeof(Site)), 0, { codegen });
    site.home.zip = 1;
    site.spots[0]!.zip = 2;
    const otherBuffer = new ArrayBuffer(sizeof(Spot) * 2);
    const other = view(Spot, otherBuffer, 0, { codegen });
    const otherElement = view(Spot, otherBuffer, sizeof(Spot), { codegen });
    other.zip = 99;
    otherElement.zip = 98;
    const before = new Uint8Array(otherBuffer).slice();
    const into: Record<string, unknown> = { home: other, spots: [otherElement, {}] };
    toMap(site, { tag: 'json', into, codegen });
    expect(new Uint8Array(otherBuffer)).toEqual(before);
    expect(into).toEqual({ home: { zip: 1 }, spots: [{ zip: 2 }, { zip: 0 }] });
    expect(into.home).not.toBe(other);
  });
});

describe.each([true, false])('toMap into never writes through an asMap map (codegen %s)', (codegen) => {
  it('an asMap map as `into`, or nested in it, is refused or replaced; its record keeps its bytes', () => {
    const site = view(Site, new ArrayBuffer(sizeof(Site)), 0, { codegen });
    site.home.zip = 1;
    const otherBuffer = new ArrayBuffer(sizeof(Site));
    const other = view(Site, otherBuffer, 0, { codegen });
    other.home.zip = 99;
    const before = new Uint8Array(otherBuffer).slice();
    expect(codeOf(() => toMap(site, { tag: 'json', into: asMap(other, { tag: 'json' }), codegen }))).toBe('INVALID_OPTION');
    const live = asMap(other, { tag: 'json' }).home as Record<string, unknown>;
    const into: Record<string, unknown> = { home: live };
    toMap(site, { tag: 'json', into, codegen });
    expect(new Uint8Array(otherBuffer)).toEqual(before);
    expect(into.home).toEqual({ zip: 1 });
    expect(into.home).not.toBe(live);
  });
});
