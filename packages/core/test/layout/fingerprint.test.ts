// fingerprint: a stable hash of everything that decides how bytes are read — names, types,
// offsets, sizes, tags and nested layouts — and nothing else.
import { describe, expect, it } from 'vitest';
import { fingerprint, type FieldSpec, type StructClass, type StructOptions } from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';

/** A fresh class each call, so that two identical definitions are two distinct classes. */
const build = (name: string, fields: readonly (readonly [string, FieldSpec])[], options: StructOptions = {}): StructClass =>
  defineStruct(name, fields, options);

const userFields = [
  ['id', { type: 'i64', tag: 'json:"id" db:"user_id"' }],
  ['name', { type: 'str', size: 16, tag: 'json:name' }],
  ['age', { type: 'i32', tag: 'json:"age,omitempty"' }],
] as const satisfies readonly (readonly [string, FieldSpec])[];

const user = (): StructClass => build('User', userFields);

/** The user fields with the one at `index` replaced. */
const userWith = (index: number, field: readonly [string, FieldSpec]): StructClass =>
  build(
    'User',
    userFields.map((f, i) => (i === index ? field : f)),
  );

describe('fingerprint', () => {
  it('is 16 hex digits, the same on every call', () => {
    const User = user();
    expect(fingerprint(User)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(User)).toBe(fingerprint(User));
  });

  it('is the same for two classes with the same definition', () => {
    expect(fingerprint(user())).toBe(fingerprint(user()));
  });

  it('does not change between releases for the seed User (bytes on disk or in shared memory rely on it)', () => {
    expect(fingerprint(user())).toBe('f5cd9389054b2f18');
  });

  it.each([
    ['a tag name', 2, ['age', { type: 'i32', tag: 'json:"years,omitempty"' }]],
    ['a tag option', 2, ['age', { type: 'i32', tag: 'json:"age"' }]],
    ['a tag removed', 0, ['id', { type: 'i64', tag: 'json:"id"' }]],
    ['a field name', 2, ['years', { type: 'i32', tag: 'json:"age,omitempty"' }]],
    ['a type of the same size', 2, ['age', { type: 'u32', tag: 'json:"age,omitempty"' }]],
    ['an integer to a float of the same size', 2, ['age', { type: 'f32', tag: 'json:"age,omitempty"' }]],
    ['str to bytes', 1, ['name', { type: 'bytes', size: 16, tag: 'json:name' }]],
    ['a size', 1, ['name', { type: 'str', size: 24, tag: 'json:name' }]],
    ['an offset (field alignment)', 2, ['age', { type: 'i32', tag: 'json:"age,omitempty"', align: 8 }]],
    ['as: number', 0, ['id', { type: 'i64', as: 'number', tag: 'json:"id" db:"user_id"' }]],
  ] as const)('changes when %s changes', (_, index, field) => {
    expect(fingerprint(userWith(index, field))).not.toBe(fingerprint(user()));
  });

  it('changes with field order, struct name, packing and struct alignment', () => {
    const base = fingerprint(user());
    expect(fingerprint(build('User', [userFields[1], userFields[0], userFields[2]]))).not.toBe(base);
    expect(fingerprint(build('Person', userFields))).not.toBe(base);
    expect(fingerprint(build('User', userFields, { packed: true }))).not.toBe(base);
    expect(fingerprint(build('User', userFields, { align: 16 }))).not.toBe(base);
    expect(fingerprint(build('User', userFields, { name: 'Person' }))).toBe(fingerprint(build('Person', userFields)));
  });

  it('propagates a change in a nested layout, however deep', () => {
    const withZip = (zip: FieldSpec): StructClass => {
      const Address = build('Address', [
        ['zip', zip],
        ['city', { type: 'str', size: 8 }],
      ]);
      const Contact = build('Contact', [['address', { type: Address }]]);
      return build('Customer', [
        ['id', { type: 'u32' }],
        ['contacts', { type: Contact, length: 2 }],
      ]);
    };
    const base = fingerprint(withZip({ type: 'u16' }));
    expect(fingerprint(withZip({ type: 'u16' }))).toBe(base);
    // Same size, same offsets everywhere: only the nested type differs.
    expect(fingerprint(withZip({ type: 'i16' }))).not.toBe(base);
    expect(fingerprint(withZip({ type: 'u16', tag: 'json:"postcode"' }))).not.toBe(base);
  });
});
