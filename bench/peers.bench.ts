// pnpm bench:peers — structsync against the libraries people use for the same job, on the README's
// User: decode (bytes → object), encode (object → bytes, with the peer's checks), read one field,
// scan 10k records, round trip. Each line (one operation against one peer) runs in a process of its
// own with structsync's side interleaved in the same Bench (bench/harness.ts). structsync's bytes
// are the 32-byte C records of one buffer, walked with records().at(i); each peer keeps its own
// natural encoded form (bench/peers/*.ts say which API each uses and why).
import 'reflect-metadata';
import { fromMap, records, sizeof, toMap } from '@structsync/core';
import { runLines, speed, type Comparison, type Line } from './harness.js';
import { recordMetric } from './metrics.js';
import { sized } from './mode.js';
import { peers } from './peers/index.js';
import type { Peer, PlainUser } from './peers/peer.js';
import { typedStructReady } from './peers/typed-struct.js';
import { User } from './table-user.js';

await typedStructReady();

const RECORDS = 1024; // visited in turn, so no value is seen twice in a row
const MASK = RECORDS - 1;
const SCAN = sized(10_000, 100);
const plainOf = (i: number): PlainUser => ({ id: 1000 + i, name: `user${i}`, age: (i % 90) + 1 });
const objects = Array.from({ length: Math.max(RECORDS, SCAN) }, (_, i) => plainOf(i));
const bigintObjects = objects.map((o) => ({ ...o, id: BigInt(o.id) }));

const json = { tag: 'json' } as const;
const buffer = new ArrayBuffer(Math.max(RECORDS, SCAN) * sizeof(User));
const list = records(User, buffer);
for (let i = 0; i < list.length; i++) fromMap(list.at(i), objects[i]!, json);

let n = 0;
let sink = 0; // written by every read, so no read can be optimised away
let out: unknown;

const structsync = {
  encode: (): void => void fromMap(list.at(n & MASK), objects[n++ & MASK]!, json),
  encodeBigint: (): void => void fromMap(list.at(n & MASK), bigintObjects[n++ & MASK]!, json),
  decode: (): void => void (out = toMap(list.at(n++ & MASK), json)),
  read: (): void => void (sink += list.at(n++ & MASK).age),
  scan: (): void => {
    let total = 0;
    for (let i = 0; i < SCAN; i++) total += list.at(i).age;
    sink += total;
  },
  roundTrip: (): void => {
    const record = list.at(n & MASK);
    fromMap(record, objects[n++ & MASK]!, json);
    out = toMap(record, json);
  },
};

/** Every peer must read back what it was given, or its timings compare nothing. */
function checkPeer(peer: Peer, encoded: readonly unknown[]): void {
  for (const i of [0, 7, RECORDS - 1]) {
    const user = peer.decode(peer.encode === undefined ? encoded[i] : peer.encode(objects[i]!)) as Record<string, unknown>;
    const expected = objects[i]!;
    const same = String(user.id) === String(expected.id) && user.name === expected.name && user.age === expected.age && peer.readAge(encoded[i]) === expected.age;
    if (!same) throw new Error(`${peer.name} read back ${JSON.stringify(user, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} for ${JSON.stringify(expected)}`);
  }
}

/** One peer's side of every operation, over its own encoded records (made in the line's process). */
function peerSide(peer: Peer): Record<Operation, (() => void) | undefined> & { setup: () => void } {
  let encoded: unknown[] = [];
  const encode = peer.encode;
  return {
    setup: () => {
      encoded = objects.map(peer.prepare);
      checkPeer(peer, encoded);
    },
    encode: encode && ((): void => void (out = encode(objects[n++ & MASK]!))),
    encodeBigint: undefined,
    decode: () => void (out = peer.decode(encoded[n++ & MASK])),
    read: () => void (sink += peer.readAge(encoded[n++ & MASK])),
    scan: () => {
      let total = 0;
      for (let i = 0; i < SCAN; i++) total += peer.readAge(encoded[i]);
      sink += total;
    },
    roundTrip: encode && ((): void => void (out = peer.decode(encode(objects[n++ & MASK]!)))),
  };
}

