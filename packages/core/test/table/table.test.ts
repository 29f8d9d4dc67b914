// Shared tables in one thread: snapshots, transactions and the three conflict policies, update
// retries, change notification, and the stuck-writer timeout with its recovery.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { ConflictError, createTable, StructSyncError, Transaction, ValueError } from '@structsync/core';
import { Account, bytesOf, thrownBy, versionWord } from '../support/table-structs.js';
import { allocationsOf } from '../support/gc-count.js';

function fresh(timeout = 50) {
  const table = createTable(Account, { capacity: 4, timeout });
  table.update(1, (a) => {
    a.id = 7n;
    a.name = 'alice';
    a.balance = 100;
    a.score = 1.5;
    a.flags = 1;
    a.level = 2;
  });
  return table;
}

describe('read', () => {
  it('returns a snapshot that is an instance of the struct and does not follow later commits', () => {
    const table = fresh();
    const snap = table.read(1);
    expect(snap).toBeInstanceOf(Account);
    expect([snap.id, snap.name, snap.balance, snap.score, snap.flags, snap.level]).toEqual([7n, 'alice', 100, 1.5, 1, 2]);
    table.update(1, (a) => void (a.balance = 5));
    expect(snap.balance).toBe(100);
    expect(table.read(1).balance).toBe(5);
  });

  it('refills the view it is given and returns it', () => {
    const table = fresh();
    const snap = table.read(0);
    expect(snap.name).toBe('');
    expect(table.read(1, snap)).toBe(snap);
    expect(snap.name).toBe('alice');
    const { version, record } = table.snapshot(1, snap);
    expect([version, record]).toEqual([2, snap]);
  });

  it('read(i, into) and update() allocate nothing: no GC and no heap growth over 200k calls', async () => {
    const table = fresh();
    const snap = table.read(1);
    let value = 0;
    const bump = (a: Account): void => void (a.balance = value++ & 0xffff);
    const measure = (op: () => void) =>
      allocationsOf(() => {
        for (let i = 0; i < 200_000; i++) op();
      });
    // 16 bytes per call would be 3.2 MB and several scavenges.
    for (const op of [() => void table.read(1, snap), () => void table.update(1, bump)]) {
      const { gcs, heapGrowth } = await measure(op);
      expect(gcs).toBe(0);
      expect(heapGrowth).toBeLessThan(512 * 1024);
    }
  });

  it('writes to a snapshot do not reach the table', () => {
    const table = fresh();
    const before = bytesOf(table);
    table.read(1).balance = 1;
    expect(bytesOf(table)).toEqual(before);
  });

  it('refuses a record index out of bounds without touching the table', () => {
    const table = fresh();
    const before = bytesOf(table);
    for (const bad of [-1, 4, 1.5, Number.NaN]) {
      expect(() => table.read(bad)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS', struct: 'Account' }));
      expect(() => table.update(bad, (a) => void (a.balance = 1))).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
    }
    expect(bytesOf(table)).toEqual(before);
  });
});

describe('interpreted accessors', () => {
  it('tables work the same with codegen: false (no new Function)', () => {
    const table = createTable(Account, { capacity: 2, codegen: false });
    const tx = table.begin(0);
    tx.view.name = 'plain';
    tx.view.level = 9;
    tx.commit();
    table.update(0, (a) => void (a.balance -= 4));
    const snap = table.read(0);
    expect([snap.name, snap.level, snap.balance, snap instanceof Account]).toEqual(['plain', 9, -4, true]);
    expect(table.lastCommit(0).fields).toEqual(['balance']);
  });
});

describe('transactions', () => {
  it('commit publishes the next even version and records the fields it wrote', () => {
    const table = fresh();
    const tx = table.begin(1);
    expect(tx).toBeInstanceOf(Transaction);
    expect(tx.startVersion).toBe(2);
    tx.view.balance = 150;
    tx.view.name = 'bob';
    expect(tx.changedFields()).toEqual(['name', 'balance']);
    expect(tx.commit()).toBe(4);
    expect([tx.state, tx.committedVersion, tx.publishedOverSnapshot]).toEqual(['committed', 4, true]);
    expect(table.version(1)).toBe(4);
    expect(table.lastCommit(1)).toEqual({ version: 4, fields: ['name', 'balance'] });
    expect(table.read(1).name).toBe('bob');
  });

  it('a commit without changes writes nothing and keeps the version', () => {
    const table = fresh();
    const before = bytesOf(table);
    expect(table.begin(1).commit()).toBe(2);
    expect(bytesOf(table)).toEqual(before);
  });

  it('a transaction commits once', () => {
    const table = fresh();
    const tx = table.begin(1);
    tx.view.balance = 1;
    tx.commit();
    const before = bytesOf(table);
    expect(() => tx.commit()).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(bytesOf(table)).toEqual(before);
  });

  it('refuses an unknown conflict policy before locking anything', () => {
    const table = fresh();
    const tx = table.begin(1);
    tx.view.balance = 1;
    const before = bytesOf(table);
    expect(() => tx.commit({ onConflict: 'ignore' as 'merge' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(bytesOf(table)).toEqual(before);
  });

  it('reject: a same-field race throws ConflictError naming fields and versions, and writes nothing', () => {
    const table = fresh();
    const first = table.begin(1);
    const second = table.begin(1);
    first.view.balance = 200;
    first.view.flags = 9;
    first.commit();
    second.view.balance = 300;
    second.view.flags = 1; // the snapshot's value: not a change, so not a conflict
    second.view.level = 5;
    const before = bytesOf(table);
    const caught = thrownBy(() => second.commit());
    expect(caught).toBeInstanceOf(ConflictError);
    const conflict = caught as ConflictError;
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.fields).toEqual(['balance']);
    expect([conflict.expectedVersion, conflict.actualVersion]).toEqual([2, 4]);
    expect(conflict.message).toBe(
      "Account record 1: another commit wrote balance (written at version 4) after this transaction's snapshot at version 2; " +
        'the record is at version 4 and nothing was written',
    );
    expect(second.state).toBe('conflicted');
    expect(bytesOf(table)).toEqual(before);
    expect(table.read(1).balance).toBe(200);
  });

  it('reject: disjoint fields commit on top of each other, both survive (also inside one shared word)', () => {
    const table = fresh();
    const first = table.begin(1);
    const second = table.begin(1);
    first.view.flags = 0xaa; // flags and level share a 32-bit word
    first.view.name = 'carol';
    first.commit();
    second.view.level = 0x55;
    second.view.score = -2.25;
    expect(second.commit()).toBe(6);
    expect(second.publishedOverSnapshot).toBe(false);
    const r = table.read(1);
    expect([r.name, r.flags, r.level, r.score, r.balance]).toEqual(['carol', 0xaa, 0x55, -2.25, 100]);
  });

  it('merge: disjoint fields both survive; on a shared field the later commit wins', () => {
    const table = fresh();
    const first = table.begin(1);
    const second = table.begin(1);
    first.view.balance = 1;
    first.view.flags = 3;
    first.commit({ onConflict: 'merge' });
    second.view.balance = 2;
    second.view.level = 4;
    second.commit({ onConflict: 'merge' });
    const r = table.read(1);
    expect([r.balance, r.flags, r.level, r.name]).toEqual([2, 3, 4, 'alice']);
    expect(table.lastCommit(1).fields).toEqual(['balance', 'level']);
  });

  it('overwrite: the record becomes exactly the transaction view', () => {
    const table = fresh();
    const first = table.begin(1);
    const second = table.begin(1);
    first.view.name = 'dave';
    first.commit();
    second.view.balance = 7;
    second.commit({ onConflict: 'overwrite' });
    const r = table.read(1);
    expect([r.name, r.balance]).toEqual(['alice', 7]);
    expect(table.lastCommit(1).fields).toEqual(['id', 'name', 'balance', 'score', 'flags', 'level']);
  });

  it('a bad value in a transaction view throws at the setter and the table is unchanged', () => {
    const table = fresh();
    const before = bytesOf(table);
    const tx = table.begin(1);
    expect(() => {
      tx.view.balance = 1.5;
    }).toThrow(expect.objectContaining({ code: 'NOT_INTEGER', message: 'Account.balance: 1.5 is not an integer (i32)' }));
    expect(bytesOf(table)).toEqual(before);
  });
});

describe('diagnostics channels', () => {
  it('publishes structsync:commit, structsync:conflict and structsync:recover while someone subscribes', () => {
    const table = fresh();
    const events: [string, unknown][] = [];
    const onCommit = (message: unknown): void => void events.push(['commit', message]);
    const onConflict = (message: unknown): void => void events.push(['conflict', message]);
    subscribe('structsync:commit', onCommit);
    subscribe('structsync:conflict', onConflict);
    try {
      const loser = table.begin(1);
      table.update(1, (a) => void (a.balance = 1), { onConflict: 'merge' });
      loser.view.balance = 2;
      expect(() => loser.commit()).toThrow(ConflictError);
    } finally {
      unsubscribe('structsync:commit', onCommit);
      unsubscribe('structsync:conflict', onConflict);
    }
    table.update(1, (a) => void (a.balance = 3));
    const recovered: unknown[] = [];
    const onRecover = (message: unknown): void => void recovered.push(message);
    subscribe('structsync:recover', onRecover);
    table.records.lock(1);
    table.recover(1);
    unsubscribe('structsync:recover', onRecover);
    expect(recovered).toEqual([
      { struct: 'Account', record: 1, stuckVersion: 7, version: 10, generation: 1, writerThread: 0, suspectFields: ['balance'] },
    ]);
    expect(events).toEqual([
      ['commit', { struct: 'Account', record: 1, version: 4, previousVersion: 2, fields: ['balance'], policy: 'merge', retries: 0, duration: expect.any(Number) }],
      ['conflict', { struct: 'Account', record: 1, fields: ['balance'], expectedVersion: 2, actualVersion: 4 }],
    ]);
  });
});

describe('update', () => {
  it('retries after a conflict, running the change again on a fresh snapshot', () => {
    const table = fresh();
    let runs = 0;
    table.update(1, (a) => {
      runs++;
      if (runs === 1) {
        // Another commit to the same field lands between this snapshot and its commit.
        const other = table.begin(1);
        other.view.balance += 10;
        other.commit();
      }
      a.balance += 1;
    });
    expect(runs).toBe(2);
    expect(table.read(1).balance).toBe(111);
  });

  it('rethrows the ConflictError after maxRetries', () => {
    const table = fresh();
    let runs = 0;
    const race = (a: Account): void => {
      runs++;
      const other = table.begin(1);
      other.view.balance += 10;
      other.commit();
      a.balance += 1;
    };
    expect(() => table.update(1, race, { maxRetries: 2 })).toThrow(ConflictError);
    expect(runs).toBe(3);
    expect(table.read(1).balance).toBe(130);
    expect(() => table.update(1, race, { maxRetries: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('leaves the record untouched when the change throws', () => {
    const table = fresh();
    const before = bytesOf(table);
    expect(() =>
      table.update(1, (a) => {
        a.balance = 5;
        throw new RangeError('no');
      }),
    ).toThrow(RangeError);
    expect(bytesOf(table)).toEqual(before);
    table.update(1, (a) => void (a.balance = 6));
    expect(table.read(1).balance).toBe(6);
  });
});

describe('update with an async change', () => {
  it('throws INVALID_INPUT and commits nothing, whether the change writes before or after its first await', async () => {
    const table = fresh();
    const before = bytesOf(table);
    const late = thrownBy(() =>
      table.update(1, async (a) => {
        await Promise.resolve();
        a.balance = 5;
      }),
    );
    expect(late).toBeInstanceOf(ValueError);
    expect(late).toMatchObject({ code: 'INVALID_INPUT', struct: 'Account' });
    const early = thrownBy(() =>
      table.update(1, async (a) => {
        a.balance = 6;
      }),
    );
    expect(early).toMatchObject({ code: 'INVALID_INPUT' });
    const rejecting = thrownBy(() =>
      table.update(1, async () => {
        throw new RangeError('marked handled, not an unhandled rejection');
      }),
    );
    expect(rejecting).toMatchObject({ code: 'INVALID_INPUT' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(bytesOf(table)).toEqual(before);
    expect(table.update(1, (a) => void (a.balance = 7))).toBe(4);
    expect(table.read(1).balance).toBe(7);
  });
});

describe('change notification', () => {
  it('waitForChange resolves with the version of the next commit', async () => {
    const table = fresh();
    const waiting = table.waitForChange(1, 2, { timeout: 2000 });
    setTimeout(() => table.update(1, (a) => void (a.balance = 3)), 5);
    expect(await waiting).toBe(4);
    expect(await table.waitForChange(1, 2)).toBe(4); // already moved: resolves at once
  });

  it('waitForChange rejects with TIMEOUT, and with the reason when aborted', async () => {
    const table = fresh();
    await expect(table.waitForChange(1, -2)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(table.waitForChange(1, 2 ** 32)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(table.waitForChange(1, 2, { timeout: 10 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const controller = new AbortController();
    const waiting = table.waitForChange(1, 2, { signal: controller.signal });
    controller.abort(new RangeError('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('watch yields each change with the fields its commit wrote, and ends on abort', async () => {
    const table = fresh();
    const controller = new AbortController();
    const seen: [number, number, readonly string[]][] = [];
    const watching = (async () => {
      for await (const change of table.watch(1, { signal: controller.signal })) {
        seen.push([change.version, change.record.balance, change.fields]);
        if (seen.length === 2) controller.abort();
      }
    })();
    setTimeout(() => {
      table.update(1, (a) => void (a.balance = 10));
      setTimeout(() => table.update(1, (a) => void (a.name = 'x')), 5);
    }, 5);
    await watching;
    expect(seen).toEqual([
      [4, 10, ['balance']],
      [6, 10, ['name']],
    ]);
  });
});

describe('a writer stuck mid-commit', () => {
  it('readers, writers and waiters fail with COMMIT_TIMEOUT within the bound; recover restores service', async () => {
    const table = fresh(30);
    // Simulate a writer that died after taking the lock and writing half of its commit.
    const tx = table.begin(1);
    tx.view.balance = 999;
    const { words, at } = versionWord(table, 1);
    table.records.lock(1);
    table.records.storeDirty(at, new Int32Array([0b100]));
    expect(table.version(1)).toBe(3);

    const started = performance.now();
    expect(() => table.read(1)).toThrow(
      expect.objectContaining({
        code: 'COMMIT_TIMEOUT',
        message: 'Account record 1: a commit by the main thread has held version 3 for more than 30 ms; if that writer died mid-commit, call table.recover(1)',
      }),
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(29);
    expect(elapsed).toBeLessThan(1000);
    expect(() => tx.commit()).toThrow(expect.objectContaining({ code: 'COMMIT_TIMEOUT' }));
    await expect(table.waitForChange(1, 2)).rejects.toMatchObject({ code: 'COMMIT_TIMEOUT' });

    const report = table.recover(1, {
      repair: (record, suspect) => {
        expect(suspect).toEqual(['balance']);
        record.balance = 0;
      },
    });
    expect(report).toEqual({ stuckVersion: 3, version: 6, generation: 1, writerThread: 0, suspectFields: ['balance'] });
    expect(Atomics.load(words, at)).toBe(6);
    expect(table.generation(1)).toBe(1);
    expect(table.read(1).balance).toBe(0);
    expect(table.recover(1)).toBeUndefined();
    table.update(1, (a) => void (a.balance += 5));
    expect(table.read(1).balance).toBe(5);
  });

  it('a repair that throws publishes nothing: the record is left exactly as found, the error is rethrown, recover works again', () => {
    const table = fresh(30);
    const { at } = versionWord(table, 1);
    table.records.lock(1);
    table.records.storeDirty(at, new Int32Array([0b100]));
    const before = bytesOf(table);
    const caught = thrownBy(() =>
      table.recover(1, {
        repair: (record) => {
          record.balance = 5;
          throw new RangeError('cannot repair');
        },
      }),
    );
    expect(caught).toBeInstanceOf(StructSyncError);
    expect(caught).toMatchObject({ code: 'INVALID_STATE', struct: 'Account', cause: expect.any(RangeError) });
    expect(bytesOf(table)).toEqual(before);
    // A StructSyncError from the repair (a bad value for a field) is rethrown as is.
    const bad = thrownBy(() => table.recover(1, { repair: (record) => void (record.balance = 1.5) }));
    expect(bad).toMatchObject({ code: 'NOT_INTEGER', field: 'balance' });
    expect(bytesOf(table)).toEqual(before);
    expect(table.version(1)).toBe(3);
    const report = table.recover(1, { repair: (record) => void (record.balance = 0) });
    expect(report).toMatchObject({ stuckVersion: 3, version: 6, generation: 1, suspectFields: ['balance'] });
    expect(table.read(1).balance).toBe(0);
  });

  it('fields a repair changes beyond the suspect ones count as written: an earlier transaction on them conflicts', () => {
    const table = fresh(30);
    const { at } = versionWord(table, 1);
    const earlier = table.begin(1);
    table.records.lock(1);
    table.records.storeDirty(at, new Int32Array([0b100])); // the dead commit was writing balance
    table.recover(1, {
      repair: (record) => {
        record.balance = 0;
        record.level = 9; // not suspect, but repaired too
      },
    });
    expect(table.lastCommit(1)).toEqual({ version: 6, fields: ['balance', 'level'] });
    earlier.view.level = 1;
    const before = bytesOf(table);
    expect(thrownBy(() => earlier.commit())).toMatchObject({ code: 'CONFLICT', fields: ['level'] });
    expect(bytesOf(table)).toEqual(before);
    expect(table.read(1).level).toBe(9);
  });

  it('recover() called from inside a repair is INVALID_STATE; the record is left as found, the version never goes back', () => {
    const table = fresh(30);
    table.records.lock(1);
    const before = bytesOf(table);
    const caught = thrownBy(() => table.recover(1, { repair: () => void table.recover(1) }));
    expect(caught).toMatchObject({ code: 'INVALID_STATE', struct: 'Account' });
    expect(bytesOf(table)).toEqual(before);
    expect(table.recover(1)).toMatchObject({ stuckVersion: 3, version: 6 });
  });

  it('a recovery taken over by another one while repairing publishes nothing over it', () => {
    const table = fresh(30);
    const { words, at } = versionWord(table, 1);
    table.records.lock(1);
    // Every byte of record 1 but its version word (taken over below).
    const record = (): Uint8Array => bytesOf(table).slice(at * 4 + 4, at * 4 + table.records.geometry.stride);
    const before = record();
    const caught = thrownBy(() =>
      table.recover(1, {
        repair: (account) => {
          account.balance = 1;
          Atomics.add(words, at, 2); // as another thread's recover() would: the odd version moves on
        },
      }),
    );
    expect(caught).toMatchObject({ code: 'INVALID_STATE', struct: 'Account' });
    expect(Atomics.load(words, at)).toBe(7);
    expect(record()).toEqual(before);
  });

  it('a writer whose record was recovered under it cannot publish over the repair', () => {
    const table = fresh(30);
    const { at } = versionWord(table, 1);
    const lockedFrom = table.records.lock(1);
    table.recover(1);
    expect(() => table.records.publish(1, at, lockedFrom)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(table.version(1)).toBe(6);
  });

  it('a transaction begun before the recovery conflicts on the suspect fields', () => {
    const table = fresh(30);
    const { at } = versionWord(table, 1);
    const before = table.begin(1);
    table.records.lock(1);
    table.records.storeDirty(at, new Int32Array([0b100]));
    table.recover(1);
    before.view.balance = 1;
    expect(() => before.commit()).toThrow(expect.objectContaining({ code: 'CONFLICT', fields: ['balance'] }));
  });
});
