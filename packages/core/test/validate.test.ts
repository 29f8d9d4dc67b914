// fromMap with validate: true runs the class-validator rules declared on the struct's own class
// first (on an instance built from the map, and with partial, the record's current values), and
// a refusal is VALIDATION_FAILED with the rules' messages and not one byte written.
import { IsEmail, IsInt, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, ValueError, view } from '@structsync/core';

@Struct()
class Limits {
  @Max(10)
  @Field({ type: 'u8', tag: 'json:retries' })
  retries!: number;
}

@Struct()
class Member {
  @IsInt()
  @Min(18)
  @Max(150)
  @Field({ type: 'i32', tag: 'json:age' })
  age!: number;
  @MinLength(2)
  @Field({ type: 'str', size: 16, tag: 'json:nick' })
  nick!: string;
  @IsEmail()
  @Field({ type: 'str', size: 32, tag: 'json:email' })
  email!: string;
  @ValidateNested()
  @Field({ type: Limits, tag: 'json:limits' })
  limits!: Limits;

  isSenior(): boolean {
    return this.age >= 65;
  }
}

@Struct()
class Unruled {
  @Field({ type: 'i32' }) n!: number;
}

const good = { age: 30, nick: 'ada', email: 'ada@example.com', limits: { retries: 3 } };

describe.each([true, false])('fromMap validate: true (codegen %s)', (codegen) => {
  const setup = (): { member: Member; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Member));
    return { member: fromMap(view(Member, buffer, 0, { codegen }), good, { tag: 'json' }), bytes: new Uint8Array(buffer) };
  };

  it('writes a map the rules accept', () => {
    const { member } = setup();
    fromMap(member, { ...good, age: 70 }, { tag: 'json', validate: true });
    expect(member.isSenior()).toBe(true);
  });

  it('refuses with VALIDATION_FAILED, the messages and paths, writing nothing', () => {
    const { member, bytes } = setup();
    const before = bytes.slice();
    let error: unknown;
    try {
      fromMap(member, { ...good, age: 12, email: 'nope', limits: { retries: 11 } }, { tag: 'json', validate: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValueError);
    const { code, message, field } = error as ValueError;
    expect(code).toBe('VALIDATION_FAILED');
    expect(field).toBe('age');
    expect(message).toContain('Member.age: age must not be less than 18');
    expect(message).toContain('Member.email: email must be an email');
    expect(message).toContain('Member.limits.retries: retries must not be greater than 10');
    expect(bytes).toEqual(before);
  });

  it('runs the rules before the structural checks', () => {
    const { member, bytes } = setup();
    const before = bytes.slice();
    expect(() => fromMap(member, { ...good, age: '30' }, { tag: 'json', validate: true })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => fromMap(member, { ...good, age: '30' }, { tag: 'json' })).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH' }));
    expect(bytes).toEqual(before);
  });

  it('with partial, validates the record as it would become', () => {
    const { member } = setup();
    fromMap(member, { nick: 'bo' }, { tag: 'json', partial: true, validate: true });
    expect(toMap(member, { tag: 'json' })).toEqual({ ...good, nick: 'bo' });
    expect(() => fromMap(member, { nick: 'b' }, { tag: 'json', partial: true, validate: true })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'nick' }));
    expect(member.nick).toBe('bo');
  });

  it('accepts structs that declare no rules', () => {
    const v = view(Unruled, new ArrayBuffer(4), 0, { codegen });
    expect(fromMap(v, { n: 5 }, { validate: true }).n).toBe(5);
  });
});
