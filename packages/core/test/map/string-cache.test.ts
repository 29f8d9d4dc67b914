// The short-string cache behind toMap: whatever the raw bytes (ASCII, UTF-8, invalid UTF-8, bytes
// after the NUL), a read through the cache equals a plain decode, before and after its slot is
// taken by other strings; and a hit returns the string of the bytes now in the buffer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readString } from '../../src/map/map-strings.js';
import { readUtf8 } from '../../src/utf8.js';

const field = (bytes: Uint8Array): { data: DataView; bytes: Uint8Array } => {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length + 8));
  copy.set(bytes, 4); // not at offset 0, in shared memory
  return { data: new DataView(copy.buffer), bytes: copy };
};

describe('cached string reads', () => {
  const raw = fc.oneof(
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.string({ maxLength: 16 }).map((s) => {
      const out = new Uint8Array(16);
      out.set(new TextEncoder().encode(s).subarray(0, 16));
      return out;
    }),
  );

  for (const size of [4, 8, 12, 16]) {
    it(`agree with a plain decode for ${size}-byte fields, hit or miss`, () => {
      fc.assert(
        fc.property(raw, (bytes) => {
          const f = field(bytes);
          const expected = readUtf8(f.bytes, 4, size);
          expect(readString(f.data, f.bytes, 4, size)).toBe(expected); // possibly a miss
          expect(readString(f.data, f.bytes, 4, size)).toBe(expected); // now a hit
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('evicted and refilled slots still answer right (20,000 distinct names through 4,096 slots)', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `n${i.toString(36)}-${(i * 7919) % 1000}`);
    const buffer = new Uint8Array(16 * names.length);
    const data = new DataView(buffer.buffer);
    names.forEach((name, i) => buffer.set(new TextEncoder().encode(name), i * 16));
    for (let round = 0; round < 3; round++) {
      names.forEach((name, i) => expect(readString(data, buffer, i * 16, 16)).toBe(name));
    }
  });

  it('every byte of the field is part of the key: names differing in one word only never mix', () => {
    // 8,000 names per word position through 4,096 slots: many share a slot and all other words.
    for (let word = 0; word < 4; word++) {
      const names = Array.from({ length: 8000 }, (_, i) => {
        const chars = 'wxyz'.split('');
        chars.splice(0, 4, ...i.toString(36).padStart(4, '0'));
        return 'abcdefghijklmnop'.slice(0, word * 4) + chars.join('') + 'abcdefghijklmnop'.slice(word * 4 + 4);
      });
      const buffer = new Uint8Array(16 * names.length);
      const data = new DataView(buffer.buffer);
      names.forEach((name, i) => buffer.set(new TextEncoder().encode(name), i * 16));
      for (let round = 0; round < 2; round++) names.forEach((name, i) => expect(readString(data, buffer, i * 16, 16)).toBe(name));
    }
  });

  it('a hit answers for the bytes in the buffer now, not for what was there before', () => {
    const buffer = new Uint8Array(16);
    const data = new DataView(buffer.buffer);
    buffer.set(new TextEncoder().encode('alice'));
    expect(readString(data, buffer, 0, 16)).toBe('alice');
    buffer.set(new TextEncoder().encode('bob\0\0'));
    expect(readString(data, buffer, 0, 16)).toBe('bob');
    buffer.set(new TextEncoder().encode('alice'));
    expect(readString(data, buffer, 0, 16)).toBe('alice');
  });
});
