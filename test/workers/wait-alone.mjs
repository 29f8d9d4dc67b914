// Run as a child process (not a worker): waits on a table with nothing else keeping the event
// loop alive, and prints how the wait ended. `wait`: waitForChange with a finite timeout;
// `watch`: watch() on a record stuck mid-commit (bounded by the table's commit timeout).
import { createTable } from '@structsync/core';
import { Counter } from './structs.mjs';

const mode = process.argv[2];
const table = createTable(Counter, { capacity: 1, timeout: 50 });
const started = performance.now();
const report = (outcome) => console.log(JSON.stringify({ ...outcome, elapsed: Math.round(performance.now() - started) }));
const failed = (error) => report({ code: error.code, name: error.name });

if (mode === 'wait') {
  table.waitForChange(0, 0, { timeout: 50 }).then((version) => report({ version }), failed);
} else if (mode === 'watch') {
  table.records.lock(0); // a writer that died holding the record
  (async () => {
    for await (const change of table.watch(0, { since: 0 })) report({ version: change.version });
  })().catch(failed);
} else {
  throw new Error(`unknown mode ${mode}`);
}
