// Run as a child process with a small heap (see hunt-huge-record-table.test.ts): creates a table
// of one record of `size` bytes and prints what set-up cost in heap and time. `commit` also
// changes the record's last byte through update() and reports the fields that commit wrote.
import { Field, Struct, createTable } from '@structsync/core';

const [size, mode] = [Number(process.argv[2]), process.argv[3]];
class Huge {}
Field({ type: 'i32' })(Huge.prototype, 'id');
Field({ type: 'bytes', size })(Huge.prototype, 'blob');
Struct()(Huge);

const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const table = createTable(Huge, { capacity: 1 });
const report = { ms: Math.round(performance.now() - started), heapGrowth: process.memoryUsage().heapUsed - heapBefore, bytes: table.buffer.byteLength };
if (mode === 'commit') {
  table.update(0, (record) => void (record.blob[size - 1] = 7));
  report.fields = table.lastCommit(0).fields;
  report.last = table.read(0).blob[size - 1];
}
console.log(JSON.stringify(report));
