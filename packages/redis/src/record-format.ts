// One record as one Redis string: a compact header (version, generation, a marker and the layout's
// fingerprint word, the dirty bits of the last commit as bytes, one 16-bit write stamp per field)
// followed by the record's bytes in their C layout. The header is the shared-table header's words
// made small, because Redis stores a value in jemalloc size classes (…, 96, 112, 128, 160 bytes):
// 4-byte stamps put a 64-byte record of 11 fields in the 160-byte class, 16-bit ones in the 112.
import { LayoutMismatchError, type StructLayout } from '@structsync/core';
import { ANCIENT_STAMP, fingerprintOf, tableGeometry, type TableGeometry } from '@structsync/core/internal';
import { RedisTableError } from './errors.js';

/**
 * 'SSR2' as a little-endian u32, at byte 8 of every record, then the low word of the layout
 * fingerprint at byte 12: a foreign value is never misread, a record written under another layout
 * is told apart from one that is not a record, and so is a record of the earlier format ('SSRD',
 * 32-bit stamps), which this one does not read.
 */
export const RECORD_MARKER = 0x32525353;
/** Byte offsets of the header's words. */
export const VERSION_AT = 0;
export const GENERATION_AT = 4;
export const MARKER_AT = 8;
export const FINGERPRINT_AT = 12;
export const DIRTY_AT = 16;
/** An aged-out 16-bit stamp (odd, so never a version): written before the record's stamp horizon. */
export const ANCIENT_STAMP16 = 1;

/** Where things are inside a record's value, derived from the layout alone. */
export interface RecordFormat {
  readonly layout: StructLayout;
  readonly geometry: TableGeometry;
  readonly fingerprint: string;
  /** Bytes of a record's value: header, then the payload (layout.size bytes). */
  readonly length: number;
  /** Bytes of the dirty bits (one bit per field) at DIRTY_AT. */
  readonly dirtyBytes: number;
  /** Byte offset of field 0's stamp (u16 each). */
  readonly stampOffset: number;
  readonly payloadOffset: number;
  /** Words of a private payload copy (the payload padded to whole words, as views want it). */
  readonly payloadWords: number;
  /** The 8 bytes every record of this layout holds at MARKER_AT. */
  readonly identity: Buffer;
  /** What the server-side script needs to know of the layout: its shape, then `identity` (see record.lua). */
  readonly head: Buffer;
}

/** Bytes of a format's head: four u32 (length, stamp offset, payload offset, field count) and the 8 identity bytes. */
export const HEAD_BYTES = 24;

const formats = new WeakMap<StructLayout, RecordFormat>();

export function recordFormat(layout: StructLayout): RecordFormat {
  let format = formats.get(layout);
  if (format !== undefined) return format;
  // One record's worth of a table's geometry, for the field count and the payload's words.
  const geometry = tableGeometry(layout, 1);
  const fingerprint = fingerprintOf(layout);
  const dirtyBytes = Math.ceil(geometry.fieldCount / 8);
  const stampOffset = DIRTY_AT + dirtyBytes;
  const payloadOffset = stampOffset + 2 * geometry.fieldCount;
  const length = payloadOffset + layout.size;
  const identity = Buffer.alloc(8);
  identity.writeUInt32LE(RECORD_MARKER, 0);
  identity.writeUInt32LE(fingerprintWord(fingerprint), 4);
  const head = Buffer.alloc(HEAD_BYTES);
  head.writeUInt32LE(length, 0);
  head.writeUInt32LE(stampOffset, 4);
  head.writeUInt32LE(payloadOffset, 8);
  head.writeUInt32LE(geometry.fieldCount, 12);
  identity.copy(head, 16);
  format = Object.freeze({ layout, geometry, fingerprint, length, dirtyBytes, stampOffset, payloadOffset, payloadWords: geometry.payloadWords, identity, head });
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
  if (value.length < 16 || value.readUInt32LE(MARKER_AT) !== RECORD_MARKER) invalid(`the key holds a value that is not a structsync record (${value.length} bytes)`);
  const found = value.readUInt32LE(FINGERPRINT_AT);
  if (found !== format.identity.readUInt32LE(4)) {
    throw new LayoutMismatchError(
      `${name} record at ${key}: the record was written under another layout (fingerprint word ${hex(found)}, ${name} has ${format.fingerprint}); the key was left as it is`,
      { struct: name },
    );
  }
  if (value.length !== format.length) invalid(`the value holds ${value.length} bytes, a ${name} record holds ${format.length} (truncated or corrupt)`);
  const version = value.readUInt32LE(VERSION_AT);
  if ((version & 1) !== 0) invalid(`version ${version} is odd, which no commit publishes (corrupt)`);
  return { version, generation: value.readUInt32LE(GENERATION_AT) };
}

const hex = (word: number): string => word.toString(16).padStart(8, '0');

/**
 * A record's value as `create` writes it: every field stamped with `version` and marked dirty
 * (creation is the commit that wrote them all), or, with `stamp` ANCIENT_STAMP, the zeroed record
 * an upsert starts from.
 */
export function newRecordValue(format: RecordFormat, payload: Uint8Array, generation: number, version: number, stamp: number): Buffer {
  const value = Buffer.alloc(format.length);
  const { fieldCount } = format.geometry;
  value.writeUInt32LE(version, VERSION_AT);
  value.writeUInt32LE(generation, GENERATION_AT);
  format.identity.copy(value, MARKER_AT);
  if (stamp !== ANCIENT_STAMP) for (let f = 0; f < fieldCount; f++) value[DIRTY_AT + (f >> 3)]! |= 1 << (f & 7);
  const stamp16 = stamp === ANCIENT_STAMP ? ANCIENT_STAMP16 : stamp & 0xffff;
  for (let f = 0; f < fieldCount; f++) value.writeUInt16LE(stamp16, format.stampOffset + 2 * f);
  value.set(payload.subarray(0, format.layout.size), format.payloadOffset);
  return value;
}
