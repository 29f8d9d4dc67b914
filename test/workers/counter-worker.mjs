// Increments Counter.count `increments` times with table.update; reports how often `update`
// had to run the change again because another worker's commit won the race.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable } from '@structsync/core';
import { Counter } from './structs.mjs';

const { buffer, increments } = workerData;
const table = attachTable(Counter, buffer, { timeout: 2000 });
let runs = 0;
for (let i = 0; i < increments; i++) {
  table.update(0, (record) => {
    runs++;
    record.count += 1;
  }, { maxRetries: Infinity });
}
parentPort.postMessage({ retries: runs - increments });
