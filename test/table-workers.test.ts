// Shared tables under real worker_threads (the workers run the built package): exact counts under
// contention, untorn snapshots, merge and reject races, and a writer that dies mid-commit.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createTable } from '@structsync/core';
import { Counter, isConsistent, Mixed, Pair } from './workers/structs.mjs';

type Message = Record<string, unknown>;

function start(script: string, workerData: Record<string, unknown>): Worker {
  return new Worker(new URL(`./workers/${script}`, import.meta.url), { workerData });
}

/** The worker's first message; rejects if it fails or exits first. */
function nextMessage(worker: Worker): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`worker exited with code ${code} before replying`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: Message) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}

async function runAll(script: string, data: Record<string, unknown>[]): Promise<Message[]> {
  const workers = data.map((d) => start(script, d));
  try {
    return await Promise.all(workers.map(nextMessage));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Runs test/workers/wait-alone.mjs in its own Node process; its exit code and last printed line. */
function runAlone(mode: string): Promise<{ code: number | null; outcome: Message | undefined }> {
  const script = fileURLToPath(new URL('./workers/wait-alone.mjs', import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [script, mode], { timeout: 20_000 }, (error, stdout) => {
      const last = stdout.trim().split('\n').at(-1);
      resolve({ code: error === null ? 0 : (error.code as number | null), outcome: last ? (JSON.parse(last) as Message) : undefined });
    });
  });
}

const sum = (messages: Message[], key: string): number => messages.reduce((total, m) => total + (m[key] as number), 0);

describe('shared tables across worker threads', () => {
  it('N workers × M update increments end at exactly N × M', async () => {
    const table = createTable(Counter, { capacity: 1 });
    const workers = 4;
    const increments = 5_000;
    const results = await runAll('counter-worker.mjs', Array.from({ length: workers }, () => ({ buffer: table.buffer, increments })));
    const snapshot = table.snapshot(0);
    expect(snapshot.record.count).toBe(workers * increments);
    expect(snapshot.version).toBe(2 * workers * increments);
    console.info(`counter: ${workers}×${increments} increments, ${sum(results, 'retries')} retries after conflicts`);
  });

  it('readers take ≥ 10^5 snapshots of an i64/f64/i32/str record under concurrent writers: none torn', async () => {
    const table = createTable(Mixed, { capacity: 1 });
    table.update(0, (record) => {
      record.small = 0;
      record.big = 0n;
      record.real = 0;
      record.text = 'n0:';
    });
    expect(isConsistent(table.read(0))).toBe(true);
    // The check does catch a record mixing two commits.
    expect(isConsistent({ small: 5, big: 5n * 0x100000001n, real: 5 / 3, text: 'n6:xxxxxx' })).toBe(false);
    expect(isConsistent({ small: 5, big: 5n * 0x100000001n + (1n << 32n), real: 5 / 3, text: 'n5:xxxxx' })).toBe(false);
    expect(isConsistent({ small: 5, big: 5n * 0x100000001n, real: 5 / 3, text: 'n5:xxxxx' })).toBe(true);
    const control = new SharedArrayBuffer(4);
    const writers = [1, 2].map((seed) => start('mixed-worker.mjs', { buffer: table.buffer, control, role: 'writer', seed }));
    const writerReplies = writers.map(nextMessage);
    try {
      const readers = await runAll(
        'mixed-worker.mjs',
        [0, 1].map(() => ({ buffer: table.buffer, control, role: 'reader', snapshots: 60_000, minVersions: 1_000 })),
      );
      Atomics.store(new Int32Array(control), 0, 1);
      const writes = await Promise.all(writerReplies);
      expect(readers.map((r) => r.firstTorn)).toEqual([undefined, undefined]);
      expect(sum(readers, 'torn')).toBe(0);
      expect(sum(readers, 'snapshots')).toBeGreaterThanOrEqual(100_000);
      // The readers really overlapped with the writers: they saw many different versions.
      expect(Math.min(...readers.map((r) => r.distinctVersions as number))).toBeGreaterThanOrEqual(1_000);
      expect(isConsistent(table.read(0))).toBe(true);
      console.info(
        `mixed: ${sum(readers, 'snapshots')} snapshots, ${readers.map((r) => r.distinctVersions).join('/')} distinct versions seen, ` +
          `${sum(writes, 'commits')} commits by 2 writers, 0 torn`,
      );
    } finally {
      Atomics.store(new Int32Array(control), 0, 1);
      await Promise.all(writers.map((w) => w.terminate()));
    }
  });

  it('merge: two workers writing disjoint fields (in one shared word) both survive', async () => {
    const table = createTable(Pair, { capacity: 1 });
    const commits = 10_000;
    const results = await runAll('merge-worker.mjs', [
      { buffer: table.buffer, field: 'a', commits },
      { buffer: table.buffer, field: 'b', commits },
    ]);
    expect(table.read(0)).toMatchObject({ a: commits, b: commits, value: 0 });
    expect(sum(results, 'regressions')).toBe(0);
    expect(table.version(0)).toBe(4 * commits);
    console.info(`merge: ${sum(results, 'mergedOver')} of ${2 * commits} commits landed over another worker's commit`);
  });

  it('bind: objects in two workers pushing disjoint properties never conflict, and both survive', async () => {
    const table = createTable(Pair, { capacity: 1 });
    const pushes = 3_000;
    const results = await runAll('bind-worker.mjs', [
      { buffer: table.buffer, field: 'a', pushes },
      { buffer: table.buffer, field: 'b', pushes },
    ]);
    expect(sum(results, 'conflicts')).toBe(0);
    expect(results.map((r) => r.state)).toEqual(['COMMITTED', 'COMMITTED']);
    expect(table.read(0)).toMatchObject({ a: pushes, b: pushes });
    expect(table.version(0)).toBe(4 * pushes);
  });

  it('reject: forced same-field races give one ConflictError per round and lose no committed write', async () => {
    const table = createTable(Pair, { capacity: 1 });
    const control = new SharedArrayBuffer(8);
    const rounds = 2_000;
    const results = await runAll('reject-worker.mjs', [0, 1].map(() => ({ buffer: table.buffer, control, rounds })));
    expect(sum(results, 'wins')).toBe(rounds);
    expect(sum(results, 'conflicts')).toBe(rounds);
    expect(sum(results, 'badConflicts')).toBe(0);
    expect(table.read(0).value).toBe(rounds);
  });

  it('a worker terminated mid-commit: others fail with COMMIT_TIMEOUT within the bound, recover() restores service', async () => {
    const timeout = 150;
    const table = createTable(Counter, { capacity: 1, timeout });
    table.update(0, (record) => {
      record.count = 7;
      record.note = 'before';
    });
    const dying = start('crash-worker.mjs', { buffer: table.buffer, role: 'dying', timeout });
    const dyingThread = dying.threadId;
    expect(await nextMessage(dying)).toEqual({ locked: true });
    await dying.terminate();
    expect(table.version(0) % 2).toBe(1);

    const others = ['reader', 'writer'].map((role) => start('crash-worker.mjs', { buffer: table.buffer, role, timeout }));
    try {
      const first = await Promise.all(others.map(nextMessage));
      for (const { first: attempt } of first as { first: Message }[]) {
        expect(attempt).toMatchObject({ ok: false, code: 'COMMIT_TIMEOUT' });
        expect(attempt.message).toContain(`a commit by worker thread ${dyingThread}`);
        expect(attempt.message).toContain('call table.recover(0)');
        expect(attempt.elapsed).toBeGreaterThanOrEqual(timeout - 1);
        expect(attempt.elapsed).toBeLessThan(timeout + 2_000);
      }
      const report = table.recover(0, {
        repair: (record, suspect) => {
          expect(suspect).toEqual(['count']);
          expect(record.count).toBe(123456); // the half-written commit
          record.count = 7; // restore the last committed value
        },
      });
      expect(report).toMatchObject({ stuckVersion: 3, version: 6, generation: 1, writerThread: dyingThread, suspectFields: ['count'] });
      const replies = others.map(nextMessage);
      for (const worker of others) worker.postMessage('retry');
      const [reader, writer] = (await Promise.all(replies)) as { second: Message }[];
      expect(writer!.second).toEqual({ ok: true, version: 8 });
      expect([7, 8]).toContain(reader!.second.value);
      expect(reader!.second.ok).toBe(true);
      expect(table.read(0)).toMatchObject({ count: 8, note: 'before' });
    } finally {
      await Promise.all(others.map((w) => w.terminate()));
    }
  });

  it('a bounded wait keeps a process with nothing else to do alive until it settles', async () => {
    // Atomics.waitAsync alone does not hold Node's event loop: the process used to exit silently
    // with the wait still pending.
    const [wait, watch] = await Promise.all([runAlone('wait'), runAlone('watch')]);
    expect(wait).toMatchObject({ code: 0, outcome: { code: 'TIMEOUT', name: 'StructSyncError' } });
    expect(wait.outcome!.elapsed).toBeGreaterThanOrEqual(49);
    expect(watch).toMatchObject({ code: 0, outcome: { code: 'COMMIT_TIMEOUT', name: 'MemoryError' } });
  });
});
