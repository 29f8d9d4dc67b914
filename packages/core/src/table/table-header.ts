// Where everything lives in a shared table's buffer: the table header (magic, format, fingerprint,
// geometry) and, per record, the header words (version, generation, dirty bits, field stamps).
import { LayoutMismatchError, MemoryError } from '../errors.js';
import { fingerprintOf } from '../layout/fingerprint.js';
import type { StructLayout } from '../layout/layout.js';

/** 'SSTB' read as a little-endian u32: marks a buffer laid out by createTable. */
export const TABLE_MAGIC = 0x42545353;
/** Bumped whenever the byte layout below changes; attachTable refuses other formats. */
export const TABLE_FORMAT = 1;

// Table header, in 32-bit words from byte 0. 64 bytes are reserved so the format can grow.
const HEADER_MAGIC = 0;
const HEADER_FORMAT = 1;
const HEADER_FINGERPRINT_HIGH = 2;
const HEADER_FINGERPRINT_LOW = 3;
const HEADER_CAPACITY = 4;
const HEADER_STRIDE = 5;
const HEADER_PAYLOAD_OFFSET = 6;
const HEADER_PAYLOAD_SIZE = 7;
const HEADER_FIELD_COUNT = 8;
const HEADER_RECORDS_OFFSET = 9;
const TABLE_HEADER_BYTES = 64;

/**
 * The largest table, in bytes: word indexes are computed as `byteLength >> 2` and byte offsets
 * travel as int32 (`| 0`), so a buffer of 2^31 bytes or more would overflow both.
 */
export const MAX_TABLE_BYTES = 2 ** 31 - 1;

// Record header, in 32-bit words from the record's start.
/** Even: stable; odd: a commit is writing. Compared as u32 with wrap-around. */
export const RECORD_VERSION = 0;
/** Bumped by recover(): tells that the record went through a repair. */
export const RECORD_GENERATION = 1;
/** Threads blocked in Atomics.wait/waitAsync on the version: writers notify only when non-zero. */
export const RECORD_WAITERS = 2;
/** threadId + 1 of the writer that last took the lock (0: none); meaningful while the version is odd. */
export const RECORD_OWNER = 3;
/** First word of the dirty bits of the last commit (one bit per top-level field). */
export const RECORD_DIRTY = 4;

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** The byte geometry shared by every record of a table, derived from the layout alone. */
export interface TableGeometry {
  readonly layout: StructLayout;
  readonly fingerprint: string;
  readonly capacity: number;
  readonly fieldCount: number;
  /** 32-bit words of dirty bits per record. */
  readonly dirtyWords: number;
  /** Word index (from the record's start) of field 0's write stamp. */
  readonly stampWord: number;
  /** Byte offset of the payload inside a record: aligned to the struct's alignment (at least 8). */
  readonly payloadOffset: number;
  /** The payload padded to whole 32-bit words, so that it can be copied with Atomics word by word. */
  readonly payloadWords: number;
  /** Bytes from one record to the next. */
  readonly stride: number;
  /** Byte offset of record 0 in the buffer. */
  readonly recordsOffset: number;
  /** Total bytes of the buffer. */
  readonly byteLength: number;
}

export function tableGeometry(layout: StructLayout, capacity: number): TableGeometry {
  const fieldCount = layout.fields.length;
  const dirtyWords = Math.ceil(fieldCount / 32);
  const stampWord = RECORD_DIRTY + dirtyWords;
  const align = Math.max(8, layout.align);
  const payloadOffset = roundUp((stampWord + fieldCount) * 4, align);
  const payloadWords = Math.ceil(layout.size / 4);
  const stride = roundUp(payloadOffset + payloadWords * 4, align);
  const recordsOffset = roundUp(TABLE_HEADER_BYTES, align);
  return Object.freeze({
    layout,
    fingerprint: fingerprintOf(layout),
    capacity,
    fieldCount,
    dirtyWords,
    stampWord,
    payloadOffset,
    payloadWords,
    stride,
    recordsOffset,
    byteLength: recordsOffset + capacity * stride,
  });
}

