// Bad options and arguments to the shared-table API (createTable, attachTable, update, commit,
// waitForChange, watch, recover, bind): a StructSyncError with a stable code naming the option,
// never a raw TypeError, a hang or a silent default, and the table's bytes unchanged.
import { describe, expect, it } from 'vitest';
import { attachTable, bind, createTable, StructSyncError, ValueError, type Table } from '@structsync/core';
import { Account, bytesOf, thrownBy } from '../support/table-structs.js';

// Values a JavaScript caller (or a JSON config) can pass where TypeScript would not let them.
const loose = <V>(value: unknown): V => value as V;

function fresh() {
  const table = createTable(Account, { capacity: 2, timeout: 20 });
  table.update(1, (a) => void (a.balance = 100));
  return table;
}

/** Asserts `run` throws a StructSyncError with `code` whose message names `option`, and leaves `table`'s bytes as they were. */
function expectRefused(table: Table<object>, run: () => unknown, code: string, option: string): void {
  const before = bytesOf(table);
  const caught = thrownBy(run);
  expect(caught).toBeInstanceOf(StructSyncError);
  expect(caught).toMatchObject({ code, struct: 'Account' });
  expect((caught as Error).message).toContain(option);
  expect(bytesOf(table)).toEqual(before);
}

/** The code a promise rejects with, or 'pending' if it has not settled within 300 ms (a wait that would hang). */
async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  const timer = new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 300));
  const outcome = promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof StructSyncError ? `${error.code}: ${error.message}` : `raw ${String(error)}`),
  );
  return Promise.race([outcome, timer]);
}

describe('createTable and attachTable options', () => {
  it('refuses options that are not an object, and a codegen or timeout of the wrong type', () => {
    const codeOf = (run: () => unknown): unknown => (thrownBy(run) as StructSyncError | undefined)?.code;
    for (const options of [null, 5, 'big']) expect(codeOf(() => createTable(Account, loose(options)))).toBe('INVALID_OPTION');
    for (const codegen of ['no', 0, null]) {
      expect(thrownBy(() => createTable(Account, { capacity: 1, codegen: loose(codegen) }))).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('codegen'),
      });
    }
    for (const timeout of [Number.NaN, '5', -1, Infinity, null]) {
      expect(thrownBy(() => createTable(Account, { capacity: 1, timeout: loose(timeout) }))).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('timeout'),
      });
    }
  });

  it('attachTable: null options, a bad timeout or codegen are INVALID_OPTION and the table is unchanged', () => {
    const table = fresh();
    expectRefused(table, () => attachTable(Account, table.buffer, loose(null)), 'INVALID_OPTION', 'options');
    expectRefused(table, () => attachTable(Account, table.buffer, { timeout: Number.NaN }), 'INVALID_OPTION', 'timeout');
    expectRefused(table, () => attachTable(Account, table.buffer, { codegen: loose('no') }), 'INVALID_OPTION', 'codegen');
  });
});

describe('update and commit', () => {
  it('a change that is not a function is INVALID_INPUT', () => {
    const table = fresh();
    expectRefused(table, () => table.update(1, loose(5)), 'INVALID_INPUT', 'change');
    expect(thrownBy(() => table.update(1, loose(undefined)))).toBeInstanceOf(ValueError);
  });

  it('null options, a bad onConflict or maxRetries are INVALID_OPTION, checked before the change runs', () => {
    const table = fresh();
    let runs = 0;
    const change = (a: Account): void => {
      runs++;
      a.balance = 5;
    };
    expectRefused(table, () => table.update(1, change, loose(null)), 'INVALID_OPTION', 'options');
    expectRefused(table, () => table.update(1, change, { onConflict: loose('ignore') }), 'INVALID_OPTION', 'onConflict');
    for (const maxRetries of ['5', Number.NaN, -1, 1.5]) {
      expectRefused(table, () => table.update(1, change, { maxRetries: loose(maxRetries) }), 'INVALID_OPTION', 'maxRetries');
    }
    expect(runs).toBe(0);
  });

  it('commit(null) is INVALID_OPTION, and the transaction can still commit', () => {
    const table = fresh();
    const tx = table.begin(1);
    tx.view.balance = 7;
    expectRefused(table, () => tx.commit(loose(null)), 'INVALID_OPTION', 'options');
    expect(tx.commit()).toBe(4);
  });
});

describe('waitForChange and watch', () => {
  it('waitForChange: null options, a NaN / string / negative timeout, a signal that is not an AbortSignal reject with INVALID_OPTION', async () => {
    const table = fresh();
    const before = bytesOf(table);
    expect(await rejectionCode(table.waitForChange(1, 2, loose(null)))).toMatch(/^INVALID_OPTION: .*options/);
    for (const timeout of [Number.NaN, '5', -1]) {
      expect(await rejectionCode(table.waitForChange(1, 2, { timeout: loose(timeout) }))).toMatch(/^INVALID_OPTION: .*timeout/);
    }
    for (const signal of [{}, 'stop', null]) {
      expect(await rejectionCode(table.waitForChange(1, 2, { signal: loose(signal) }))).toMatch(/^INVALID_OPTION: .*signal/);
    }
    expect(bytesOf(table)).toEqual(before);
  });

  it('watch: null options, a since that is not a u32, a signal that is not an AbortSignal throw INVALID_OPTION at once', () => {
    const table = fresh();
    expectRefused(table, () => table.watch(1, loose(null)), 'INVALID_OPTION', 'options');
    for (const since of [-2, 1.5, '2', 2 ** 32]) expectRefused(table, () => table.watch(1, { since: loose(since) }), 'INVALID_OPTION', 'since');
    expectRefused(table, () => table.watch(1, { signal: loose({ aborted: false }) }), 'INVALID_OPTION', 'signal');
    for (const since of [undefined, 2]) expectRefused(table, () => table.watch(9, { since }), 'OUT_OF_BOUNDS', 'record 9');
  });
});

describe('recover', () => {
  it('null options or a repair that is not a function are INVALID_OPTION; the stuck record is left as it was', () => {
    const table = fresh();
    table.records.lock(1);
    expectRefused(table, () => table.recover(1, loose(null)), 'INVALID_OPTION', 'options');
    expectRefused(table, () => table.recover(1, { repair: loose('fix it') }), 'INVALID_OPTION', 'repair');
    expect(table.version(1)).toBe(3);
    expect(table.recover(1)).toMatchObject({ stuckVersion: 3, version: 6 });
  });
});

describe('bind', () => {
  it('refuses null options, a bad tag, onConflict or onTransition when binding, and a target that is not an object', () => {
    const table = fresh();
    expectRefused(table, () => bind({}, table, 1, loose(null)), 'INVALID_OPTION', 'options');
    expectRefused(table, () => bind({}, table, 1, { tag: loose(5) }), 'INVALID_OPTION', 'tag');
    expectRefused(table, () => bind({}, table, 1, { onConflict: loose('ours') }), 'INVALID_OPTION', 'onConflict');
    expectRefused(table, () => bind({}, table, 1, { onTransition: loose('log') }), 'INVALID_OPTION', 'onTransition');
    for (const target of [null, 5, [], new Uint8Array(4)]) expectRefused(table, () => bind(loose<object>(target), table, 1).pull(), 'INVALID_INPUT', 'object');
    const before = bytesOf(table);
    expect(thrownBy(() => bind({}, loose<Table<object>>({ layout: {} }), 1))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(bytesOf(table)).toEqual(before);
  });
});
