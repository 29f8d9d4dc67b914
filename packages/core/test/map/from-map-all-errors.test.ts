// fromMap's error reporting (issue 11): structural checks come first, then the class-validator
// rules on the values that passed; `allErrors: true` collects every problem into one ValueError
// listing { path, code, message }; a tag name no field declares and the tag priority does not
// name is INVALID_OPTION. Each refusal leaves the record's bytes as they were.
import 'reflect-metadata';
import { IsInt, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { asMap, Field, fromMap, sizeof, Struct, toMap, ValueError, view } from '@structsync/core';
import { Account, validAccount } from '../support/map-structs.js';
import { defineStruct } from '../support/define-struct.js';

@Struct()
class Line {
  @Max(100)
  @Field({ type: 'u16', tag: 'json:"qty"' })
  qty!: number;
}

@Struct({ tagPriority: ['json', 'form'] })
class Member {
  @MaxLength(4)
  @Field({ type: 'str', size: 8, tag: 'json:"nick"' })
  nick!: string;
  @IsInt()
  @Min(18)
  @Field({ type: 'u8', tag: 'json:"age"' })
  age!: number;
  @Field({ type: 'i64', tag: 'json:"id" db:"member_id"' }) id!: bigint;
  @ValidateNested({ each: true })
  @Field({ type: Line, length: 2, tag: 'json:"lines"' })
  lines!: Line[];
}

const good = { nick: 'bo', age: 30, id: '7', lines: [{ qty: 1 }, { qty: 2 }] };

/** The ValueError a call throws (it must throw one). */
function refusal(fn: () => unknown): ValueError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValueError);
    return error as ValueError;
  }
  throw new Error('expected a ValueError');
}

