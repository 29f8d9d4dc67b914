// pnpm bench:core — structsync views and struct↔map sync against plain objects, JSON and
// class-transformer, on the seed's User. Every line runs its baseline in the same Bench (median
// of three rounds), 1,000 operations per tinybench iteration, each on another of 1,024 distinct
// records (so no cache sees the same value twice in a row); bytes/op is the median heap growth per
// call over chunks of calls without a collection (bench/allocation.ts).
import 'reflect-metadata';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, validateSync } from 'class-validator';
import { createPool, Field, fromMap, records, repoint, sizeof, Struct, toMap, view } from '@structsync/core';
import { allocatedBytesPerOp } from './allocation.js';
import { compare, formatTable, type Comparison } from './harness.js';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @IsString()
  @MaxLength(16)
  @Field({ type: 'str', size: 16, tag: 'json:name' })
  name!: string;
  @IsInt()
  @Min(0)
  @Max(150)
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' })
  age!: number;
}

/** The class-transformer / class-validator side: the same User as an ordinary class. */
class PlainUser {
  id!: number;
  @IsString()
  @MaxLength(16)
  name!: string;
  @IsInt()
  @Min(0)
  @Max(150)
  age!: number;
}

const RECORDS = 1024; // a power of two: `i & MASK` picks the next record
const MASK = RECORDS - 1;
const nameOf = (i: number): string => `user${i}`; // 5-8 ASCII characters, like most names
const plainOf = (i: number): { id: number; name: string; age: number } => ({ id: 1000 + i, name: nameOf(i), age: (i % 90) + 1 });

// ---------------------------------------------------------------- scan
const SCAN = 10_000;
const scanBuffer = new ArrayBuffer(SCAN * sizeof(User));
let k = 0;
for (const u of records(User, scanBuffer)) fromMap(u, { ...plainOf(k), id: BigInt(k++) }, { tag: 'json' });
const plainScan = Array.from({ length: SCAN }, (_, i) => plainOf(i));
const cursor = view(User, scanBuffer, 0);
const stride = sizeof(User);
let sink = 0;
const scanView = (): void => {
  let total = 0;
  for (let i = 0; i < SCAN; i++) {
    repoint(cursor, i * stride);
    total += cursor.age;
  }
  sink += total;
};
const scanPlain = (): void => {
  let total = 0;
  for (let i = 0; i < SCAN; i++) total += plainScan[i]!.age;
  sink += total;
};

// ---------------------------------------------------------------- conversions
const pool = createPool(User, { capacity: RECORDS + 1 });
const views = Array.from({ length: RECORDS }, (_, i) => fromMap(pool.acquire(), plainOf(i), { tag: 'json' }));
const objects = Array.from({ length: RECORDS }, (_, i) => plainOf(i));
const instances = objects.map((o) => Object.assign(new PlainUser(), o));
const inputs = Array.from({ length: RECORDS }, (_, i) => plainOf(i));
const target = fromMap(pool.acquire(), plainOf(0), { tag: 'json' });

const json = { tag: 'json' } as const;
const into: Record<string, unknown> = {};
const intoJson = { tag: 'json', into } as const;
const validating = { tag: 'json', validate: true } as const;
let n = 0;
let out: unknown;

const rows: Comparison[] = [];
// Three rounds per line (each a candidate/baseline pair in one Bench); the round with the median
// ratio is reported, so one burst of load on this shared machine does not decide a line.
const ROUNDS = 3;
const add = async (...args: Parameters<typeof compare>): Promise<void> => {
  const rounds: Comparison[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await compare(...args));
  rounds.sort((a, b) => a.timeRatio - b.timeRatio);
  const row = rounds[Math.floor(ROUNDS / 2)]!;
  const [, candidate, , baseline] = args;
  rows.push({ ...row, bytesPerOp: allocatedBytesPerOp(candidate), baselineBytesPerOp: allocatedBytesPerOp(baseline) });
};
const JSON_BASELINE = 'JSON.parse(JSON.stringify(obj))';
const jsonRoundTrip = (): void => void (out = JSON.parse(JSON.stringify(objects[n++ & MASK])));

await add('scan 10k records: read age through a re-pointed view', scanView, 'same read on 10k plain objects', scanPlain, 1, 1000);
await add('toMap (new object)', () => void (out = toMap(views[n++ & MASK]!, json)), JSON_BASELINE, jsonRoundTrip);
await add('toMap (into a reused object)', () => void (out = toMap(views[n++ & MASK]!, intoJson)), JSON_BASELINE, jsonRoundTrip);
await add('toMap (new object) ', () => void (out = toMap(views[n++ & MASK]!, json)), 'class-transformer instanceToPlain', () => void (out = instanceToPlain(instances[n++ & MASK])));
await add('fromMap (all checks)', () => void fromMap(target, inputs[n++ & MASK], json), 'class-transformer plainToInstance', () => void (out = plainToInstance(PlainUser, inputs[n++ & MASK])));
// The interpreted converters last: a process normally uses one kind, and once both have run,
// the call sites that pick a converter are polymorphic (V8 stops inlining the generated one).
const interpretedViews = Array.from({ length: RECORDS }, (_, i) => fromMap(view(User, new ArrayBuffer(stride), 0, { codegen: false }), plainOf(i), { tag: 'json' }));
const interpretedTarget = fromMap(view(User, new ArrayBuffer(stride), 0, { codegen: false }), plainOf(0), { tag: 'json' });
await add('toMap, interpreted (codegen: false)', () => void (out = toMap(interpretedViews[n++ & MASK]!, json)), JSON_BASELINE, jsonRoundTrip);
await add('fromMap, interpreted (codegen: false)', () => void fromMap(interpretedTarget, inputs[n++ & MASK], json), 'class-transformer plainToInstance', () => void (out = plainToInstance(PlainUser, inputs[n++ & MASK])));
await add(
  'fromMap + class-validator (validate: true)',
  () => void fromMap(target, inputs[n++ & MASK], validating),
  'plainToInstance + validateSync',
  () => void (out = validateSync(plainToInstance(PlainUser, inputs[n++ & MASK]))),
);
void out;

const table = formatTable(rows, {
  'scan 10k records: read age through a re-pointed view': '≤ 1.1× the time',
  'toMap (new object)': '≥ 15× faster',
  'toMap (new object) ': '≥ 30× faster',
  'fromMap (all checks)': '≥ 25× faster',
});
const gcNote = (globalThis as { gc?: unknown }).gc === undefined ? ' (run with --expose-gc for exact bytes/op)' : '';
console.log(`structsync core benchmark — Node ${process.version}, ${process.arch}${gcNote}\n`);
console.log(table);
console.log(`\n(sink ${sink > 0 ? 'ok' : 'empty'}; the scan line's ops are whole 10k-record scans: ns/op is per scan)`);
