// UTF-8 for fixed-size, NUL-padded `str` fields. Short strings dominate records, and TextDecoder
// costs more than the decode itself for them, so ASCII takes a hand-written path. Writes never
// split a code point; strings that would not read back unchanged (a NUL, a lone surrogate) are
// refused by `utf8Length` so callers can reject them before writing anything.

// ignoreBOM: a leading U+FEFF is part of a field's string, not a signature to strip (found in review).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** `utf8Length` result for a string containing U+0000, which a NUL-padded field cannot hold. */
export const HAS_NUL = -1;
/** `utf8Length` result for a string with a lone surrogate, which UTF-8 cannot represent. */
export const LONE_SURROGATE = -2;

/** Byte length of `s` in UTF-8, or HAS_NUL / LONE_SURROGATE. Allocates nothing. */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0) return HAS_NUL;
      bytes += 1;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return LONE_SURROGATE;
      bytes += 4;
      i++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

/**
 * Number of UTF-16 code units of `s` whose UTF-8 encoding fits in `maxBytes`, never splitting a
 * code point (a surrogate pair counts as one). `s` must have passed `utf8Length`.
 */
export function fitUtf8(s: string, maxBytes: number): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff;
    const width = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + width > maxBytes) return i;
    bytes += width;
    if (pair) i++;
  }
  return s.length;
}

/**
 * Writes the first `units` UTF-16 units of `s` at `start` and NUL-pads to `start + size`.
 * The caller has checked, with `utf8Length`/`fitUtf8`, that they fit.
 */
export function writeUtf8(bytes: Uint8Array, start: number, size: number, s: string, units: number = s.length): void {
  let p = start;
  for (let i = 0; i < units; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      bytes[p++] = c;
    } else if (c < 0x800) {
      bytes[p++] = 0xc0 | (c >> 6);
      bytes[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      bytes[p++] = 0xf0 | (c >> 18);
      bytes[p++] = 0x80 | ((c >> 12) & 0x3f);
      bytes[p++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[p++] = 0x80 | (c & 0x3f);
    } else {
      bytes[p++] = 0xe0 | (c >> 12);
      bytes[p++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[p++] = 0x80 | (c & 0x3f);
    }
  }
  bytes.fill(0, p, start + size);
}

/** Reads a NUL-padded UTF-8 string of at most `size` bytes at `start`. */
export function readUtf8(bytes: Uint8Array, start: number, size: number): string {
  const limit = start + size;
  let end = start;
  let ascii = true;
  for (; end < limit; end++) {
    const b = bytes[end]!;
    if (b === 0) break;
    if (b >= 0x80) ascii = false;
  }
  if (!ascii || end - start > 32) return decoder.decode(bytes.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
