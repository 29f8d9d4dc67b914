// String fast paths for struct↔map conversion. Record strings are short and mostly ASCII, where
// the general UTF-8 routines cost more than the copy itself: here one pass answers "ASCII?" and
// one String.fromCharCode call builds the result. Anything else falls back to utf8.ts.
import { CACHED_STRING_SIZE, cachedString } from './string-cache.js';
import { readUtf8, utf8Length, writeUtf8 } from '../utf8.js';

const fromCharCode = String.fromCharCode;

/** UTF-8 byte length of `s` (HAS_NUL / LONE_SURROGATE when it cannot be stored), ASCII first. */
export function stringBytes(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c >= 0x80) return utf8Length(s);
  }
  return s.length;
}

/**
 * Writes a string that passed `stringBytes` (`length` is its result) into `size` bytes at `at`,
 * NUL-padded; `units` UTF-16 units of it when truncating. ASCII goes four characters per store,
 * padding four zero bytes per store: per-byte stores were most of fromMap's time on short strings.
 */
export function writeString(data: DataView, bytes: Uint8Array, at: number, size: number, s: string, length: number, units: number): void {
  if (length !== s.length || units !== s.length) return writeUtf8(bytes, at, size, s, units);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    data.setUint32(at + i, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24), true);
  }
  for (; i < length; i++) bytes[at + i] = s.charCodeAt(i);
  for (; i < size && (i & 3) !== 0; i++) bytes[at + i] = 0;
  for (; i + 4 <= size; i += 4) data.setUint32(at + i, 0, true);
  for (; i < size; i++) bytes[at + i] = 0;
}

/** Reads a NUL-padded string of at most `size` bytes at `at`. */
export function readString(data: DataView, bytes: Uint8Array, at: number, size: number): string {
  // A zero-length str (Go's [0]byte) reads no word: it may end the buffer.
  return size <= CACHED_STRING_SIZE && size !== 0 && (size & 3) === 0 ? cachedString(data, at, size, decodeString) : decodeString(data, bytes, at, size);
}

function decodeString(data: DataView, bytes: Uint8Array, at: number, size: number): string {
  const end = at + size;
  let i = at;
  // Four bytes at a time while none is NUL or non-ASCII: a byte b has its top bit set in
  // `(w - 0x01010101) | w` exactly when b is 0 (the subtraction borrows) or b >= 0x80.
  for (; i + 4 <= end; i += 4) {
    const w = data.getUint32(i, true);
    if (((w - 0x01010101) | w) & 0x80808080) break;
  }
  while (i < end) {
    const b = bytes[i]!;
    if (b === 0) break;
    if (b >= 0x80) return readUtf8(bytes, at, size);
    i++;
  }
  const b = bytes;
  // One String.fromCharCode call per length up to 16 bytes: no intermediate strings.
  switch (i - at) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[at]!);
    case 2:
      return fromCharCode(b[at]!, b[at + 1]!);
    case 3:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!);
    case 4:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    case 5:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!);
    case 6:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!);
    case 7:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!);
    case 8:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
    case 9:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!);
    case 10:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!);
    case 11:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!, b[at + 10]!);
    case 12:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!, b[at + 10]!, b[at + 11]!);
    case 13:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!, b[at + 10]!, b[at + 11]!, b[at + 12]!);
    case 14:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!, b[at + 10]!, b[at + 11]!, b[at + 12]!, b[at + 13]!);
    case 15:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!, b[at + 10]!, b[at + 11]!, b[at + 12]!, b[at + 13]!, b[at + 14]!);
    case 16:
      return fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!, b[at + 8]!, b[at + 9]!, b[at + 10]!, b[at + 11]!, b[at + 12]!, b[at + 13]!, b[at + 14]!, b[at + 15]!);
    default: {
      if (i - at > 32) return readUtf8(bytes, at, i - at);
      // Four characters per call: fewer intermediate strings than one per byte.
      let out = '';
      let p = at;
      for (; p + 4 <= i; p += 4) out += fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
      for (; p < i; p++) out += fromCharCode(b[p]!);
      return out;
    }
  }
}
