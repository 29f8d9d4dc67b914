// pnpm bench:core — structsync views and struct↔map sync against plain objects, JSON and
// class-transformer, on the seed's User, each line measured in the same run as its baseline.
import 'reflect-metadata';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { Field, fromMap, records, repoint, sizeof, Struct, toMap, view, createPool } from '@structsync/core';
import { compare, formatTable, type Comparison } from './harness.js';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
}

class PlainUser {
  id!: number;
  name!: string;
  age!: number;
}

const N = 10_000;
const plain = Array.from({ length: N }, (_, i) => ({ id: i, name: `user${i}`, age: i % 90 }));
const buffer = new ArrayBuffer(N * sizeof(User));
let k = 0;
for (const u of records(User, buffer)) {
  fromMap(u, { id: BigInt(k), name: `user${k}`, age: k % 90 }, { tag: 'json' });
  k++;
}

let sink = 0;
const cursor = view(User, buffer, 0);
const stride = sizeof(User);
const scanView = (): void => {
  let total = 0;
  for (let i = 0; i < N; i++) {
    repoint(cursor, i * stride);
    total += cursor.age;
  }
  sink += total;
};
const scanPlain = (): void => {
  let total = 0;
  for (let i = 0; i < N; i++) total += plain[i]!.age;
  sink += total;
};

const pool = createPool(User, { capacity: 4 });
const record = fromMap(pool.acquire(), { id: 7n, name: 'alice', age: 31 }, { tag: 'json' });
const object = { id: 7, name: 'alice', age: 31 };
const instance = Object.assign(new PlainUser(), object);
const into: Record<string, unknown> = {};
const jsonOptions = { tag: 'json' } as const;
const intoOptions = { tag: 'json', into } as const;
const input = { id: 7, name: 'alice', age: 31 };
let out: unknown;

const rows: Comparison[] = [];
rows.push(await compare('scan 10k records: read age through a re-pointed view', scanView, 'same read on plain objects', scanPlain, 1, 1000));
rows.push(await compare('toMap (new object)', () => void (out = toMap(record, jsonOptions)), 'JSON.parse(JSON.stringify(obj))', () => void (out = JSON.parse(JSON.stringify(object)))));
rows.push(await compare('toMap (into a reused object)', () => void (out = toMap(record, intoOptions)), 'JSON.parse(JSON.stringify(obj))', () => void (out = JSON.parse(JSON.stringify(object)))));
rows.push(await compare('toMap (new object) ', () => void (out = toMap(record, jsonOptions)), 'class-transformer instanceToPlain', () => void (out = instanceToPlain(instance))));
rows.push(await compare('fromMap (all checks)', () => void fromMap(record, input, jsonOptions), 'class-transformer plainToInstance', () => void (out = plainToInstance(PlainUser, input))));
void out;

const table = formatTable(rows, {
  'scan 10k records: read age through a re-pointed view': '≤ 1.1× the time',
  'toMap (new object)': '≥ 15× faster',
  'toMap (new object) ': '≥ 30× faster',
  'fromMap (all checks)': '≥ 25× faster',
});
console.log(`structsync core benchmark — Node ${process.version}, ${process.arch}\n`);
console.log(table);
console.log(`\n(sink ${sink > 0 ? 'ok' : 'empty'}; the scan line's ops are whole 10k-record scans: ns/op is per scan)`);
