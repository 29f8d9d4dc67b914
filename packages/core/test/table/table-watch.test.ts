// watch()'s iterator protocol: return() and throw() end a next() that is still waiting, release
// the record's waiter count, and leave the iterator done; errors end the iteration.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createTable } from '@structsync/core';
import { Account, versionWord } from '../support/table-structs.js';

const RECORD_WAITERS = 2;

/** `promise`'s outcome, or 'pending' if it has not settled within `ms`. */
function within<V>(promise: Promise<V>, ms: number): Promise<V | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('watch iterator', () => {
  it('return() while next() waits: the pending next() resolves done, the waiter count drops back to 0', async () => {
    const table = createTable(Account, { capacity: 1 });
    const { words, at } = versionWord(table, 0);
    const changes = table.watch(0);
    const waiting = changes.next();
    await tick(10);
    expect(words[at + RECORD_WAITERS]).toBe(1);
    expect(await within(changes.return(), 1000)).toEqual({ value: undefined, done: true });
    expect(await within(waiting, 1000)).toEqual({ value: undefined, done: true });
    expect(words[at + RECORD_WAITERS]).toBe(0);
    table.update(0, (a) => void (a.balance = 1));
    expect(await within(changes.next(), 1000)).toEqual({ value: undefined, done: true });
  });

  it('throw() while next() waits: the pending next() resolves done and throw() rejects with the error', async () => {
    const table = createTable(Account, { capacity: 1 });
    const changes = table.watch(0);
    const waiting = changes.next();
    await tick(5);
    await expect(within(changes.throw(new RangeError('stop')), 1000)).rejects.toThrow('stop');
    expect(await within(waiting, 1000)).toEqual({ value: undefined, done: true });
  });

  it('next() calls are served in order, one change each', async () => {
    const table = createTable(Account, { capacity: 1 });
    const changes = table.watch(0);
    const first = changes.next();
    const second = changes.next();
    table.update(0, (a) => void (a.balance = 1));
    expect((await first).value).toMatchObject({ version: 2, fields: ['balance'] });
    table.update(0, (a) => void (a.level = 1));
    expect((await second).value).toMatchObject({ version: 4, fields: ['level'] });
    await changes.return();
  });

  it('an already aborted signal yields nothing', async () => {
    const table = createTable(Account, { capacity: 1 });
    const changes = table.watch(0, { signal: AbortSignal.abort() });
    expect(await within(changes.next(), 1000)).toEqual({ value: undefined, done: true });
  });

  it('a record stuck mid-commit rejects the pending next() with COMMIT_TIMEOUT and ends the iteration', async () => {
    const table = createTable(Account, { capacity: 1, timeout: 20 });
    const changes = table.watch(0);
    table.records.lock(0); // a writer that died holding the record
    await expect(changes.next()).rejects.toMatchObject({ code: 'COMMIT_TIMEOUT' });
    expect(await changes.next()).toEqual({ value: undefined, done: true });
  });

  it("holds no listener on the caller's signal before the first next() nor after return()", async () => {
    const table = createTable(Account, { capacity: 1 });
    const controller = new AbortController();
    const listeners = (): number => getEventListeners(controller.signal, 'abort').length;
    const unused = [table.watch(0, { signal: controller.signal }), table.watch(0, { signal: controller.signal })];
    expect([unused.length, listeners()]).toEqual([2, 0]);
    const changes = table.watch(0, { signal: controller.signal });
    const waiting = changes.next();
    await tick(5);
    expect(listeners()).toBe(1);
    await changes.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(listeners()).toBe(0);
  });

  it('waitForChange with a timeout past the longest Node timer: no TimeoutOverflowWarning, no early end', async () => {
    const table = createTable(Account, { capacity: 1 });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const waiting = table.waitForChange(0, 0, { timeout: 2 ** 40 });
      await tick(30);
      table.update(0, (a) => void (a.balance = 1));
      expect(await within(waiting, 1000)).toBe(2);
      await tick(5);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('a watch started while a commit is writing does not block: it reports that commit once published', async () => {
    const table = createTable(Account, { capacity: 1, timeout: 1000 });
    const { at } = versionWord(table, 0);
    const lockedFrom = table.records.lock(0); // a commit in progress (version 1)
    const started = performance.now();
    const changes = table.watch(0);
    const first = changes.next();
    expect(performance.now() - started).toBeLessThan(500); // no synchronous wait on the odd version
    setTimeout(() => table.records.publish(0, at, lockedFrom), 5);
    expect(await within(first, 1000)).toMatchObject({ done: false, value: { version: 2 } });
    await changes.return();
  });
});
