// bind(): a plain object kept in sync with a shared record through the explicit state machine.
// Every legal transition is exercised; the last test checks that none was left out.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, describe, expect, it } from 'vitest';
import { bind, ConflictError, createTable, Field, Struct, StructSyncError, type BindTransition } from '@structsync/core';
import { Account, bytesOf, thrownBy, versionWord } from '../support/table-structs.js';

const seen = new Set<string>();

function setup(timeout = 50) {
  const table = createTable(Account, { capacity: 2, timeout });
  table.update(0, (a) => {
    a.id = 1n;
    a.name = 'ann';
    a.balance = 10;
  });
  const object: Record<string, unknown> = {};
  const transitions: string[] = [];
  const details: BindTransition[] = [];
  const binding = bind(object, table, 0, {
    onTransition: (t) => {
      transitions.push(`${t.from}>${t.to}`);
      details.push(t);
      seen.add(`${t.from}>${t.to}`);
    },
  });
  return { table, object, binding, transitions, details };
}

describe('bind', () => {
  it('starts IDLE and leaves the object alone until the first pull, which always refreshes', () => {
    const { object, binding, transitions } = setup();
    expect(binding.state).toBe('IDLE');
    expect(object).toEqual({});
    expect(binding.pull()).toBe(true);
    expect(object).toEqual({ id: 1n, name: 'ann', balance: 10, score: 0, flags: 0, level: 0 });
    expect(binding.pull()).toBe(false);
    expect(transitions).toEqual([]);
  });

  it('push: IDLE → PENDING_WRITE → ACK → COMMITTED, committing only the changed properties', () => {
    const { table, object, binding, transitions, details } = setup();
    binding.pull();
    object.balance = 11;
    object.name = 'anne';
    expect(binding.push()).toBe(true);
    expect(transitions).toEqual(['IDLE>PENDING_WRITE', 'PENDING_WRITE>ACK', 'ACK>COMMITTED']);
    expect(details.map((d) => [d.version, d.fields])).toEqual([
      [2, ['name', 'balance']],
      [4, ['name', 'balance']],
      [4, ['name', 'balance']],
    ]);
    expect([binding.state, binding.version]).toEqual(['COMMITTED', 4]);
    expect(table.lastCommit(0)).toEqual({ version: 4, fields: ['name', 'balance'] });
    expect(table.read(0)).toMatchObject({ name: 'anne', balance: 11 });
  });

  it('publishes each transition on structsync:bind while someone subscribes', () => {
    const { object, binding } = setup();
    const events: unknown[] = [];
    const listener = (message: unknown): void => void events.push(message);
    binding.pull();
    object.level = 4;
    subscribe('structsync:bind', listener);
    try {
      binding.push();
    } finally {
      unsubscribe('structsync:bind', listener);
    }
    expect(events).toEqual([
      { struct: 'Account', record: 0, from: 'IDLE', to: 'PENDING_WRITE', version: 2, fields: ['level'] },
      { struct: 'Account', record: 0, from: 'PENDING_WRITE', to: 'ACK', version: 4, fields: ['level'] },
      { struct: 'Account', record: 0, from: 'ACK', to: 'COMMITTED', version: 4, fields: ['level'] },
    ]);
  });

  it('push without changes commits nothing and makes no transition', () => {
    const { table, binding, transitions } = setup();
    binding.pull();
    const before = bytesOf(table);
    expect(binding.push()).toBe(false);
    expect(transitions).toEqual([]);
    expect(bytesOf(table)).toEqual(before);
  });

  it('push without changes from COMMITTED is a no-op: no transition, the state stays COMMITTED', () => {
    const { table, object, binding, transitions } = setup();
    binding.pull();
    object.balance = 12;
    binding.push();
    const before = bytesOf(table);
    const count = transitions.length;
    expect(binding.push()).toBe(false);
    expect([binding.state, binding.version]).toEqual(['COMMITTED', 4]);
    expect(transitions.length).toBe(count);
    expect(bytesOf(table)).toEqual(before);
    object.balance = 1.5; // a bad value: refused before any transition
    expect(() => binding.push()).toThrow(expect.objectContaining({ code: 'NOT_INTEGER' }));
    expect([binding.state, transitions.length]).toEqual(['COMMITTED', count]);
    expect(bytesOf(table)).toEqual(before);
  });

  it('COMMITTED → IDLE on the next pull or push; pull refreshes only when the version moved', () => {
    const { table, object, binding, transitions } = setup();
    binding.pull();
    object.balance = 12;
    binding.push();
    expect(binding.pull()).toBe(false);
    expect(binding.state).toBe('IDLE');
    table.update(0, (a) => void (a.level = 3));
    expect(binding.pull()).toBe(true);
    expect(object.level).toBe(3);
    object.flags = 1;
    binding.push();
    object.flags = 2;
    binding.push();
    expect(transitions).toEqual([
      'IDLE>PENDING_WRITE', 'PENDING_WRITE>ACK', 'ACK>COMMITTED', 'COMMITTED>IDLE',
      'IDLE>PENDING_WRITE', 'PENDING_WRITE>ACK', 'ACK>COMMITTED',
      'COMMITTED>IDLE', 'IDLE>PENDING_WRITE', 'PENDING_WRITE>ACK', 'ACK>COMMITTED',
    ]);
  });

  it('a disjoint commit by someone else survives a push, and the object takes it in', () => {
    const { table, object, binding } = setup();
    binding.pull();
    table.update(0, (a) => void (a.score = 2.5));
    object.balance = 99;
    expect(binding.push()).toBe(true);
    expect(table.read(0)).toMatchObject({ balance: 99, score: 2.5 });
    expect(object).toMatchObject({ balance: 99, score: 2.5 });
    expect(binding.version).toBe(table.version(0));
  });

  it('PENDING_WRITE → CONFLICT on a same-field race: ConflictError, nothing written, push refused until resolved', () => {
    const { table, object, binding, transitions, details } = setup();
    binding.pull();
    table.update(0, (a) => void (a.balance = 50));
    object.balance = 20;
    const before = bytesOf(table);
    expect(() => binding.push()).toThrow(ConflictError);
    expect(bytesOf(table)).toEqual(before);
    expect(binding.state).toBe('CONFLICT');
    expect(binding.conflict).toMatchObject({ fields: ['balance'], expectedVersion: 2, actualVersion: 4 });
    expect(transitions).toEqual(['IDLE>PENDING_WRITE', 'PENDING_WRITE>CONFLICT']);
    expect(details[1]).toEqual({ from: 'PENDING_WRITE', to: 'CONFLICT', version: 4, fields: ['balance'] });
    expect(() => binding.push()).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(bytesOf(table)).toEqual(before);
  });

  it("CONFLICT → IDLE by pull(): the record's values win", () => {
    const { table, object, binding, transitions } = setup();
    binding.pull();
    table.update(0, (a) => void (a.balance = 50));
    object.balance = 20;
    expect(() => binding.push()).toThrow(ConflictError);
    expect(binding.resolve('theirs')).toBe(true);
    expect([binding.state, binding.conflict, object.balance]).toEqual(['IDLE', undefined, 50]);
    expect(transitions.at(-1)).toBe('CONFLICT>IDLE');
  });

  it("CONFLICT → IDLE → PENDING_WRITE → ACK → COMMITTED by resolve('mine'): the object's values win", () => {
    const { table, object, binding, transitions } = setup();
    binding.pull();
    table.update(0, (a) => {
      a.balance = 50;
      a.name = 'other';
    });
    object.balance = 20;
    expect(() => binding.push()).toThrow(ConflictError);
    expect(binding.resolve('mine')).toBe(true);
    expect(transitions.slice(2)).toEqual(['CONFLICT>IDLE', 'IDLE>PENDING_WRITE', 'PENDING_WRITE>ACK', 'ACK>COMMITTED']);
    expect(table.read(0)).toMatchObject({ balance: 20, name: 'other' });
    expect(object).toMatchObject({ balance: 20, name: 'other' });
    expect(() => binding.resolve('mine')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('PENDING_WRITE → IDLE when the commit fails otherwise (a stuck writer): the error is rethrown', () => {
    const { table, object, binding, transitions } = setup(20);
    binding.pull();
    table.records.lock(0); // a writer that died holding the record
    object.balance = 1;
    expect(() => binding.push()).toThrow(expect.objectContaining({ code: 'COMMIT_TIMEOUT' }));
    expect([binding.state, transitions]).toEqual(['IDLE', ['IDLE>PENDING_WRITE', 'PENDING_WRITE>IDLE']]);
    // Recovery marks the fields of the last commit as rewritten: the binding's snapshot is stale.
    table.recover(0);
    expect(() => binding.push()).toThrow(ConflictError);
    binding.pull();
    object.balance = 1;
    expect(binding.push()).toBe(true);
    expect(table.read(0).balance).toBe(1);
    const { words, at } = versionWord(table, 0);
    expect(Atomics.load(words, at)).toBe(binding.version);
  });

  it('a bad property value throws a ValueError before anything is written; the state stays IDLE', () => {
    const { table, object, binding, transitions } = setup();
    binding.pull();
    object.balance = 1.5;
    const before = bytesOf(table);
    expect(() => binding.push()).toThrow(expect.objectContaining({ code: 'NOT_INTEGER', field: 'balance' }));
    expect([binding.state, transitions]).toEqual(['IDLE', []]);
    expect(bytesOf(table)).toEqual(before);
  });

  it('a pull that fails midway keeps the baseline: the next push does not revert what another writer committed', () => {
    const { table, object, binding } = setup();
    binding.pull();
    table.update(0, (a) => {
      a.flags = 7;
      a.level = 3;
    });
    // The object refuses `flags` (written before `level`): the pull stops midway.
    let refuse = true;
    let flags = 0;
    Object.defineProperty(object, 'flags', {
      get: () => flags,
      set: (value: number) => {
        if (refuse) throw new RangeError('flags are read-only here');
        flags = value;
      },
      enumerable: true,
      configurable: true,
    });
    const before = bytesOf(table);
    const caught = thrownBy(() => binding.pull());
    expect(caught).toBeInstanceOf(StructSyncError);
    expect(caught).toMatchObject({ code: 'INVALID_OPTION', struct: 'Account', cause: expect.any(RangeError) });
    expect(bytesOf(table)).toEqual(before);
    expect([binding.version, object.level]).toEqual([2, 0]);
    refuse = false;
    object.balance = 99;
    expect(binding.push()).toBe(true);
    expect(table.read(0)).toMatchObject({ balance: 99, flags: 7, level: 3 });
    expect(object).toMatchObject({ balance: 99, flags: 7, level: 3 });
  });

  it('a push whose refresh fails after the commit ends COMMITTED, rethrows, and pushes nothing back', () => {
    const { table, object, binding, transitions } = setup();
    binding.pull();
    table.update(0, (a) => void (a.score = 2.5)); // a disjoint commit the push will take in
    Object.defineProperty(object, 'score', {
      get: () => 0,
      set: () => {
        throw new RangeError('no scores');
      },
      enumerable: true,
      configurable: true,
    });
    object.balance = 99;
    const caught = thrownBy(() => binding.push());
    expect(caught).toBeInstanceOf(StructSyncError);
    expect(caught).toMatchObject({ code: 'INVALID_OPTION', cause: expect.any(RangeError) });
    expect(binding.state).toBe('COMMITTED');
    expect(transitions).toEqual(['IDLE>PENDING_WRITE', 'PENDING_WRITE>ACK', 'ACK>COMMITTED']);
    expect(table.read(0)).toMatchObject({ balance: 99, score: 2.5 });
    const before = bytesOf(table);
    expect(binding.push()).toBe(false); // its own values are not pushed again, score is not reverted
    expect(bytesOf(table)).toEqual(before);
  });

  it('an onTransition that throws does not leave the binding halfway: the push completes, then rethrows', () => {
    const table = createTable(Account, { capacity: 1 });
    const object: Record<string, unknown> = {};
    let throwOn: string | undefined = 'PENDING_WRITE';
    const binding = bind(object, table, 0, {
      onTransition: (t) => {
        if (t.to === throwOn) throw new RangeError(`listener failed at ${t.to}`);
      },
    });
    binding.pull();
    object.balance = 5;
    expect(() => binding.push()).toThrow('listener failed at PENDING_WRITE');
    expect([binding.state, table.read(0).balance, binding.version]).toEqual(['COMMITTED', 5, 2]);
    throwOn = undefined;
    object.balance = 6;
    expect(binding.push()).toBe(true);
    expect([binding.state, table.read(0).balance]).toEqual(['COMMITTED', 6]);
  });

  it("resolve() refuses a strategy other than 'theirs' or 'mine' without committing", () => {
    const { table, object, binding } = setup();
    binding.pull();
    table.update(0, (a) => void (a.balance = 50));
    object.balance = 20;
    expect(() => binding.push()).toThrow(ConflictError);
    const before = bytesOf(table);
    expect(thrownBy(() => binding.resolve('ours' as 'mine'))).toMatchObject({ code: 'INVALID_INPUT', struct: 'Account' });
    expect([binding.state, bytesOf(table)]).toEqual(['CONFLICT', before]);
  });

  it('refuses pull/push from inside onTransition', () => {
    const table = createTable(Account, { capacity: 1 });
    const object: Record<string, unknown> = { balance: 3 };
    let inner: unknown;
    const binding = bind(object, table, 0, {
      onTransition: () => {
        try {
          binding.pull();
        } catch (error) {
          inner ??= error;
        }
      },
    });
    binding.push();
    expect(inner).toMatchObject({ code: 'INVALID_STATE' });
    expect(table.read(0).balance).toBe(3);
  });

  it('keys the object by the tag it is given, and ignores properties that are not fields', () => {
    @Struct()
    class Profile {
      @Field({ type: 'i32', tag: 'json:"user_age"' }) age!: number;
      @Field({ type: 'str', size: 8, tag: 'json:"nick"' }) name!: string;
    }
    const table = createTable(Profile, { capacity: 1 });
    const object: Record<string, unknown> = { user_age: 30, nick: 'zed', note: 'not a field' };
    const binding = bind(object, table, 0, { tag: 'json' });
    expect(binding.push()).toBe(true);
    expect(table.read(0)).toMatchObject({ age: 30, name: 'zed' });
    table.update(0, (p) => void (p.age = 31));
    binding.pull();
    expect(object).toEqual({ user_age: 31, nick: 'zed', note: 'not a field' });
  });
});

afterAll(() => {
  // Every edge of the state machine was taken by some test above.
  expect([...seen].sort()).toEqual(
    [
      'IDLE>PENDING_WRITE',
      'PENDING_WRITE>ACK',
      'PENDING_WRITE>CONFLICT',
      'PENDING_WRITE>IDLE',
      'ACK>COMMITTED',
      'COMMITTED>IDLE',
      'CONFLICT>IDLE',
    ].sort(),
  );
});
