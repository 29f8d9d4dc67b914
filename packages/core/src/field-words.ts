// Which 32-bit payload words each top-level field covers, with byte masks for the words it shares
// with a neighbour. Commits use it to find the fields a transaction changed and to write exactly
// those fields' bytes, leaving the neighbours' bytes in a shared word intact.
import { canGenerate } from './codegen.js';
import type { StructLayout } from './layout.js';

export interface FieldWords {
  readonly count: number;
  /** Payload words per record. */
  readonly wordCount: number;
  /** First payload word of each field. */
  readonly first: Int32Array;
  /** Last payload word of each field (inclusive). */
  readonly last: Int32Array;
  /** Bits of the first word that belong to the field (-1: all of them). */
  readonly firstMask: Int32Array;
  /** Bits of the last word that belong to the field (-1: all of them). */
  readonly lastMask: Int32Array;
  /** The fields overlapping word w are overlapField[overlapStart[w] .. overlapStart[w + 1]). */
  readonly overlapStart: Int32Array;
  readonly overlapField: Int32Array;
  /** The bits of that word each of them owns. */
  readonly overlapMask: Int32Array;
  /** changedFields for this layout (generated straight-line code where `new Function` is allowed). */
  readonly diff: (work: Int32Array, base: Int32Array, out: FieldSet) => number;
}

/** A set of top-level fields: bits (as stored in a record header) plus the members as a list. */
export class FieldSet {
  readonly bits: Int32Array;
  readonly list: Int32Array;
  size = 0;

  constructor(fieldCount: number) {
    this.bits = new Int32Array(Math.ceil(fieldCount / 32));
    this.list = new Int32Array(fieldCount);
  }

  has(field: number): boolean {
    return (this.bits[field >>> 5]! & (1 << (field & 31))) !== 0;
  }

  add(field: number): void {
    if (this.has(field)) return;
    this.bits[field >>> 5]! |= 1 << (field & 31);
    this.list[this.size++] = field;
  }

  clear(): void {
    // A loop: TypedArray#fill costs more than the one or two words of a typical set.
    for (let w = 0; w < this.bits.length; w++) this.bits[w] = 0;
    this.size = 0;
  }

  /** Replaces the members with the fields whose bits are set in `bits`. */
  setBits(bits: Int32Array, fieldCount: number): void {
    this.clear();
    for (let f = 0; f < fieldCount; f++) if ((bits[f >>> 5]! & (1 << (f & 31))) !== 0) this.add(f);
  }
}

const probe = new Uint8Array(4);
const probeWord = new Int32Array(probe.buffer);

/** The int32 whose bytes [from, to) are 0xff and the others 0, in this machine's byte order. */
function byteMask(from: number, to: number): number {
  probe.fill(0);
  probe.fill(0xff, from, to);
  return probeWord[0]!;
}

const cache = new WeakMap<StructLayout, FieldWords>();

export function fieldWordsOf(layout: StructLayout): FieldWords {
  let words = cache.get(layout);
  if (words !== undefined) return words;
  const count = layout.fields.length;
  const wordCount = Math.ceil(layout.size / 4);
  const first = new Int32Array(count);
  const last = new Int32Array(count);
  const firstMask = new Int32Array(count);
  const lastMask = new Int32Array(count);
  const overlaps: { field: number; mask: number }[][] = Array.from({ length: wordCount }, () => []);
  layout.fields.forEach((field, f) => {
    const start = field.offset;
    const end = field.offset + field.size;
    first[f] = start >> 2;
    last[f] = (end - 1) >> 2;
    for (let w = first[f]!; w <= last[f]!; w++) {
      const mask = byteMask(Math.max(start - 4 * w, 0), Math.min(end - 4 * w, 4));
      if (w === first[f]) firstMask[f] = mask;
      if (w === last[f]) lastMask[f] = mask;
      overlaps[w]!.push({ field: f, mask });
    }
  });
  const overlapStart = new Int32Array(wordCount + 1);
  const flat = overlaps.flat();
  overlaps.forEach((list, w) => (overlapStart[w + 1] = overlapStart[w]! + list.length));
  const shape = {
    count,
    wordCount,
    first,
    last,
    firstMask,
    lastMask,
    overlapStart,
    overlapField: Int32Array.from(flat, (o) => o.field),
    overlapMask: Int32Array.from(flat, (o) => o.mask),
  };
  words = Object.freeze({ ...shape, diff: canGenerate() ? generatedDiff(shape) : (work: Int32Array, base: Int32Array, out: FieldSet) => scanDiff(shape, work, base, out) });
  cache.set(layout, words);
  return words;
}

