// Which 32-bit payload words each top-level field covers, with byte masks for the words it shares
// with a neighbour. Commits use it to find the fields a transaction changed and to write exactly
// those fields' bytes with Atomics.store, leaving the neighbours' bytes in a shared word intact.
import type { StructLayout } from './layout.js';

export interface FieldWords {
  readonly count: number;
  /** First payload word of each field. */
  readonly first: Int32Array;
  /** Last payload word of each field (inclusive). */
  readonly last: Int32Array;
  /** Bits of the first word that belong to the field (-1: all of them). */
  readonly firstMask: Int32Array;
  /** Bits of the last word that belong to the field (-1: all of them). */
  readonly lastMask: Int32Array;
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
  const first = new Int32Array(count);
  const last = new Int32Array(count);
  const firstMask = new Int32Array(count);
  const lastMask = new Int32Array(count);
  layout.fields.forEach((field, f) => {
    const start = field.offset;
    const end = field.offset + field.size;
    first[f] = start >> 2;
    last[f] = (end - 1) >> 2;
    firstMask[f] = byteMask(start & 3, first[f] === last[f] ? end - 4 * first[f]! : 4);
    lastMask[f] = byteMask(first[f] === last[f] ? start & 3 : 0, end - 4 * last[f]!);
  });
  words = Object.freeze({ count, first, last, firstMask, lastMask });
  cache.set(layout, words);
  return words;
}

/** Bits of payload word `w` that belong to field `f` (-1: all of them). */
function maskOf(words: FieldWords, f: number, w: number): number {
  let mask = -1;
  if (w === words.first[f]) mask &= words.firstMask[f]!;
  if (w === words.last[f]) mask &= words.lastMask[f]!;
  return mask;
}

export function hasField(set: Int32Array, field: number): boolean {
  return (set[field >>> 5]! & (1 << (field & 31))) !== 0;
}

export function addField(set: Int32Array, field: number): void {
  set[field >>> 5]! |= 1 << (field & 31);
}

/**
 * Marks in `out` every field whose bytes differ between `work` and `base` (two private payload
 * copies) and returns how many there are. Allocates nothing.
 */
export function changedFields(words: FieldWords, work: Int32Array, base: Int32Array, out: Int32Array): number {
  out.fill(0);
  let changed = 0;
  for (let f = 0; f < words.count; f++) {
    const last = words.last[f]!;
    for (let w = words.first[f]!; w <= last; w++) {
      if (((work[w]! ^ base[w]!) & maskOf(words, f, w)) !== 0) {
        addField(out, f);
        changed++;
        break;
      }
    }
  }
  return changed;
}

/**
 * Stores the bytes of the fields in `set` from `source` into the shared payload starting at word
 * `at`. A word shared with a field outside the set is merged with its current shared value; the
 * caller holds the record's write lock, so nothing changes that word in between.
 */
export function storeFields(words: FieldWords, set: Int32Array, source: Int32Array, shared: Int32Array, at: number): void {
  for (let f = 0; f < words.count; f++) {
    if (!hasField(set, f)) continue;
    const last = words.last[f]!;
    for (let w = words.first[f]!; w <= last; w++) {
      const mask = maskOf(words, f, w);
      const value = mask === -1 ? source[w]! : (Atomics.load(shared, at + w) & ~mask) | (source[w]! & mask);
      Atomics.store(shared, at + w, value);
    }
  }
}
