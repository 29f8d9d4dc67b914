// pnpm bench:core — structsync views and struct↔map sync against plain objects, JSON and
// class-transformer, on the seed's User. Each line runs in a process of its own, its baseline in
// the same process, as the median of eleven interleaved rounds of 1,000 operations per tinybench
// iteration (bench/harness.ts). Operations visit 1,024 distinct records in turn, so no value is
// seen twice in a row; one line visits 65,536 distinct names, so toMap's short-string cache
// always misses. bytes/op is the median heap growth per call over chunks of calls without a
// collection (bench/allocation.ts).
import 'reflect-metadata';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, validateSync } from 'class-validator';
import { createPool, Field, fromMap, records, repoint, sizeof, Struct, toMap, view, type Records } from '@structsync/core';
import { formatTable, rerunLine, runLines, type Line } from './harness.js';
import { recordMetric } from './metrics.js';
import { structArrayCase, type ElementKind } from './struct-arrays.js';

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
const scanRecords = records(User, scanBuffer);
const cursor = view(User, scanBuffer, 0);
const stride = sizeof(User);
let sink = 0; // written by the scans, so that they cannot be optimised away
const scanAt = (): void => {
  let total = 0;
  for (let i = 0; i < SCAN; i++) total += scanRecords.at(i).age;
  sink += total;
};
const scanView = (): void => {
  let total = 0;
  for (let i = 0; i < SCAN; i++) {
    repoint(cursor, i * stride);
    total += cursor.age;
  }
  sink += total;
};
const scanForOf = (): void => {
  let total = 0;
  for (const u of scanRecords) total += u.age;
  sink += total;
};
/** The list arrives as a parameter, as in code that scans whatever list it is given. */
function sumAges(list: Records<User>): number {
  let total = 0;
  for (let i = 0; i < list.length; i++) total += list.at(i).age;
  return total;
}
const scanParameter = (): void => void (sink += sumAges(scanRecords));
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

const JSON_BASELINE = 'JSON.parse(JSON.stringify(obj))';
const jsonRoundTrip = (): void => void (out = JSON.parse(JSON.stringify(objects[n++ & MASK])));
const toPlain = (): void => void (out = plainToInstance(PlainUser, inputs[n++ & MASK]));
// Made only in the processes of the interpreted lines, so that the other lines measure a process
// that uses generated converters only, as most do (with both in use, the call sites choosing a
// converter turn polymorphic and V8 stops inlining the generated one: a few ns, no allocation).
let interpretedViews: User[] = [];
let interpretedTarget = target;
const interpreted = (): void => {
  interpretedViews = Array.from({ length: RECORDS }, (_, i) => fromMap(view(User, new ArrayBuffer(stride), 0, { codegen: false }), plainOf(i), { tag: 'json' }));
  interpretedTarget = fromMap(view(User, new ArrayBuffer(stride), 0, { codegen: false }), plainOf(0), { tag: 'json' });
};

// 65,536 distinct names, visited in turn: every read misses the string cache (4,096 entries).
const DISTINCT = 65_536;
const distinctBuffer = new ArrayBuffer(DISTINCT * stride);
const distinctObjects = Array.from({ length: DISTINCT }, (_, i) => plainOf(i));
const distinct = view(User, distinctBuffer, 0);
for (let i = 0; i < DISTINCT; i++) {
  repoint(distinct, i * stride);
  fromMap(distinct, distinctObjects[i], json);
}
let d = 0;

const lines: Line[] = [
  { name: 'scan 10k records: records(User, buffer).at(i).age', candidate: scanAt, baselineName: 'same read on 10k plain objects', baseline: scanPlain, opsPerIteration: 1, time: 1000, target: '≤ 1.1× the time' },
  { name: 'scan 10k records: repoint(view, i * size), then .age', candidate: scanView, baselineName: 'same read on 10k plain objects', baseline: scanPlain, opsPerIteration: 1, time: 1000 },
  { name: 'scan 10k records: for (const u of records(...)) u.age', candidate: scanForOf, baselineName: 'same read on 10k plain objects', baseline: scanPlain, opsPerIteration: 1, time: 1000 },
  { name: 'scan 10k records: records() passed to a function, .at(i).age', candidate: scanParameter, baselineName: 'same read on 10k plain objects', baseline: scanPlain, opsPerIteration: 1, time: 1000 },
  { name: 'toMap (new object)', candidate: () => void (out = toMap(views[n++ & MASK]!, json)), baselineName: JSON_BASELINE, baseline: jsonRoundTrip, target: '≥ 15× faster' },
  {
    name: 'toMap (new object), every name distinct',
    candidate: () => {
      repoint(distinct, (d++ & (DISTINCT - 1)) * stride);
      out = toMap(distinct, json);
    },
    baselineName: `${JSON_BASELINE}, every name distinct`,
    baseline: () => void (out = JSON.parse(JSON.stringify(distinctObjects[d++ & (DISTINCT - 1)]))),
  },
  { name: 'toMap (into a reused object)', candidate: () => void (out = toMap(views[n++ & MASK]!, intoJson)), baselineName: JSON_BASELINE, baseline: jsonRoundTrip },
  { name: 'toMap (new object) ', candidate: () => void (out = toMap(views[n++ & MASK]!, json)), baselineName: 'class-transformer instanceToPlain', baseline: () => void (out = instanceToPlain(instances[n++ & MASK])), target: '≥ 30× faster' },
  { name: 'fromMap (all checks)', candidate: () => void fromMap(target, inputs[n++ & MASK], json), baselineName: 'class-transformer plainToInstance', baseline: toPlain, target: '≥ 25× faster' },
  { name: 'toMap, interpreted (codegen: false)', candidate: () => void (out = toMap(interpretedViews[n++ & MASK]!, json)), baselineName: JSON_BASELINE, baseline: jsonRoundTrip, setup: interpreted },
  { name: 'fromMap, interpreted (codegen: false)', candidate: () => void fromMap(interpretedTarget, inputs[n++ & MASK], json), baselineName: 'class-transformer plainToInstance', baseline: toPlain, setup: interpreted },
  {
    name: 'fromMap + class-validator (validate: true)',
    candidate: () => void fromMap(target, inputs[n++ & MASK], validating),
    baselineName: 'plainToInstance + validateSync',
    baseline: () => void (out = validateSync(plainToInstance(PlainUser, inputs[n++ & MASK]))),
  },
];