/**
 * Puts in `out` every field whose bytes differ between `work` and `base` (two private payload
 * copies) and returns how many there are. Compares whole words first, so unchanged words cost one
 * comparison. Allocates nothing.
 */
export function changedFields(words: FieldWords, work: Int32Array, base: Int32Array, out: FieldSet): number {
  return words.diff(work, base, out);
}

type WordTables = Omit<FieldWords, 'diff'>;

/**
 * One test per field over exactly its words, unrolled: half the time of the word loop below on a
 * small record (a commit's largest cost after its atomics). Only integers reach the source.
 */
function generatedDiff(words: WordTables): FieldWords['diff'] {
  const tests: string[] = [];
  for (let f = 0; f < words.count; f++) {
    const parts: string[] = [];
    for (let w = words.first[f]!; w <= words.last[f]!; w++) {
      const mask = w === words.first[f] ? words.firstMask[f]! : w === words.last[f] ? words.lastMask[f]! : -1;
      parts.push(mask === -1 ? `(work[${w}] ^ base[${w}])` : `((work[${w}] ^ base[${w}]) & ${mask})`);
    }
    tests.push(`  if ((${parts.join(' | ')}) !== 0) out.add(${f});`);
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- integers only, see above
  return new Function('work', 'base', 'out', `'use strict';\n  out.clear();\n${tests.join('\n')}\n  return out.size;`) as FieldWords['diff'];
}

/** The generic changedFields, for runtimes that forbid `new Function`. */
export function scanDiff(words: WordTables, work: Int32Array, base: Int32Array, out: FieldSet): number {
  out.clear();
  const { overlapStart, overlapField, overlapMask } = words;
  for (let w = 0; w < words.wordCount; w++) {
    const diff = work[w]! ^ base[w]!;
    if (diff === 0) continue;
    for (let o = overlapStart[w]!; o < overlapStart[w + 1]!; o++) {
      if ((diff & overlapMask[o]!) !== 0) out.add(overlapField[o]!);
    }
  }
  return out.size;
}

/**
 * Stores the bytes of the fields in `set` from `source` into the shared payload starting at word
 * `at`. A word shared with a field outside the set is merged with its current shared value; the
 * caller holds the record's write lock, so nothing changes that word in between. Plain stores:
 * readers validate their copies with a read-modify-write of the version (RecordStore.read).
 */
export function storeFields(words: FieldWords, set: FieldSet, source: Int32Array, shared: Int32Array, at: number): void {
  for (let i = 0; i < set.size; i++) {
    const f = set.list[i]!;
    const first = words.first[f]!;
    const last = words.last[f]!;
    for (let w = first; w <= last; w++) {
      let mask = -1;
      if (w === first) mask &= words.firstMask[f]!;
      if (w === last) mask &= words.lastMask[f]!;
      shared[at + w] = mask === -1 ? source[w]! : (shared[at + w]! & ~mask) | (source[w]! & mask);
    }
  }
}

/** Names of the fields whose bits are set, in declaration order. */
export function fieldNames(layout: StructLayout, bits: Int32Array): string[] {
  return layout.fields.filter((_, f) => (bits[f >>> 5]! & (1 << (f & 31))) !== 0).map((field) => field.name);
}
