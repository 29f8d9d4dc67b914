// Decoded short strings, remembered by their raw bytes. Record strings repeat (statuses, country
// codes, user names in a hot set), and building a string costs more than everything else toMap
// does for a record; V8's JSON.parse keeps short string values in its string table for the same
// reason. The cache is direct-mapped and keyed by the field's whole raw bytes (up to 16, read as
// four words), so a hit needs no scan at all. A miss decodes a private copy of those same bytes,
// never the buffer again: with shared memory the buffer may have changed since the words were
// read, and an entry must only ever pair bytes with their own decoding.

const ENTRIES = 4096; // a power of two
const keys = new Int32Array(ENTRIES * 4);
const values: (string | undefined)[] = new Array<string | undefined>(ENTRIES).fill(undefined);
const copy = new DataView(new ArrayBuffer(16));
const copyBytes = new Uint8Array(copy.buffer);

/** Largest `str` field (in bytes) whose reads go through the cache; sizes must be multiples of 4. */
export const CACHED_STRING_SIZE = 16;

/**
 * The string in the `size`-byte field at `at` (size a multiple of 4, at most 16), decoded with
 * `decode` on a miss.
 */
export function cachedString(
  data: DataView,
  at: number,
  size: number,
  decode: (data: DataView, bytes: Uint8Array, at: number, size: number) => string,
): string {
  const w0 = data.getInt32(at, true);
  const w1 = size > 4 ? data.getInt32(at + 4, true) : 0;
  const w2 = size > 8 ? data.getInt32(at + 8, true) : 0;
  const w3 = size > 12 ? data.getInt32(at + 12, true) : 0;
  // Bytes past the first NUL are part of the key: fields of other sizes or with other padding
  // then only miss, they never collide, because the key determines the decoding.
  let h = Math.imul(w0, 0x9e3779b1);
  h = Math.imul(h ^ w1, 0x85ebca6b);
  h = Math.imul(h ^ w2, 0xc2b2ae35);
  h = Math.imul(h ^ w3, 0x27d4eb2f);
  const slot = (h ^ (h >>> 15)) & (ENTRIES - 1);
  const k = slot << 2;
  const cached = values[slot];
  if (cached !== undefined && keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3) return cached;
  copy.setInt32(0, w0, true);
  copy.setInt32(4, w1, true);
  copy.setInt32(8, w2, true);
  copy.setInt32(12, w3, true);
  const s = decode(copy, copyBytes, 0, size);
  keys[k] = w0;
  keys[k + 1] = w1;
  keys[k + 2] = w2;
  keys[k + 3] = w3;
  values[slot] = s;
  return s;
}
