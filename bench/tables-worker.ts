// Worker thread of the tables benchmark: updates one shared record as fast as it can until told
// to stop, then reports how many updates it committed and how many retries conflicts cost.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable } from '@structsync/core';
import { User } from './table-user.js';

const { buffer, control, index } = workerData as { buffer: SharedArrayBuffer; control: SharedArrayBuffer; index: number };
const table = attachTable(User, buffer, { timeout: 5000 });
const flags = new Int32Array(control);
let runs = 0;
const increment = (user: User): void => {
  runs++;
  user.age += 1;
};
const options = { maxRetries: Infinity };
let updates = 0;
Atomics.add(flags, 1, 1);
while (Atomics.load(flags, 0) === 0) Atomics.wait(flags, 0, 0, 10); // start together
const started = performance.now();
while (Atomics.load(flags, 0) === 1) {
  for (let i = 0; i < 100; i++) table.update(index, increment, options);
  updates += 100;
}
parentPort!.postMessage({ updates, retries: runs - updates, ms: performance.now() - started });
