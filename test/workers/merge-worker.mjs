// Commits `commits` increments of its own field of Pair (a or b, which share one 32-bit word) with
// the merge policy, and checks in each snapshot that the other worker's field never goes back.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable } from '@structsync/core';
import { Pair } from './structs.mjs';

const { buffer, field, commits } = workerData;
const other = field === 'a' ? 'b' : 'a';
const table = attachTable(Pair, buffer, { timeout: 2000 });
let regressions = 0;
let lastOther = 0;
let mergedOver = 0;
for (let i = 0; i < commits; i++) {
  const tx = table.begin(0);
  if (tx.view[other] < lastOther) regressions++;
  lastOther = tx.view[other];
  tx.view[field] = i + 1;
  tx.commit({ onConflict: 'merge' });
  if (!tx.publishedOverSnapshot) mergedOver++;
}
parentPort.postMessage({ regressions, mergedOver });
