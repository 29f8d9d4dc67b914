// A real worker thread on the test's shared table: each message { index, qty } commits that
// quantity to the record, then answers with the version it published.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable } from '@structsync/core';
import { Stock } from './stock.mjs';

const table = attachTable(Stock, workerData.buffer, { timeout: 2000 });
parentPort.on('message', ({ index, qty }) => {
  const version = table.update(index, (stock) => {
    stock.qty = qty;
  });
  parentPort.postMessage({ version });
});
