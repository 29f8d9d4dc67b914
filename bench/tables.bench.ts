// pnpm bench:tables — shared tables: an uncontended consistent read and commit next to plain
// toMap / fromMap on the same struct in the same run, then update throughput with 2 workers.
import { Worker } from 'node:worker_threads';
import { createPool, createTable, fromMap, toMap } from '@structsync/core';
import { compare, formatTable, type Comparison } from './harness.js';
import { sized } from './mode.js';
import { User } from './table-user.js';

const table = createTable(User, { capacity: 16 });
table.update(3, (u) => {
  u.id = 7n;
  u.name = 'alice';
  u.age = 31;
});
const pool = createPool(User, { capacity: 4 });
const record = fromMap(pool.acquire(), { id: 7n, name: 'alice', age: 31 }, { tag: 'json' });
const snapshot = table.read(3);
const into: Record<string, unknown> = {};
const intoOptions = { tag: 'json', into } as const;
const jsonOptions = { tag: 'json' } as const;
const input = { id: 7, name: 'alice', age: 31 };
const partialInput = { age: 32 };
const partialOptions = { tag: 'json', partial: true } as const;
let age = 0;
const setAge = (u: User): void => {
  u.age = (age = (age + 1) & 0xffff);
};
let out: unknown;

// Longer runs than the harness default: on a shared machine the mean of a short run is noisy.
const OPS = 1000;
const TIME = 1500;
const rows: Comparison[] = [];
rows.push(await compare('table.read(i, into) (seqlock snapshot)', () => void table.read(3, snapshot), 'toMap (into a reused object)', () => void (out = toMap(record, intoOptions)), OPS, TIME));
rows.push(await compare('table.update(i, set age) (uncontended commit)', () => void table.update(3, setAge), 'fromMap (all checks, 3 keys)', () => void fromMap(record, input, jsonOptions), OPS, TIME));
rows.push(await compare('table.update(i, set age)', () => void table.update(3, setAge), 'fromMap (partial, 1 key)', () => void fromMap(record, partialInput, partialOptions), OPS, TIME));
rows.push(
  await compare(
    'begin(i) + view.age = n + commit()',
    () => {
      const tx = table.begin(3);
      tx.view.age = (age = (age + 1) & 0xffff);
      tx.commit();
    },
    'fromMap (all checks, 3 keys)',
    () => void fromMap(record, input, jsonOptions),
    OPS,
    TIME,
  ),
);
// The allocating rows last, so that their garbage is not collected during the others.
rows.push(await compare('table.read(i) (new snapshot view)', () => void (out = table.read(3)), 'toMap (new object)', () => void (out = toMap(record, jsonOptions)), OPS, TIME));
void out;

console.log(`structsync shared tables benchmark — Node ${process.version}, ${process.arch}\n`);
console.log(
  formatTable(rows, {
    'table.read(i, into) (seqlock snapshot)': '≤ 2× the time',
    'table.update(i, set age) (uncontended commit)': '≤ 3× the time',
  }),
);

/** Runs `workers` threads updating record `index` (or one record each) for `ms` milliseconds. */
async function contended(workers: number, sameRecord: boolean, ms = sized(1500, 200)): Promise<{ perSecond: number; retries: number }> {
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const threads = Array.from(
    { length: workers },
    (_, w) => new Worker(new URL('./tables-worker.js', import.meta.url), { workerData: { buffer: table.buffer, control, index: sameRecord ? 5 : 5 + w } }),
  );
  const replies = threads.map((t) => new Promise<{ updates: number; retries: number; ms: number }>((resolve, reject) => t.once('message', resolve).once('error', reject)));
  while (Atomics.load(flags, 1) < workers) await new Promise((r) => setTimeout(r, 5));
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  await new Promise((r) => setTimeout(r, ms));
  Atomics.store(flags, 0, 2);
  const results = await Promise.all(replies);
  await Promise.all(threads.map((t) => t.terminate()));
  const updates = results.reduce((n, r) => n + r.updates, 0);
  const seconds = Math.max(...results.map((r) => r.ms)) / 1000;
  return { perSecond: updates / seconds, retries: results.reduce((n, r) => n + r.retries, 0) };
}

const before = table.read(5).age;
const one = await contended(1, true);
const two = await contended(2, true);
const apart = await contended(2, false);
console.log('\n| contended update (1.5 s each) | updates/s | retries after conflicts |');
console.log('|---|---:|---:|');
console.log(`| 1 worker, one record | ${Math.round(one.perSecond).toLocaleString('en-US')} | ${one.retries} |`);
console.log(`| 2 workers, the same record | ${Math.round(two.perSecond).toLocaleString('en-US')} | ${two.retries} |`);
console.log(`| 2 workers, one record each | ${Math.round(apart.perSecond).toLocaleString('en-US')} | ${apart.retries} |`);
console.log(`\n(record 5 went from age ${before} to ${table.read(5).age}; every committed update is counted)`);