type Operation = keyof typeof structsync;
const OPERATIONS: readonly { op: Operation; title: string }[] = [
  { op: 'decode', title: 'decode: bytes → object (structsync: toMap of the record)' },
  { op: 'encode', title: "encode: object → bytes with the peer's checks (structsync: fromMap into the record, all checks)" },
  { op: 'read', title: 'read one field (age) of one record' },
  { op: 'scan', title: `scan ${SCAN.toLocaleString('en-US')} records, summing age (ns per whole scan)` },
  { op: 'roundTrip', title: 'round trip: encode, then decode' },
];
// Some peers take tens of µs per record (a whole scan, tens of ms): tinybench's minimum of 64
// iterations per round would then take seconds, so the rounds are bounded by time alone, and
// allocation is sampled over fewer calls.
const perRecord = { iterations: 2, allocationChunk: 50, allocationChunks: 20 };
const slow = { iterations: 2, allocationChunk: 2, allocationChunks: 10 };

interface PeerLine extends Line {
  readonly peer: Peer;
  readonly op: Operation;
}
const lines: PeerLine[] = [];
for (const { op } of OPERATIONS) {
  for (const peer of peers) {
    const side = peerSide(peer);
    const baseline = side[op];
    if (baseline === undefined) continue;
    const scan = op === 'scan';
    lines.push({ peer, op, name: `structsync ${op}`, candidate: structsync[op], baselineName: `${peer.name} ${op}`, baseline, setup: side.setup, opsPerIteration: scan ? 1 : 1000, time: scan ? 500 : 600, options: scan ? slow : perRecord });
  }
}
// The 64-bit id as a bigint (what toMap returns) against avsc's number id.
const avscSide = peerSide(peers.find((p) => p.name === 'avsc')!);
lines.push({ peer: peers.find((p) => p.name === 'avsc')!, op: 'encodeBigint', name: 'structsync encode, bigint id', candidate: structsync.encodeBigint, baselineName: 'avsc encode', baseline: avscSide.encode!, setup: avscSide.setup, options: perRecord });

const rows = await runLines(import.meta.url, lines);
void out;
void sink;

if (rows !== undefined) {
  console.log(`structsync against its peers on User — Node ${process.version}, ${process.arch}`);
  console.log('(bytes/op: structsync (the peer))\n');
  const byLine = new Map(lines.map((line, i) => [line, rows[i]!]));
  const losses: string[] = [];
  const titles = [...OPERATIONS, { op: 'encodeBigint' as Operation, title: 'encode with a bigint id (avsc: a number id, its natural long)' }];
  for (const { op, title } of titles) {
    const here = lines.filter((l) => l.op === op);
    console.log(`### ${title}\n`);
    console.log('| peer | structsync ns/op | peer ns/op | structsync against the peer | bytes/op: structsync (peer) | the peer checks |');
    console.log('|---|---:|---:|---:|---:|---|');
    for (const line of here) {
      const r: Comparison = byLine.get(line)!;
      console.log(`| ${line.peer.name} | ${r.nsPerOp.toFixed(1)} | ${r.baselineNsPerOp.toFixed(1)} | ${speed(r.timeRatio)} | ${r.bytesPerOp.toFixed(0)} (${r.baselineBytesPerOp.toFixed(0)}) | ${line.peer.checks} |`);
      recordMetric({ chart: 'speed-up over each peer (peer time ÷ structsync time)', label: line.peer.name, series: op, value: 1 / r.timeRatio, unit: '×' });
      if (r.timeRatio > 1) losses.push(`${op}: ${line.peer.name} (structsync takes ${r.timeRatio.toFixed(2)}× its time)`);
    }
    console.log('');
  }
  console.log(losses.length === 0 ? 'structsync was the fastest on every line.' : `Where a peer was faster in this run:\n\n${losses.map((l) => `- ${l}`).join('\n')}`);
}
