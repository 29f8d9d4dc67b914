// structsync quickstart: decorate a class and see its C-compatible layout; fill a pool of views;
// sync them with plain maps under two tags, nested structs included; watch bad input get refused
// with a stable code; a few live numbers against JSON and class-transformer; and a million users
// in one buffer, scanned with records().at.
import 'reflect-metadata';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { createPool, Field, formatLayout, fromMap, offsetof, records, sizeof, Struct, StructSyncError, toMap } from '@structsync/core';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;

  isAdult(): boolean {
    return this.age >= 18;
  }
}

// Deliberately badly ordered: every small field is followed by a wider one.
@Struct()
class Session {
  @Field({ type: 'bool' }) active!: boolean;
  @Field({ type: 'i64' }) startedAt!: bigint;
  @Field({ type: 'u8' }) region!: number;
  @Field({ type: 'f64' }) score!: number;
  @Field({ type: 'u16' }) port!: number;
}

@Struct()
class Address {
  @Field({ type: 'str', size: 24, tag: 'json:street db:street_line' }) street!: string;
  @Field({ type: 'u32', tag: 'json:zip db:zip_code' }) zip!: number;
}

@Struct()
class Customer {
  @Field({ type: User, tag: 'json:user db:-' }) user!: User;
  @Field({ type: Address, tag: 'json:address db:addr' }) address!: Address;
  @Field({ type: 'f64', tag: 'json:"credit,omitempty"' }) credit!: number;
}

console.log('— The seed User, laid out as gcc would lay out the same C struct —');
console.log(formatLayout(User));
console.log(`sizeof(User) = ${sizeof(User)}, offsetof(User, 'age') = ${offsetof(User, 'age')}\n`);

console.log('— A badly ordered struct: the holes, and the order that removes them —');
console.log(formatLayout(Session));

console.log('\n— A pool of views: zeroed slots in one ArrayBuffer, each view an instance of User —');
const pool = createPool(User, { capacity: 1024 });
const alice = fromMap(pool.acquire(), { id: 1n, name: 'alice', age: 31 }, { tag: 'json' });
const bob = fromMap(pool.acquire(), { id: 2, name: 'bob', age: 0 }, { tag: 'json' }); // 2: JSON has no bigint
console.log(`pool: ${pool.inUse}/${pool.capacity} in use, ${pool.buffer.byteLength} bytes; alice instanceof User: ${alice instanceof User}, alice.isAdult(): ${alice.isAdult()}`);

console.log('\n— toMap / fromMap under two tags —');
console.log("toMap(alice, { tag: 'json' }) =", toMap(alice, { tag: 'json' }));
console.log("toMap(alice, { tag: 'db' })   =", toMap(alice, { tag: 'db' }));
console.log("toMap(bob, { tag: 'json' })   =", toMap(bob, { tag: 'json' }), '(age 0 left out: omitempty)');
fromMap(bob, { user_id: 22n, name: 'robert', age: 42 }, { tag: 'db' });
console.log("after fromMap(bob, { user_id: 22n, … }, { tag: 'db' }):", JSON.stringify(bob));

console.log('\n— A nested struct —');
const customers = createPool(Customer, { capacity: 8 });
const carol = fromMap(customers.acquire(), { user: { id: 3n, name: 'carol', age: 27 }, address: { street: '1 rue de Rivoli', zip: 75001 }, credit: 0 }, { tag: 'json' });
console.log('json:', toMap(carol, { tag: 'json' }));
console.log('db:  ', toMap(carol, { tag: 'db' }));
console.log(`carol.address.zip = ${carol.address.zip} (a cached child view over the same bytes)`);