describe.each([true, false])('fromMap allErrors and the order of checks (codegen %s)', (codegen) => {
  const setup = (): { member: Member; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Member));
    const member = view(Member, buffer, 0, { codegen });
    fromMap(member, good, { tag: 'json' });
    return { member, bytes: new Uint8Array(buffer) };
  };

  it('lists every structural problem, at every level, in one ValueError, writing nothing', () => {
    const { member, bytes } = setup();
    const before = bytes.slice();
    const error = refusal(() => fromMap(member, { nick: 'far too long', age: 300, id: '01', lines: [{ qty: -1 }, 5], color: 'red' }, { tag: 'json', allErrors: true, codegen }));
    expect(error.errors?.map((e) => [e.path, e.code])).toEqual([
      ['color', 'UNKNOWN_KEY'],
      ['nick', 'STRING_TOO_LONG'],
      ['age', 'OUT_OF_RANGE'],
      ['id', 'TYPE_MISMATCH'],
      ['lines.0.qty', 'OUT_OF_RANGE'],
      ['lines.1', 'TYPE_MISMATCH'],
    ]);
    expect([error.code, error.field]).toEqual(['UNKNOWN_KEY', 'color']);
    expect(error.errors!.every((e) => e.message.startsWith('Member.'))).toBe(true);
    expect(bytes).toEqual(before);
    // Without allErrors, the first problem alone.
    expect(refusal(() => fromMap(member, { ...good, age: 300, id: '01' }, { tag: 'json', codegen })).code).toBe('OUT_OF_RANGE');
    expect(bytes).toEqual(before);
  });

  it('lists missing keys and a whole input that is not a map', () => {
    const { member, bytes } = setup();
    const before = bytes.slice();
    expect(refusal(() => fromMap(member, { nick: 'x' }, { tag: 'json', allErrors: true })).errors?.map((e) => [e.path, e.code])).toEqual([
      ['age', 'MISSING_KEY'],
      ['id', 'MISSING_KEY'],
      ['lines', 'MISSING_KEY'],
    ]);
    expect(refusal(() => fromMap(member, [1], { tag: 'json', allErrors: true })).errors?.map((e) => e.code)).toEqual(['INVALID_INPUT']);
    expect(bytes).toEqual(before);
  });

  it('runs the rules only on values that passed the checks, and lists rule failures after them', () => {
    const { member, bytes } = setup();
    const before = bytes.slice();
    // age: '30' is a TYPE_MISMATCH, not @Min's or @IsInt's message; nick breaks @MaxLength; lines.1.qty breaks @Max.
    const error = refusal(() => fromMap(member, { ...good, nick: 'toolong', age: '30', lines: [{ qty: 1 }, { qty: 101 }] }, { tag: 'json', validate: true, allErrors: true }));
    expect(error.errors?.map((e) => [e.path, e.code])).toEqual([
      ['age', 'TYPE_MISMATCH'],
      ['nick', 'VALIDATION_FAILED'],
      ['lines.1.qty', 'VALIDATION_FAILED'],
    ]);
    expect(bytes).toEqual(before);
    // Without allErrors, the structural problem first; with structure right, the rules.
    expect(refusal(() => fromMap(member, { ...good, nick: 'toolong', age: '30' }, { tag: 'json', validate: true })).code).toBe('TYPE_MISMATCH');
    expect(refusal(() => fromMap(member, { ...good, nick: 'toolong', age: 10 }, { tag: 'json', validate: true })).errors?.map((e) => e.path)).toEqual(['nick', 'age']);
    expect(bytes).toEqual(before);
    fromMap(member, { ...good, nick: 'ann', age: 40 }, { tag: 'json', validate: true, allErrors: true });
    expect(toMap(member, { tag: 'json' })).toMatchObject({ nick: 'ann', age: 40, id: 7n });
  });

  it('refuses an allErrors that is not a boolean', () => {
    const { member } = setup();
    expect(() => fromMap(member, good, { tag: 'json', allErrors: 1 as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('tag names in options', () => {
  const account = (): Account => fromMap(view(Account, new ArrayBuffer(sizeof(Account)), 0), validAccount(), { tag: 'json' });

  it.each([
    ['toMap', (a: object) => toMap(a, { tag: 'jsn' })],
    ['fromMap', (a: object) => fromMap(a, validAccount(), { tag: 'jsn' })],
    ['fromMap with validate', (a: object) => fromMap(a, validAccount(), { tag: 'jsn', validate: true })],
    ['fromMap with allErrors', (a: object) => fromMap(a, validAccount(), { tag: 'jsn', allErrors: true })],
    ['asMap', (a: object) => asMap(a, { tag: 'jsn' })],
  ])('%s refuses a tag no field declares (INVALID_OPTION), writing nothing', (_, call) => {
    const a = account();
    const before = toMap(a);
    expect(() => call(a)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', struct: 'Account' }));
    expect(toMap(a)).toEqual(before);
  });

  it('accepts a tag a field declares, one the struct tag priority names, and the default priority', () => {
    const a = account();
    expect(toMap(a, { tag: 'db' })['account_id']).toBe(1n);
    const member = fromMap(view(Member, new ArrayBuffer(sizeof(Member)), 0), good, { tag: 'json' });
    // No field declares `form`; Member's tagPriority names it, so keys fall back to property names.
    expect(Object.keys(toMap(member, { tag: 'form' }))).toEqual(['nick', 'age', 'id', 'lines']);
    // Account keeps the default priority (json, db, yaml); Member's own priority does not name yaml.
    expect(toMap(a, { tag: 'yaml' })['id']).toBe(1n);
    expect(() => toMap(member, { tag: 'yaml' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', struct: 'Member' }));
    // json is always known: toJSON reads with it, even on a struct that declares only db tags.
    const OnlyDb = defineStruct('OnlyDb', [['n', { type: 'u8', tag: 'db:"num"' }]], { tagPriority: ['db'] });
    const onlyDb = fromMap(view(OnlyDb, new ArrayBuffer(1), 0), { num: 4 }, { tag: 'db' });
    expect([JSON.stringify(onlyDb), toMap(onlyDb, { tag: 'json' })]).toEqual(['{"n":4}', { n: 4 }]);
  });
});
