// Which 32-bit payload words each top-level field covers, with byte masks for the words it shares
// with a neighbour. Commits use it to find the fields a transaction changed and to write exactly
// those fields' bytes, leaving the neighbours' bytes in a shared word intact.
import { canGenerate } from '../view/codegen.js';
import type { StructLayout } from '../layout/layout.js';

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
  // Per field, never per word: set-up stays O(fields) however large a field is (a 16 MiB record
  // took ~17 s and one near 2^31 bytes ran out of memory building per-word tables; found in review).
  layout.fields.forEach((field, f) => {
    const start = field.offset;
    const end = field.offset + field.size;
    first[f] = start >> 2;
    last[f] = (end - 1) >> 2;
    // A zero-size field owns no bytes: no word, no mask, never changed.
    if (field.size === 0) {
      last[f] = first[f]! - 1;
      return;
    }
    firstMask[f] = byteMask(start - 4 * first[f]!, Math.min(end - 4 * first[f]!, 4));
    lastMask[f] = byteMask(Math.max(start - 4 * last[f]!, 0), end - 4 * last[f]!);
  });
  const shape = { count, wordCount, first, last, firstMask, lastMask };
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

/** Fields of more words than this are compared by a loop, not unrolled into the generated test. */
const UNROLL_WORDS = 16;

/**
 * One test per field over exactly its words, unrolled: half the time of the word loop below on a
 * small record (a commit's largest cost after its atomics). Only integers reach the source.
 */
function generatedDiff(words: WordTables): FieldWords['diff'] {
  const tests: string[] = [];
  for (let f = 0; f < words.count; f++) {
    const first = words.first[f]!;
    const last = words.last[f]!;
    if (last < first) continue;
    if (last - first >= UNROLL_WORDS) {
      tests.push(`  if (differs(work, base, ${first}, ${last}, ${words.firstMask[f]!}, ${words.lastMask[f]!})) out.add(${f});`);
      continue;
    }
    const parts: string[] = [];
    for (let w = first; w <= last; w++) {
      const mask = (w === first ? words.firstMask[f]! : -1) & (w === last ? words.lastMask[f]! : -1);
      parts.push(mask === -1 ? `(work[${w}] ^ base[${w}])` : `((work[${w}] ^ base[${w}]) & ${mask})`);
    }
    tests.push(`  if ((${parts.join(' | ')}) !== 0) out.add(${f});`);
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- integers only, see above
  return new Function('differs', `'use strict';\n  return function diff(work, base, out) {\n  out.clear();\n${tests.join('\n')}\n  return out.size;\n  };`)(
    differs,
  ) as FieldWords['diff'];
}

/** Whether a field's words [first, last] differ, its first and last word under their masks. */
function differs(work: Int32Array, base: Int32Array, first: number, last: number, firstMask: number, lastMask: number): boolean {
  if (first === last) return ((work[first]! ^ base[first]!) & firstMask & lastMask) !== 0;
  if (((work[first]! ^ base[first]!) & firstMask) !== 0 || ((work[last]! ^ base[last]!) & lastMask) !== 0) return true;
  for (let w = first + 1; w < last; w++) if (work[w] !== base[w]) return true;
  return false;
}

/** The generic changedFields, for runtimes that forbid `new Function`. */
export function scanDiff(words: WordTables, work: Int32Array, base: Int32Array, out: FieldSet): number {
  out.clear();
  for (let f = 0; f < words.count; f++) {
    const first = words.first[f]!;
    const last = words.last[f]!;
    if (last >= first && differs(work, base, first, last, words.firstMask[f]!, words.lastMask[f]!)) out.add(f);
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
