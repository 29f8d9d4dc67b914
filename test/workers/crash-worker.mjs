// role 'dying': takes record 0's write lock, stores part of a commit, reports, then blocks until
// terminated — a writer that dies mid-commit. role 'reader' / 'writer': tries to read / update,
// reports the error and how long it took, waits for 'retry', then tries again.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable } from '@structsync/core';
import { Counter } from './structs.mjs';

const { buffer, role, timeout } = workerData;
const table = attachTable(Counter, buffer, { timeout });

if (role === 'dying') {
  const store = table.records;
  const base = store.base(0);
  store.lock(0);
  store.storeDirty(base, new Int32Array([0b1]));
  Atomics.store(store.words, store.payload(base), 123456); // half a commit: count only
  parentPort.postMessage({ locked: true });
  const forever = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(forever, 0, 0, 50);
} else {
  const attempt = () => {
    const started = performance.now();
    try {
      if (role === 'reader') return { ok: true, value: table.read(0).count };
      return { ok: true, version: table.update(0, (record) => void (record.count += 1)) };
    } catch (error) {
      return { ok: false, code: error.code, message: error.message, elapsed: performance.now() - started };
    }
  };
  parentPort.postMessage({ first: attempt() });
  parentPort.once('message', () => parentPort.postMessage({ second: attempt() }));
}