console.log('\n— Bad input is refused whole, with a stable code; the record keeps its bytes —');
const before = JSON.stringify(alice);
const attempts: [string, unknown][] = [
  ['age: 1.5', { id: 1n, name: 'alice', age: 1.5 }],
  ["age: '31'", { id: 1n, name: 'alice', age: '31' }],
  ['a 17-byte name', { id: 1n, name: 'alice-with-a-long', age: 31 }],
  ['an unknown key', { id: 1n, name: 'alice', age: 31, admin: true }],
  ['__proto__ from JSON.parse', JSON.parse('{"id": 1, "name": "alice", "age": 31, "__proto__": {"admin": true}}')],
];
for (const [what, input] of attempts) {
  try {
    fromMap(alice, input, { tag: 'json' });
  } catch (error) {
    if (!(error instanceof StructSyncError)) throw error;
    console.log(`${what.padEnd(26)} → ${error.code.padEnd(16)} ${error.message}`);
  }
}
console.log(`alice unchanged: ${JSON.stringify(alice) === before}`);

console.log('\n— Live numbers (a short run on this machine; pnpm bench:core measures properly) —');
class PlainUser {
  id!: number;
  name!: string;
  age!: number;
}
const plain = { id: 1, name: 'alice', age: 31 };
const instance = Object.assign(new PlainUser(), plain);
const json = { tag: 'json' } as const;
let sink: unknown;
const nsPerOp = (op: () => void, ops: number): number => {
  for (let i = 0; i < ops / 2; i++) op(); // warm up: let the JIT settle first
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) op();
  return Number(process.hrtime.bigint() - start) / ops;
};
const lines: [string, number, string, number][] = [
  ['toMap', nsPerOp(() => void (sink = toMap(alice, json)), 300_000), 'JSON.parse(JSON.stringify(obj))', nsPerOp(() => void (sink = JSON.parse(JSON.stringify(plain))), 100_000)],
  ['toMap', nsPerOp(() => void (sink = toMap(alice, json)), 300_000), 'class-transformer instanceToPlain', nsPerOp(() => void (sink = instanceToPlain(instance)), 30_000)],
  ['fromMap (all checks)', nsPerOp(() => void fromMap(alice, plain, json), 300_000), 'class-transformer plainToInstance', nsPerOp(() => void (sink = plainToInstance(PlainUser, plain)), 30_000)],
];
void sink;
for (const [name, ns, baseline, baselineNs] of lines) {
  console.log(`${name.padEnd(21)} ${ns.toFixed(0).padStart(5)} ns/op   vs ${baseline.padEnd(34)} ${baselineNs.toFixed(0).padStart(5)} ns/op   → ${(baselineNs / ns).toFixed(1)}× faster`);
}

console.log('\n— A million users: one buffer instead of a million objects —');
const COUNT = 1_000_000;
const heapBefore = process.memoryUsage().heapUsed;
const objects = Array.from({ length: COUNT }, (_, i) => ({ id: i, name: `user${i}`, age: i % 90 }));
const objectBytes = process.memoryUsage().heapUsed - heapBefore;
const buffer = new ArrayBuffer(COUNT * sizeof(User));
const users = records(User, buffer);
for (let i = 0; i < COUNT; i++) fromMap(users.at(i), { id: i, name: `user${i}`, age: i % 90 }, json);
console.log(`plain objects: ${(objectBytes / 1e6).toFixed(0)} MB of GC heap; one records buffer: ${(buffer.byteLength / 1e6).toFixed(0)} MB, outside the GC heap`);
const scanAt = (): number => {
  let total = 0;
  for (let i = 0; i < COUNT; i++) total += users.at(i).age;
  return total;
};
const scanObjects = (): number => {
  let total = 0;
  for (let i = 0; i < COUNT; i++) total += objects[i]!.age;
  return total;
};
const scanNs = (scan: () => number): number => {
  scan();
  scan(); // warm up
  const start = process.hrtime.bigint();
  for (let round = 0; round < 5; round++) scan();
  return Number(process.hrtime.bigint() - start) / 5 / COUNT;
};
const viewNs = scanNs(scanAt);
const objectNs = scanNs(scanObjects);
console.log(`scan, read age: records().at(i) ${viewNs.toFixed(1)} ns/record, plain objects ${objectNs.toFixed(1)} ns/record (same totals: ${scanAt() === scanObjects()})`);

