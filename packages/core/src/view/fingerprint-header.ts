// A small header that stamps bytes with a struct's layout fingerprint, so that bytes written under
// one layout are never read under another: `writeFingerprint` stamps, `attach` checks and views.
// Header: 'SSFP' magic (u32 LE), header format (u32 LE), fingerprint (u64 LE); the record follows,
// aligned to the struct's alignment.
import { DefinitionError, describeValue, LayoutMismatchError, MemoryError } from '../errors.js';
import { fingerprintOf } from '../layout/fingerprint.js';
import { layoutOf, type StructLayout } from '../layout/layout.js';
import { typedArrayLengthOf, typedArrayType } from '../intrinsics.js';
import { checkOffset, regionOf, type BufferSource } from './memory-checks.js';
import type { StructClass } from '../layout/types.js';
import { codegenOption, view, type ViewOptions } from './view.js';

/** Bytes of the fingerprint header itself. */
export const FINGERPRINT_HEADER_BYTES = 16;
/** 'SSFP' read as a little-endian u32. */
const MAGIC = 0x50465353;
const HEADER_FORMAT = 1;

/** Distance from the header's start to the record: the header, rounded up to the struct's alignment. */
export function fingerprintedRecordOffset(layout: StructLayout): number {
  return Math.ceil(FINGERPRINT_HEADER_BYTES / layout.align) * layout.align;
}

/** Total bytes a fingerprinted record of this struct takes. */
export function fingerprintedSize(type: StructClass): number {
  const layout = layoutOf(type);
  return fingerprintedRecordOffset(layout) + layout.size;
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function setU32(bytes: Uint8Array, at: number, value: number): void {
  for (let i = 0; i < 4; i++) bytes[at + i] = (value >>> (8 * i)) & 0xff;
}

/** The 8 fingerprint bytes, little-endian, as the header stores them. */
function fingerprintBytes(layout: StructLayout): Uint8Array {
  const out = new Uint8Array(8);
  const hex = fingerprintOf(layout);
  for (let i = 0; i < 8; i++) out[i] = parseInt(hex.slice(14 - 2 * i, 16 - 2 * i), 16);
  return out;
}

function hexAt(bytes: Uint8Array, at: number): string {
  let hex = '';
  for (let i = 7; i >= 0; i--) hex += bytes[at + i]!.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Checks that `bytes[offset..]` holds a fingerprint header for `layout`; throws
 * LayoutMismatchError when it holds another layout's (or no header at all). Reusable by any format
 * that embeds this header.
 */
export function checkFingerprint(type: StructClass | StructLayout, bytes: Uint8Array, offset: number): void {
  const layout = layoutArgument(type);
  const name = layout.name;
  // A JavaScript caller can pass anything: a raw TypeError from deep inside is never the answer (found in review).
  if (typedArrayType(bytes) !== 'Uint8Array') {
    throw new MemoryError('INVALID_INPUT', `${name}: checkFingerprint expects a Uint8Array, got ${describeValue(bytes)}`, { struct: name });
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new MemoryError('INVALID_OFFSET', `${name}: byte offset ${describeValue(offset)} is not a non-negative integer`, { struct: name });
  }
  if (offset > typedArrayLengthOf(bytes) - FINGERPRINT_HEADER_BYTES) {
    throw new MemoryError('OUT_OF_BOUNDS', `${name}: no room for a ${FINGERPRINT_HEADER_BYTES}-byte fingerprint header at byte ${offset}`, { struct: name });
  }
  if (u32(bytes, offset) !== MAGIC || u32(bytes, offset + 4) !== HEADER_FORMAT) {
    throw new LayoutMismatchError(`${name}: the bytes at ${offset} carry no structsync fingerprint header`, { struct: name });
  }
  const expected = fingerprintBytes(layout);
  for (let i = 0; i < 8; i++) {
    if (bytes[offset + 8 + i] !== expected[i]) {
      throw new LayoutMismatchError(
        `${name}: the bytes were written under layout ${hexAt(bytes, offset + 8)}, not ${name}'s ${fingerprintOf(layout)} ` +
          `(fields, types, offsets or tags differ)`,
        { struct: name },
      );
    }
  }
}

/** The layout of a struct class, or a layout given as is (checkFingerprint takes either). */
function layoutArgument(type: StructClass | StructLayout): StructLayout {
  if (typeof type === 'function') return layoutOf(type);
  // A layout is the frozen object layoutOf made for its class; a copy or look-alike is not one.
  const claimed = typeof type === 'object' && type !== null ? (type as { type?: unknown }).type : undefined;
  const layout = layoutOf(claimed as StructClass);
  if (layout !== type) throw new DefinitionError('NOT_A_STRUCT', `checkFingerprint: expected a @Struct class or its layoutOf(), got ${describeValue(type)}`);
  return layout;
}

/** Writes the fingerprint header for `layout` at `bytes[offset..]` (bounds checked by the caller). */
export function stampFingerprint(layout: StructLayout, bytes: Uint8Array, offset: number): void {
  setU32(bytes, offset, MAGIC);
  setU32(bytes, offset + 4, HEADER_FORMAT);
  bytes.set(fingerprintBytes(layout), offset + 8);
}

function headerRegion(layout: StructLayout, buffer: BufferSource, byteOffset: number): { bytes: Uint8Array; header: number; record: number } {
  const region = regionOf(layout, buffer);
  // A bad offset (a bigint or symbol too, which arithmetic would throw a TypeError on) is reported
  // as itself; a good one is checked as the record's, whose checks (bounds without overflow,
  // alignment) cover the header before it.
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) checkOffset(layout, region, byteOffset);
  const record = byteOffset + fingerprintedRecordOffset(layout);
  checkOffset(layout, region, record);
  return { bytes: region.bytes, header: region.start + byteOffset, record };
}

/**
 * Stamps `type`'s fingerprint at `byteOffset` and returns the byte offset (relative to `buffer`)
 * where its record starts; `attach` later checks the stamp.
 */
export function writeFingerprint(type: StructClass, buffer: BufferSource, byteOffset = 0): number {
  const layout = layoutOf(type);
  const { bytes, header, record } = headerRegion(layout, buffer, byteOffset);
  stampFingerprint(layout, bytes, header);
  return record;
}

/**
 * A view of the record after the fingerprint header at `byteOffset`, after checking that the
 * header carries `type`'s fingerprint (LayoutMismatchError otherwise).
 */
export function attach<T extends object>(type: StructClass<T>, buffer: BufferSource, byteOffset = 0, options: ViewOptions = {}): T {
  const layout = layoutOf(type);
  codegenOption(layout, 'attach', options);
  const { bytes, header, record } = headerRegion(layout, buffer, byteOffset);
  checkFingerprint(layout, bytes, header);
  return view(type, buffer, record, options);
}
