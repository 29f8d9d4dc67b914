// A worker of the workers example: reserves stock with update() (conflicts retried for it) and
// re-prices with slow hand-made transactions that lose races visibly (ConflictError).
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable, ConflictError } from '@structsync/core';
import { StockLine } from './inventory.js';

const { buffer, id, starting, workers } = workerData as { buffer: SharedArrayBuffer; id: number; starting: SharedArrayBuffer; workers: number };
const table = attachTable(StockLine, buffer);
const pause = new Int32Array(new SharedArrayBuffer(4));

// Start together: a thread starts in tens of milliseconds, about as long as this worker's whole
// run, so without this the first worker could finish before the last one begins and never race.
const started = new Int32Array(starting);
Atomics.add(started, 0, 1);
Atomics.notify(started, 0);
for (let count = Atomics.load(started, 0); count < workers; count = Atomics.load(started, 0)) Atomics.wait(started, 0, count);
let reserved = 0;
let repriced = 0;
let conflicts = 0;

for (let round = 0; round < 40; round++) {
  // Reserve one unit of each product: `update` re-runs the change after a conflict, so no
  // reservation is ever lost.
  for (let line = 0; line < table.capacity; line++) {
    table.update(line, (stock) => {
      stock.reserved += 1;
    });
    reserved++;
  }
  // Re-price product 0 from a snapshot, thinking about it for a millisecond first: another worker
  // often re-prices in between, and this commit is then rejected.
  const tx = table.begin(0);
  tx.view.price = Math.round(tx.view.price * 101) / 100;
  tx.view.pricedBy = id;
  Atomics.wait(pause, 0, 0, 1);
  try {
    tx.commit();
    repriced++;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    conflicts++;
    if (conflicts <= 2) parentPort!.postMessage({ id, conflict: error.message });
  }
}
parentPort!.postMessage({ id, done: true, reserved, repriced, conflicts });
