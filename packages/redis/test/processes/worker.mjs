// One writer or watcher process for processes.test.ts, on the built packages (as a user runs them).
// Usage: node worker.mjs <mode> <redis url> <table name> <count> [field]; prints one JSON line.
import 'reflect-metadata';
import { ConflictError, Field, Struct } from '@structsync/core';
import { createRedisTable } from '@structsync/redis';
import { createClient } from 'redis';

// The tests' Counters (support/structs.ts), declared with plain decorator calls: the same layout.
class Counters {}
Field({ type: 'u16' })(Counters.prototype, 'left');
Field({ type: 'u16' })(Counters.prototype, 'right');
Field({ type: 'i64' })(Counters.prototype, 'total');
Field({ type: 'f64' })(Counters.prototype, 'ratio');
Struct()(Counters);

const [mode, url, name, countText, field] = process.argv.slice(2);
const count = Number(countText);
const client = createClient({ url });
await client.connect();
const table = await createRedisTable(Counters, { client, name });

/** Waits until `parties` processes reached this point of round `round` (a barrier kept in Redis). */
async function barrier(round, parties) {
  const key = `barrier:${name}:${round}`;
  await client.incr(key);
  while (Number(await client.get(key)) < parties) await new Promise((resolve) => setImmediate(resolve));
}

let result;
if (mode === 'increment') {
  // Unbounded retries: this checks that no increment is lost or doubled, whatever the machine's load.
  for (let i = 0; i < count; i++) await table.update(1, (c) => void (c.total += 1n), { maxRetries: Infinity });
  result = { done: count };
} else if (mode === 'merge') {
  // Each process writes only its own field, from snapshots that are often stale: merge keeps both.
  let conflicts = 0;
  for (let i = 1; i <= count; i++) {
    const tx = await table.begin(1);
    tx.view[field] = i;
    await tx.commit({ onConflict: 'merge' });
  }
  result = { done: count, conflicts };
} else if (mode === 'race') {
  // Both processes snapshot, meet at a barrier, then both write `total`: one must conflict.
  const committed = [];
  let conflicts = 0;
  for (let round = 0; round < count; round++) {
    const tx = await table.begin(1);
    tx.view.total += 1n;
    await barrier(round, 2);
    try {
      committed.push(await tx.commit());
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      conflicts++;
    }
    await barrier(`${round}:after`, 2);
  }
  result = { committed, conflicts };
} else if (mode === 'watch') {
  // Says ready once subscribed, then prints every version seen until `count` changes arrived.
  const watch = table.watch(1, { bufferSize: 1_000_000 });
  await watch.subscribed();
  console.log(JSON.stringify({ ready: true }));
  const versions = [];
  const missed = [];
  while (versions.length < count) {
    const { value } = await watch.next();
    versions.push(value.version);
    if (value.missed !== undefined) missed.push(value.missed);
  }
  await watch.return();
  result = { versions, missed };
}
await table.close();
await client.close();
console.log(JSON.stringify(result));
