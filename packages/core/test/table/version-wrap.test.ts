// Version words are u32 counters that wrap: commits, snapshots and field-level conflict checks
// must stay right when a record's version passes 2^32.
import { describe, expect, it } from 'vitest';
import { ConflictError, createTable } from '@structsync/core';
import { writtenSince } from '../../src/table/record-version.js';
import { Account, thrownBy, versionWord } from '../support/table-structs.js';

/** A table whose record 0 sits at `version`, as if it had seen that many commits. */
function tableAt(version: number) {
  const table = createTable(Account, { capacity: 1 });
  const { words, at } = versionWord(table, 0);
  words[at] = version | 0;
  return table;
}

describe('writtenSince', () => {
  it('compares within the window (since, current], across the wrap', () => {
    expect(writtenSince(4, 2, 6)).toBe(true);
    expect(writtenSince(2, 2, 6)).toBe(false);
    expect(writtenSince(0, 2, 6)).toBe(false);
    expect(writtenSince(8, 2, 6)).toBe(false);
    const near = 0xfffffffc | 0;
    expect(writtenSince(0xfffffffe | 0, near, 2)).toBe(true);
    expect(writtenSince(0, near, 2)).toBe(true);
    expect(writtenSince(2, near, 2)).toBe(true);
    expect(writtenSince(near, near, 2)).toBe(false);
    // A stamp from long ago (just below `since` in wrapped order) is not newer.
    expect(writtenSince(0xfffffff0 | 0, near, 2)).toBe(false);
    expect(writtenSince(0x7ffffff0, 0x80000010 | 0, 0x80000020 | 0)).toBe(false);
  });
});

describe('a record near 2^32 commits', () => {
  it('publishes 0xfffffffe, then 0 and 2, and reports versions as u32', () => {
    const table = tableAt(0xfffffffc);
    expect(table.version(0)).toBe(0xfffffffc);
    expect(table.update(0, (a) => void (a.balance = 1))).toBe(0xfffffffe);
    expect(table.update(0, (a) => void (a.balance = 2))).toBe(0);
    expect(table.update(0, (a) => void (a.balance = 3))).toBe(2);
    expect(table.snapshot(0)).toMatchObject({ version: 2, record: { balance: 3 } });
  });

  it('detects a same-field conflict whose commits straddle the wrap', () => {
    const table = tableAt(0xfffffffe);
    const late = table.begin(0);
    expect(late.startVersion).toBe(0xfffffffe);
    table.update(0, (a) => void (a.balance = 10)); // → 0
    table.update(0, (a) => void (a.name = 'x')); // → 2
    late.view.balance = 20;
    const caught = thrownBy(() => late.commit());
    expect(caught).toBeInstanceOf(ConflictError);
    expect(caught).toMatchObject({ fields: ['balance'], expectedVersion: 0xfffffffe, actualVersion: 2 });
    expect(table.read(0).balance).toBe(10);
  });

  it('lets a disjoint commit through across the wrap, and does not mistake old stamps for new ones', () => {
    const table = tableAt(0xfffffff0);
    table.update(0, (a) => void (a.score = 1)); // score stamped 0xfffffff2
    const { words, at } = versionWord(table, 0);
    words[at] = 0xfffffffe | 0;
    const tx = table.begin(0);
    table.update(0, (a) => void (a.name = 'wrapped')); // → 0
    tx.view.score = 2; // stamped before the snapshot: no conflict
    tx.view.balance = 5;
    expect(tx.commit()).toBe(2);
    expect(table.read(0)).toMatchObject({ name: 'wrapped', score: 2, balance: 5 });
  });

  it('ages out stamps older than 2^30 versions when the version enters a new quarter of the range', () => {
    const table = tableAt(0x3ffffffc);
    const { words, at } = versionWord(table, 0);
    const stamps = at + table.records.geometry.stampWord;
    const balance = 2;
    words[stamps + balance] = 0x3ffffff0 - 2 ** 30; // written long ago, 2^30 + 16 versions back
    words[stamps + 0] = 0x20000000; // written 2^29 versions back: kept
    table.update(0, (a) => void (a.name = 'a')); // → 0x3ffffffe, same quarter: nothing aged
    expect(words[stamps + balance]).toBe(0x3ffffff0 - 2 ** 30);
    table.update(0, (a) => void (a.name = 'b')); // → 0x40000000: enters the next quarter
    expect([words[stamps + balance], words[stamps + 0]]).toEqual([1, 0x20000000]);
  });

  it('waitForChange sees a change across the wrap', async () => {
    const table = tableAt(0xfffffffe);
    const waiting = table.waitForChange(0, 0xfffffffe, { timeout: 2000 });
    setTimeout(() => table.update(0, (a) => void (a.level = 1)), 2);
    expect(await waiting).toBe(0);
  });

  it('watch reports u32 versions past 2^31 and keeps watching (its internal since stays a u32)', async () => {
    const table = tableAt(0x7ffffffe);
    const controller = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const change of table.watch(0, { signal: controller.signal })) {
        seen.push(change.version);
        if (seen.length === 2) controller.abort();
      }
    })();
    setTimeout(() => {
      table.update(0, (a) => void (a.level = 1)); // → 0x80000000
      setTimeout(() => table.update(0, (a) => void (a.level = 2)), 5); // → 0x80000002
    }, 5);
    await watching;
    expect(seen).toEqual([0x80000000, 0x80000002]);
    const late: number[] = [];
    for await (const change of table.watch(0, { since: 0x80000000 })) {
      late.push(change.version);
      break;
    }
    expect(late).toEqual([0x80000002]);
  });
});
