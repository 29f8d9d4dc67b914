// Uses every part of the built package once (views, pools with a release and a stale access,
// struct↔map, tables with a snapshot, an update and a transaction) and prints "done". Run under
// --trace-protector-invalidation by protector.test.ts; with "detach" as argument it also detaches
// a buffer itself, which proves the test would see an invalidation.
import { createPool, createTable, Field, fromMap, records, Struct, toMap, view } from '@structsync/core';

class Item {}
Field({ type: 'i64' })(Item.prototype, 'id');
Field({ type: 'str', size: 12 })(Item.prototype, 'name');
Field({ type: 'f32', length: 2 })(Item.prototype, 'pair');
Field({ type: 'u16' })(Item.prototype, 'count');
Struct()(Item);

const pool = createPool(Item, { capacity: 4 });
const item = fromMap(pool.acquire(), { id: 1n, name: 'first', pair: [1, 2], count: 3 });
if (toMap(item).name !== 'first' || item.pair[1] !== 2) throw new Error('round trip failed');
pool.release(item);
try {
  void item.count;
  throw new Error('a released view was readable');
} catch (error) {
  if (error.code !== 'STALE_VIEW') throw error;
}
const buffer = new ArrayBuffer(64 * 4);
for (const record of records(Item, buffer)) record.count = 7;
if (view(Item, buffer, 0).count !== 7) throw new Error('records() did not write');

const table = createTable(Item, { capacity: 2 });
table.update(1, (record) => void (record.name = 'shared'));
const tx = table.begin(1);
tx.view.count = 9;
tx.commit();
if (table.read(1).count !== 9 || table.read(1).name !== 'shared') throw new Error('table round trip failed');

if (process.argv[2] === 'detach') {
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
}
console.log('done');
