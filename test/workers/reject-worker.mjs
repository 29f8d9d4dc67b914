// Rounds of a forced same-field race: both workers take a snapshot, meet at a barrier, then both
// commit value + 1 under 'reject'. Exactly one commit per round may win.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable, ConflictError } from '@structsync/core';
import { arriveAndWait } from './barrier.mjs';
import { Pair } from './structs.mjs';

const { buffer, control, rounds } = workerData;
const table = attachTable(Pair, buffer, { timeout: 2000 });
const barrier = new Int32Array(control);
let wins = 0;
let conflicts = 0;
let badConflicts = 0;
for (let round = 0; round < rounds; round++) {
  const tx = table.begin(0);
  tx.view.value += 1;
  arriveAndWait(barrier, 2);
  try {
    tx.commit();
    wins++;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    conflicts++;
    if (error.fields.join() !== 'value' || error.actualVersion === error.expectedVersion) badConflicts++;
  }
  arriveAndWait(barrier, 2);
}
parentPort.postMessage({ wins, conflicts, badConflicts });
