// pnpm bench:scaling — how toMap, fromMap, a scan and a commit cost per record as the number of
// records grows (10^3 … 10^7 Users) and as the struct widens (3 … 64 fields at 10^5 records), each
// next to the same work on plain objects in the same process (rounds alternate the two). Each
// point runs in a fresh process (this script with --point). Where ns/record rises with the count
// is where the records stop fitting a cache level.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTable, Field, fromMap, records, sizeof, Struct, toMap, type StructClass } from '@structsync/core';
import { recordMetric } from './metrics.js';
import { smoke, sized } from './mode.js';
import { User } from './table-user.js';

const RECORD_COUNTS = smoke ? [100, 1000] : [1e3, 1e4, 1e5, 1e6, 1e7];
const FIELD_COUNTS = smoke ? [3, 8] : [3, 8, 16, 32, 48, 64];
const WIDE_RECORDS = sized(100_000, 200);
/** Each measurement touches at least this many records (small counts make several passes). */
const MIN_TOUCHED = sized(2_000_000, 1_000);
const ROUNDS = sized(3, 1);
const OPERATIONS = ['scan', 'toMap', 'fromMap', 'commit'] as const;
type Operation = (typeof OPERATIONS)[number];

interface Point {
  readonly op: Operation;
  readonly records: number;
  readonly fields: number;
  readonly ns: number;
  readonly baselineNs: number;
  /** structsync time ÷ plain-object time, median of the rounds. */
  readonly ratio: number;
}

/** A struct of `fields` fields cycling through i32, f64, u16 and bool (field 0 an i32). */
function wideStruct(fields: number): StructClass<Record<string, number | boolean>> {
  const Wide = class {} as unknown as StructClass<Record<string, number | boolean>>;
  const types = ['i32', 'f64', 'u16', 'bool'] as const;
  for (let j = 0; j < fields; j++) Field({ type: types[j % 4]!, tag: `json:f${j}` })(Wide.prototype as never, `f${j}`);
  Struct({ name: `Wide${fields}` })(Wide);
  return Wide;
}
const wideValue = (j: number, i: number): number | boolean => (j % 4 === 3 ? i % 2 === 0 : (i + j) & 0x7fff);

/** Measures every operation at one point: `count` records of `type`, built from `mapOf`. */
function measurePoint(type: StructClass<object>, count: number, fields: number, mapOf: (i: number) => Record<string, unknown>, first: string): Point[] {
  const json = { tag: 'json' } as const;
  const inputs = Array.from({ length: 1024 }, (_, i) => mapOf(i));
  const list = records(type, new ArrayBuffer(count * sizeof(type)));
  for (let i = 0; i < count; i++) fromMap(list.at(i), inputs[i & 1023]!, json);
  const plain = Array.from({ length: count }, (_, i) => ({ ...inputs[i & 1023]! }));
  const table = createTable(type, { capacity: count });
  const bump = (r: object): void => {
    const record = r as Record<string, number>;
    record[first] = (record[first]! + 1) & 0x7fff;
  };
  let sink = 0;
  let out: unknown;
  const passes = Math.max(1, Math.ceil(MIN_TOUCHED / count));
  const sides: Record<Operation, [(i: number) => void, (i: number) => void]> = {
    scan: [(i) => void (sink += (list.at(i) as Record<string, number>)[first]!), (i) => void (sink += plain[i]![first] as number)],
    toMap: [(i) => void (out = toMap(list.at(i), json)), (i) => void (out = { ...plain[i]! })],
    fromMap: [(i) => void fromMap(list.at(i), inputs[i & 1023]!, json), (i) => void Object.assign(plain[i]!, inputs[i & 1023]!)],
    commit: [(i) => void table.update(i, bump), (i) => bump(plain[i]!)],
  };
  const points = OPERATIONS.map((op) => {
    const candidate = passesOf(sides[op][0], passes, count);
    const baseline = passesOf(sides[op][1], passes, count);
    candidate(); // a warm-up pass each, so the rounds measure optimised code
    baseline();
    const rounds = Array.from({ length: ROUNDS }, (_, round) => {
      const [ns, baselineNs] = round % 2 === 0 ? [candidate(), baseline()] : ([baseline(), candidate()].reverse() as [number, number]);
      return { ns, baselineNs, ratio: ns / baselineNs };
    });
    rounds.sort((a, b) => a.ratio - b.ratio);
    const middle = rounds[rounds.length >> 1]!;
    return { op, records: count, fields, ...middle };
  });
  void out;
  void sink;
  return points;
}

