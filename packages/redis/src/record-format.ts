// One record as one Redis string: the header words of a core shared-table record (version,
// generation, two words that mean something only inside one machine's memory, dirty bits of the
// last commit, one write stamp per field) followed by the record's bytes in their C layout.
import { LayoutMismatchError, type StructLayout } from '@structsync/core';
import {
  ANCIENT_STAMP,
  fingerprintOf,
  RECORD_DIRTY,
  RECORD_GENERATION,
  RECORD_OWNER,
  RECORD_VERSION,
  RECORD_WAITERS,
  tableGeometry,
  type TableGeometry,
} from '@structsync/core/internal';
import { RedisTableError } from './errors.js';

/**
 * 'SSRD' as a little-endian u32. In memory, the WAITERS and OWNER words count sleeping threads
 * and name the writer holding the lock; a Redis record has neither (the script is the lock), so
 * they carry this marker and the low word of the layout fingerprint: a foreign value is never
 * misread, and a record written under another layout is told apart from one that is not a record.
 */
export const RECORD_MARKER = 0x44525353;

/** Where things are inside a record's value, derived from the layout alone. */
export interface RecordFormat {
  readonly layout: StructLayout;
  readonly geometry: TableGeometry;
  readonly fingerprint: string;
  /** Bytes of a record's value: header, then the payload padded to whole words. */
  readonly length: number;
  readonly payloadOffset: number;
  /** Byte offset of field 0's stamp. */
  readonly stampOffset: number;
  readonly payloadWords: number;
  /** The 8 bytes every record of this layout holds in its WAITERS and OWNER words. */
  readonly identity: Buffer;
  /** What the server-side script needs to know of the layout (see record.lua). */
  readonly shape: Buffer;
}

const formats = new WeakMap<StructLayout, RecordFormat>();

export function recordFormat(layout: StructLayout): RecordFormat {
  let format = formats.get(layout);
  if (format !== undefined) return format;
  // One record's worth of a table's geometry: the same header words, stamps and payload offset.
  const geometry = tableGeometry(layout, 1);
  const fingerprint = fingerprintOf(layout);
  const length = geometry.payloadOffset + geometry.payloadWords * 4;
  const stampOffset = geometry.stampWord * 4;
  const identity = Buffer.alloc(8);
  identity.writeUInt32LE(RECORD_MARKER, 0);
  identity.writeUInt32LE(fingerprintWord(fingerprint), 4);
  const shape = Buffer.alloc(16);
  shape.writeUInt32LE(length, 0);
  shape.writeUInt32LE(stampOffset, 4);
  shape.writeUInt32LE(geometry.payloadOffset, 8);
  shape.writeUInt32LE(geometry.fieldCount, 12);
  format = Object.freeze({ layout, geometry, fingerprint, length, payloadOffset: geometry.payloadOffset, stampOffset, payloadWords: geometry.payloadWords, identity, shape });
  formats.set(layout, format);
  return format;
}

function fingerprintWord(fingerprint: string): number {
  return Number.parseInt(fingerprint.slice(8), 16) >>> 0;
}

/** A record's header as read from Redis. */
export interface RecordHeader {
  readonly version: number;
  readonly generation: number;
}

/**
 * Checks that `value` is a record of this layout, as record.lua's `check` does on the server:
 * the marker, the fingerprint word, the length, an even version. Returns its header.
 */
export function checkRecord(format: RecordFormat, value: Buffer, key: string): RecordHeader {
  const name = format.layout.name;
  const invalid = (why: string): never => {
    throw new RedisTableError('INVALID_RECORD', `${name} record at ${key}: ${why}; the key was left as it is`, { struct: name, key });
  };
  if (value.length < 16 || value.readUInt32LE(RECORD_WAITERS * 4) !== RECORD_MARKER) invalid(`the key holds a value that is not a structsync record (${value.length} bytes)`);
  const found = value.readUInt32LE(RECORD_OWNER * 4);
  if (found !== format.identity.readUInt32LE(4)) {
    throw new LayoutMismatchError(
      `${name} record at ${key}: the record was written under another layout (fingerprint word ${hex(found)}, ${name} has ${format.fingerprint}); the key was left as it is`,
      { struct: name },
    );
  }
  if (value.length !== format.length) invalid(`the value holds ${value.length} bytes, a ${name} record holds ${format.length} (truncated or corrupt)`);
  const version = value.readUInt32LE(RECORD_VERSION * 4);
  if ((version & 1) !== 0) invalid(`version ${version} is odd, which no commit publishes (corrupt)`);
  return { version, generation: value.readUInt32LE(RECORD_GENERATION * 4) };
}

const hex = (word: number): string => word.toString(16).padStart(8, '0');

/**
 * A record's value as `create` writes it: every field stamped with `version` and marked dirty
 * (creation is the commit that wrote them all), or, with `stamp` ANCIENT_STAMP, the zeroed record
 * an upsert starts from.
 */
export function newRecordValue(format: RecordFormat, payload: Uint8Array, generation: number, version: number, stamp: number): Buffer {
  const value = Buffer.alloc(format.length);
  const { fieldCount, stampWord } = format.geometry;
  value.writeUInt32LE(version, RECORD_VERSION * 4);
  value.writeUInt32LE(generation, RECORD_GENERATION * 4);
  format.identity.copy(value, RECORD_WAITERS * 4);
  if (stamp !== ANCIENT_STAMP) for (let f = 0; f < fieldCount; f++) value[RECORD_DIRTY * 4 + (f >> 3)]! |= 1 << (f & 7);
  for (let f = 0; f < fieldCount; f++) value.writeUInt32LE(stamp, (stampWord + f) * 4);
  value.set(payload.subarray(0, format.layout.size), format.payloadOffset);
  return value;
}
