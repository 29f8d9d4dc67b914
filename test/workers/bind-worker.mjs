// Keeps a plain object bound to Pair record 0 and pushes `pushes` increments of its own property
// (a or b); pulls before each change, so it always edits the latest record. Reports conflicts.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable, bind, ConflictError } from '@structsync/core';
import { Pair } from './structs.mjs';

const { buffer, field, pushes } = workerData;
const table = attachTable(Pair, buffer, { timeout: 2000 });
const object = {};
const binding = bind(object, table, 0);
let conflicts = 0;
let committed = 0;
while (committed < pushes) {
  binding.pull();
  object[field] = committed + 1;
  try {
    if (binding.push()) committed++;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    conflicts++;
    binding.pull();
  }
}
parentPort.postMessage({ conflicts, state: binding.state, final: { ...object } });
