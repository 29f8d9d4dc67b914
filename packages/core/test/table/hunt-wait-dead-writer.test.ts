// Regression test (issue 12): waitForChange and watch slept on the record's even version, and
// taking the commit lock notified nobody, so a writer that died after the wait began (version left
// odd) was never noticed: the wait ran out its own timeout, or hung forever without one. Taking
// the lock now wakes the waiters, which then bound the commit by the table's timeout.
import { describe, expect, it } from 'vitest';
import { createTable, type StructSyncError } from '@structsync/core';
import { Account } from '../support/table-structs.js';

const COMMIT_TIMEOUT_MS = 40;

/** How `promise` settled within `ms`: its error code and when, or 'pending'. */
async function settled(promise: Promise<unknown>, ms: number): Promise<{ code: string | undefined; elapsed: number } | 'pending'> {
  const started = performance.now();
  const outcome = promise.then(
    () => ({ code: undefined, elapsed: performance.now() - started }),
    (error: StructSyncError) => ({ code: error.code, elapsed: performance.now() - started }),
  );
  return Promise.race([outcome, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('wait_misses_writer_dying_after_wait_began', () => {
  const cases: [string, (table: ReturnType<typeof createTable<Account>>) => Promise<unknown>][] = [
    ['waitForChange without a timeout', (table) => table.waitForChange(0, 0)],
    ['waitForChange with a timeout longer than the commit bound', (table) => table.waitForChange(0, 0, { timeout: 60_000 })],
    ['watch', (table) => table.watch(0).next()],
  ];
  for (const [name, wait] of cases) {
    it(`${name}: COMMIT_TIMEOUT within the table's bound of the writer's death`, async () => {
      const table = createTable(Account, { capacity: 1, timeout: COMMIT_TIMEOUT_MS });
      const waiting = wait(table);
      await tick(20); // the waiter is asleep on version 0
      table.records.lock(0); // a writer takes the record and dies holding it
      const outcome = await settled(waiting, 3000);
      expect(outcome).not.toBe('pending');
      const { code, elapsed } = outcome as { code: string; elapsed: number };
      expect(code).toBe('COMMIT_TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(COMMIT_TIMEOUT_MS - 1);
      expect(elapsed).toBeLessThan(COMMIT_TIMEOUT_MS + 1500);
    });
  }

  it('a commit that takes the lock and publishes still resolves the wait with its version', async () => {
    const table = createTable(Account, { capacity: 1, timeout: COMMIT_TIMEOUT_MS });
    const waiting = table.waitForChange(0, 0, { timeout: 5000 });
    await tick(20);
    table.update(0, (a) => void (a.balance = 3));
    expect(await waiting).toBe(2);
  });
});