// fromMap of records holding N struct elements, next to JSON.parse of the same body's text: the
// cost per element must not grow with N (issue 14). Fixtures are built in the line's own process.
const ELEMENT_COUNTS = [4, 16, 36, 64, 256, 1024];
const elementLines = new Map<string, { kind: ElementKind; length: number }>();
for (const kind of ['strings', 'numbers'] as const) {
  for (const length of ELEMENT_COUNTS) {
    let fixture: ReturnType<typeof structArrayCase> | undefined;
    const name = `fromMap, ${length} ${kind === 'strings' ? 'line items (2 str, 2 ints)' : 'numeric elements (4 numbers)'}`;
    elementLines.set(name, { kind, length });
    lines.push({
      name,
      setup: () => void (fixture = structArrayCase(kind, length)),
      candidate: () => fixture!.fromMap(),
      baselineName: 'JSON.parse of the same body',
      baseline: () => fixture!.parse(),
      opsPerIteration: Math.max(8, 4096 / length),
      allocationChunk: Math.max(8, 2048 / length),
      target: length === 36 && kind === 'strings' ? '≤ 1× the time (a 3.7 KB order)' : '',
    });
  }
}
const rows = await runLines(import.meta.url, lines);
void out;

if (rows !== undefined) {
  const gcNote = (globalThis as { gc?: unknown }).gc === undefined ? ' (run with --expose-gc for exact bytes/op)' : '';
  console.log(`structsync core benchmark — Node ${process.version}, ${process.arch}${gcNote}\n`);
  console.log(formatTable(rows, Object.fromEntries(lines.map((l) => [l.name, l.target ?? '']))));
  console.log('\n(the scan lines\' ops are whole 10k-record scans: ns/op is per scan)');
  // Each scan again in nine more fresh processes: the time ratio must hold in every process.
  const scans = lines.flatMap((line, i) => (line.name.startsWith('scan 10k records') && line.baseline === scanPlain ? [i] : []));
  const again = scans.map((i) => ({ i, ratios: [rows.find((r) => r.name === lines[i]!.name)?.timeRatio, ...rerunLine(import.meta.url, i, 9).map((r) => r.timeRatio)] }));
  if (again.some((s) => s.ratios.length > 1)) {
    console.log('\n| scan, in 10 fresh processes | best | median | worst (time ÷ plain objects) |\n|---|---:|---:|---:|');
    for (const { i, ratios } of again) {
      const sorted = ratios.filter((r): r is number => r !== undefined).sort((a, b) => a - b);
      const name = lines[i]!.name.replace('scan 10k records: ', '');
      console.log(`| ${name} | ${sorted[0]!.toFixed(2)}× | ${sorted[sorted.length >> 1]!.toFixed(2)}× | ${sorted.at(-1)!.toFixed(2)}× |`);
      recordMetric({ chart: 'scan time ÷ plain objects, worst of 10 fresh processes', label: name, value: sorted.at(-1)!, unit: '×' });
    }
  }
  console.log('\n| elements | kind | fromMap ns/element | vs 4 elements | JSON.parse ns/element |\n|---:|---|---:|---:|---:|');
  const perElement = new Map<ElementKind, number>();
  for (const row of rows) {
    const line = elementLines.get(row.name);
    if (line === undefined) continue;
    const ns = row.nsPerOp / line.length;
    if (line.length === 4) perElement.set(line.kind, ns);
    const ratio = ns / perElement.get(line.kind)!;
    console.log(`| ${line.length} | ${line.kind} | ${ns.toFixed(1)} | ${ratio.toFixed(2)}× | ${(row.baselineNsPerOp / line.length).toFixed(1)} |`);
  }
}