/** Writes the table header of a fresh (zeroed) buffer. */
export function writeTableHeader(words: Int32Array, geometry: TableGeometry): void {
  words[HEADER_MAGIC] = TABLE_MAGIC;
  words[HEADER_FORMAT] = TABLE_FORMAT;
  words[HEADER_FINGERPRINT_HIGH] = Number.parseInt(geometry.fingerprint.slice(0, 8), 16) | 0;
  words[HEADER_FINGERPRINT_LOW] = Number.parseInt(geometry.fingerprint.slice(8), 16) | 0;
  words[HEADER_CAPACITY] = geometry.capacity;
  words[HEADER_STRIDE] = geometry.stride;
  words[HEADER_PAYLOAD_OFFSET] = geometry.payloadOffset;
  words[HEADER_PAYLOAD_SIZE] = geometry.layout.size;
  words[HEADER_FIELD_COUNT] = geometry.fieldCount;
  words[HEADER_RECORDS_OFFSET] = geometry.recordsOffset;
}

const hex = (word: number | undefined): string => ((word ?? 0) >>> 0).toString(16).padStart(8, '0');

/**
 * Reads and checks the header of a buffer made by createTable for `layout`: magic, format,
 * fingerprint, then the geometry this build would compute. Returns the geometry.
 */
export function readTableHeader(buffer: SharedArrayBuffer, layout: StructLayout): TableGeometry {
  const name = layout.name;
  const bad = (message: string): never => {
    throw new MemoryError('INVALID_BYTES', `${name} table: ${message}`, { struct: name });
  };
  if (buffer.byteLength < TABLE_HEADER_BYTES) bad(`the buffer holds ${buffer.byteLength} bytes, less than a table header`);
  const words = new Int32Array(buffer, 0, TABLE_HEADER_BYTES / 4);
  if (words[HEADER_MAGIC] !== TABLE_MAGIC) bad('the buffer is not a structsync table (bad magic number)');
  if (words[HEADER_FORMAT] !== TABLE_FORMAT) bad(`table format ${words[HEADER_FORMAT]} is not supported (expected ${TABLE_FORMAT})`);
  const found = hex(words[HEADER_FINGERPRINT_HIGH]) + hex(words[HEADER_FINGERPRINT_LOW]);
  const expected = fingerprintOf(layout);
  if (found !== expected) {
    throw new LayoutMismatchError(
      `${name} table: the buffer holds records of another layout (fingerprint ${found}, ${name} has ${expected})`,
      { struct: name },
    );
  }
  const capacity = words[HEADER_CAPACITY]!;
  if (capacity < 0) bad(`capacity ${capacity} is negative`);
  const geometry = tableGeometry(layout, capacity);
  const checks: [string, number | undefined, number][] = [
    ['record stride', words[HEADER_STRIDE], geometry.stride],
    ['payload offset', words[HEADER_PAYLOAD_OFFSET], geometry.payloadOffset],
    ['payload size', words[HEADER_PAYLOAD_SIZE], layout.size],
    ['field count', words[HEADER_FIELD_COUNT], geometry.fieldCount],
    ['records offset', words[HEADER_RECORDS_OFFSET], geometry.recordsOffset],
  ];
  for (const [what, actual, wanted] of checks) {
    if (actual !== wanted) bad(`${what} is ${actual} in the header, ${wanted} for this layout`);
  }
  if (geometry.byteLength > MAX_TABLE_BYTES) bad(`capacity ${capacity} makes ${geometry.byteLength} bytes, more than a table may hold (${MAX_TABLE_BYTES})`);
  if (buffer.byteLength < geometry.byteLength) {
    throw new MemoryError(
      'OUT_OF_BOUNDS',
      `${name} table: the header announces ${capacity} records (${geometry.byteLength} bytes) but the buffer holds ${buffer.byteLength}`,
      { struct: name },
    );
  }
  return geometry;
}