/**
 * A timed loop of `passes` passes over `count` records, compiled afresh for each operation (as
 * harness.ts does): one shared loop would turn its `op(i)` call megamorphic and inline nothing.
 * Returns ns per record.
 */
function passesOf(op: (i: number) => void, passes: number, count: number): () => number {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed source, no user input
  return new Function(
    'op',
    'passes',
    'count',
    'return function timed() { const t = performance.now(); for (let p = 0; p < passes; p++) for (let i = 0; i < count; i++) op(i); return ((performance.now() - t) * 1e6) / (passes * count); };',
  )(op, passes, count) as () => number;
}

const userMap = (i: number): Record<string, unknown> => ({ id: 1000 + i, name: `user${i}`, age: (i % 90) + 1 });

function runPoint(kind: string, n: number): Point[] {
  if (kind === 'records') return measurePoint(User, n, 3, userMap, 'age');
  const Wide = wideStruct(n);
  return measurePoint(Wide, WIDE_RECORDS, n, (i) => Object.fromEntries(Array.from({ length: n }, (_, j) => [`f${j}`, wideValue(j, i)])), 'f0');
}

const at = process.argv.indexOf('--point');
if (at >= 0) {
  process.stdout.write(`${JSON.stringify(runPoint(process.argv[at + 1]!, Number(process.argv[at + 2])))}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  // 10^7 Users as plain objects need more than V8's default old space on some machines.
  const point = (kind: string, n: number): Point[] =>
    smoke
      ? runPoint(kind, n)
      : (JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', script, '--point', kind, String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!) as Point[]);
  const byRecords = RECORD_COUNTS.flatMap((n) => point('records', n));
  const byFields = FIELD_COUNTS.flatMap((n) => point('fields', n));

  const table = (points: Point[], key: 'records' | 'fields', title: string): void => {
    const keys = [...new Set(points.map((p) => p[key]))];
    console.log(`### ${title}\n`);
    console.log(`| ${key} | ${OPERATIONS.map((op) => `${op} ns/record (plain) | ${op} ÷ plain`).join(' | ')} |`);
    console.log(`|---:|${OPERATIONS.map(() => '---:|---:').join('|')}|`);
    for (const k of keys) {
      const cells = OPERATIONS.map((op) => {
        const p = points.find((q) => q.op === op && q[key] === k)!;
        recordMetric({ chart: `ns per record by ${key}`, label: op, series: 'structsync', x: k, value: p.ns, unit: 'ns' });
        recordMetric({ chart: `ns per record by ${key}`, label: op, series: 'plain objects', x: k, value: p.baselineNs, unit: 'ns' });
        return `${p.ns.toFixed(1)} (${p.baselineNs.toFixed(1)}) | ${p.ratio.toFixed(2)}`;
      });
      console.log(`| ${k.toLocaleString('en-US')} | ${cells.join(' | ')} |`);
    }
    console.log('');
  };
  console.log(`structsync per-record costs as records and fields grow — Node ${process.version}, ${process.arch}`);
  console.log('(plain objects: the same read, a spread copy, an Object.assign, an increment; every point a fresh process)\n');
  table(byRecords, 'records', `User (${sizeof(User)} bytes), 10^3 … 10^7 records`);
  table(byFields, 'fields', `${WIDE_RECORDS.toLocaleString('en-US')} records, 3 … 64 fields (i32, f64, u16, bool in turn)`);
  linearity(byRecords);
}

/** Where ns/record first rises past 1.5× its value at the smallest count: the end of linear cost. */
function linearity(points: Point[]): void {
  console.log('Where the per-record cost stops being flat (first count at ≥ 1.5× the smallest count\'s ns/record):\n');
  for (const op of OPERATIONS) {
    const series = points.filter((p) => p.op === op);
    const knee = series.find((p) => p.ns >= 1.5 * series[0]!.ns);
    const plainKnee = series.find((p) => p.baselineNs >= 1.5 * series[0]!.baselineNs);
    console.log(`- ${op}: structsync ${knee === undefined ? 'flat throughout' : `from ${knee.records.toLocaleString('en-US')} records (${knee.ns.toFixed(1)} ns vs ${series[0]!.ns.toFixed(1)})`}; plain objects ${plainKnee === undefined ? 'flat throughout' : `from ${plainKnee.records.toLocaleString('en-US')} (${plainKnee.baselineNs.toFixed(1)} ns vs ${series[0]!.baselineNs.toFixed(1)})`}`);
  }
}
