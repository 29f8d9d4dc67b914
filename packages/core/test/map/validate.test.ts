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
class Audit {
  @Min(1)
  @Field({ type: 'u32', tag: 'json:"-"' })
  revision!: number;
  @MinLength(1)
  @Field({ type: 'str', size: 8, tag: 'json:by' })
  by!: string;
}

/** Fields tagged '-' for json keep their values through fromMap; their rules still apply. */
@Struct()
class Ticket {
  @IsInt()
  @Min(1)
  @Field({ type: 'u32', tag: 'json:"-"' })
  version!: number;
  @MinLength(3)
  @Field({ type: 'str', size: 16, tag: 'json:"-"' })
  secret!: string;
  @Max(100)
  @Field({ type: 'u8', tag: 'json:priority' })
  priority!: number;
  @ValidateNested()
  @Field({ type: Audit, tag: 'json:audit' })
  audit!: Audit;
  @ValidateNested()
  @Field({ type: Audit, tag: 'json:"-"' })
  hidden!: Audit;
  @ValidateNested({ each: true })
  @Field({ type: Audit, length: 2, tag: 'json:history' })
  history!: Audit[];
}

@Struct()
class Unruled {
  @Field({ type: 'i32' }) n!: number;
}

const good = { age: 30, nick: 'ada', email: 'ada@example.com', limits: { retries: 3 } };

/** A class whose prototype has an accessor under a field's name: the rules must still see the map's value. */
@Struct()
class Gauge {
  @Max(10)
  @Field({ type: 'u8', tag: 'json:level' })
  level!: number;
}
Object.defineProperty(Gauge.prototype, 'level', { get: () => 999, configurable: true });

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

  it('runs the structural checks before the rules (issue 11: "2" is a TYPE_MISMATCH, not a range message)', () => {
    const { member, bytes } = setup();
    const before = bytes.slice();
    expect(() => fromMap(member, { ...good, age: '30' }, { tag: 'json', validate: true })).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH', field: 'age' }));
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

describe.each([true, false])('validate_sees_fields_tagged_dash_with_their_current_values (codegen %s)', (codegen) => {
  const map = { priority: 5, audit: { by: 'ann' }, history: [{ by: 'bob' }, { by: 'cy' }] };
  const setup = (): { ticket: Ticket; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Ticket));
    const ticket = view(Ticket, buffer, 0, { codegen });
    ticket.version = 2;
    ticket.secret = 'hunter2';
    ticket.audit.revision = 1;
    ticket.hidden.revision = 4;
    ticket.hidden.by = 'dee';
    for (const entry of ticket.history) entry.revision = 3;
    return { ticket, bytes: new Uint8Array(buffer) };
  };

  for (const partial of [false, true]) {
    it(`accepts a map when the '-' fields' current values obey their rules (partial ${partial})`, () => {
      const { ticket } = setup();
      fromMap(ticket, map, { tag: 'json', validate: true, partial, codegen });
      expect(toMap(ticket, { tag: 'json' })).toEqual(map);
      expect([ticket.version, ticket.secret, ticket.hidden.by, ticket.history[1]!.revision]).toEqual([2, 'hunter2', 'dee', 3]);
    });
  }

  it.each([
    ['version', (t: Ticket) => (t.version = 0), 'version'],
    ['secret', (t: Ticket) => (t.secret = 'ab'), 'secret'],
    ['audit.revision', (t: Ticket) => (t.audit.revision = 0), 'audit.revision'],
    ['hidden.by', (t: Ticket) => (t.hidden.by = ''), 'hidden.by'],
    ['history.1.revision', (t: Ticket) => (t.history[1]!.revision = 0), 'history.1.revision'],
  ])("refuses when the record would keep a '-' field (%s) its rules refuse, writing nothing", (_, spoil, path) => {
    const { ticket, bytes } = setup();
    spoil(ticket);
    const before = bytes.slice();
    expect(() => fromMap(ticket, map, { tag: 'json', validate: true, codegen })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: path }));
    expect(bytes).toEqual(before);
  });
});

describe('validate: true on a class with an accessor named like a field', () => {
  it("judges the map's value, not the prototype accessor's", () => {
    const buffer = new ArrayBuffer(sizeof(Gauge));
    const gauge = view(Gauge, buffer);
    fromMap(gauge, { level: 5 }, { tag: 'json', validate: true });
    expect(toMap(gauge, { tag: 'json' })).toEqual({ level: 5 });
    const before = new Uint8Array(buffer).slice();
    let error: unknown;
    try {
      fromMap(gauge, { level: 50 }, { tag: 'json', validate: true });
    } catch (e) {
      error = e;
    }
    expect((error as ValueError).code).toBe('VALIDATION_FAILED');
    expect(new Uint8Array(buffer)).toEqual(before);
  });
});
