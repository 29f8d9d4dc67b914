// structsync workers example: three worker threads update shared stock lines in one
// SharedArrayBuffer; the main thread watches product 0 change and keeps a plain object bound to it.
import { Worker } from 'node:worker_threads';
import { bind, createTable } from '@structsync/core';
import { StockLine } from './inventory.js';

console.log('— Three workers reserve stock and re-price product 0 in one SharedArrayBuffer —');
const table = createTable(StockLine, { capacity: 3 });
['apple', 'pear', 'plum'].forEach((sku, line) =>
  table.update(line, (stock) => {
    stock.sku = sku;
    stock.stock = 1000;
    stock.price = 1.0 + line;
  }),
);

// Watch product 0 from the main thread: Atomics.waitAsync wakes us on each commit, nothing polls.
const stopWatching = new AbortController();
let changes = 0;
const watching = (async () => {
  for await (const change of table.watch(0, { signal: stopWatching.signal })) {
    changes++;
    if (change.fields.includes('price')) {
      console.log(`  watch: v${change.version} ${change.record.sku} price ${change.record.price.toFixed(2)} (by worker ${change.record.pricedBy})`);
    }
  }
})();

const starting = new SharedArrayBuffer(4); // the workers' start line: how many have arrived
const workers = [1, 2, 3].map((id) => new Worker(new URL('./worker.js', import.meta.url), { workerData: { buffer: table.buffer, id, starting, workers: 3 } }));
const reports = await Promise.all(
  workers.map(
    (worker) =>
      new Promise<{ id: number; reserved: number; repriced: number; conflicts: number }>((resolve, reject) => {
        worker.on('message', (message: { conflict?: string; done?: boolean }) => {
          if (message.conflict !== undefined) console.log(`  conflict seen by a worker: ${message.conflict}`);
          if (message.done === true) resolve(message as never);
        });
        worker.once('error', reject);
      }),
  ),
);
await Promise.all(workers.map((w) => w.terminate()));
stopWatching.abort();
await watching;

console.log('\nworker  reserved  repriced  conflicts');
for (const r of reports) console.log(`${String(r.id).padStart(6)}  ${String(r.reserved).padStart(8)}  ${String(r.repriced).padStart(8)}  ${String(r.conflicts).padStart(9)}`);
const reservedTotal = reports.reduce((n, r) => n + r.reserved, 0);
let reservedInTable = 0;
for (let line = 0; line < table.capacity; line++) reservedInTable += table.read(line).reserved;
console.log(`\n${changes} changes of product 0 watched; reservations made ${reservedTotal}, in the table ${reservedInTable}`);

// Each accepted re-pricing raised the price 1% from the one before it; a rejected one wrote nothing.
const repricedTotal = reports.reduce((n, r) => n + r.repriced, 0);
let expectedPrice = 1.0;
for (let i = 0; i < repricedTotal; i++) expectedPrice = Math.round(expectedPrice * 101) / 100;
const conflictsTotal = reports.reduce((n, r) => n + r.conflicts, 0);
console.log(`apple price ${table.read(0).price.toFixed(2)} after ${repricedTotal} accepted re-pricings (expected ${expectedPrice.toFixed(2)}); ${conflictsTotal} rejected, nothing written`);

// A plain object bound to product 0: pull() fills it, push() commits only what changed.
const apple: Record<string, unknown> = {};
const binding = bind(apple, table, 0, { onTransition: (t) => console.log(`  bind: ${t.from} → ${t.to} (v${t.version}) ${t.fields.join(', ')}`) });
binding.pull();
apple.stock = (apple.stock as number) - (apple.reserved as number);
apple.reserved = 0;
binding.push();
console.log('final:', [0, 1, 2].map((line) => `${table.read(line).sku} stock ${table.read(line).stock} reserved ${table.read(line).reserved}`).join('; '));
