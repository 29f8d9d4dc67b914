// Checks on the memory a view is made over: the buffer kind, detachment, and the record's offset
// (integer, in bounds without overflow, aligned in the underlying buffer). Done once when a view is
// made or re-pointed, so accessors can use literal offsets without re-checking.
import { MemoryError } from '../errors.js';
import { bufferByteLength, viewExtent } from '../intrinsics.js';
import type { RegionMemory } from './view-protocol.js';
import type { StructLayout } from '../layout/layout.js';
import { detachedError, isDetached } from './view-state.js';

export type BufferSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** The largest buffer views can address: a typed array's reach in Node 20 (4 GiB). */
const MAX_BUFFER_BYTES = 2 ** 32;

const memory = new WeakMap<ArrayBufferLike, { data: DataView; bytes: Uint8Array }>();

/** One DataView and one Uint8Array per buffer, shared by all its views. */
function memoryOf(buffer: ArrayBufferLike): { data: DataView; bytes: Uint8Array } {
  let m = memory.get(buffer);
  if (m === undefined) {
    m = { data: new DataView(buffer), bytes: new Uint8Array(buffer) };
    memory.set(buffer, m);
  }
  return m;
}

/**
 * The region of the underlying buffer that `source` covers, with its shared DataView/Uint8Array.
 * Extents come from internal slots (intrinsics.ts): a getter or own property lying about them
 * would move views outside the region they were given (found in review).
 */
export function regionOf(layout: StructLayout, source: unknown): RegionMemory {
  let buffer: ArrayBufferLike;
  let start = 0;
  let length: number;
  if (ArrayBuffer.isView(source)) {
    ({ buffer, start, length } = viewExtent(source));
  } else if ((length = bufferByteLength(source)) >= 0) {
    buffer = source as ArrayBufferLike;
  } else {
    throw new MemoryError('INVALID_INPUT', `${layout.name}: expected an ArrayBuffer, a SharedArrayBuffer or an ArrayBufferView, got ${describeSource(source)}`, {
      struct: layout.name,
    });
  }
  if (isDetached(buffer)) throw detachedError(layout);
  // Views address a buffer through one Uint8Array and one DataView over all of it, which cannot
  // span more than MAX_BUFFER_BYTES: past that, a MemoryError rather than the engine's RangeError.
  const bufferLength = bufferByteLength(buffer);
  if (bufferLength > MAX_BUFFER_BYTES) {
    throw new MemoryError('INVALID_INPUT', `${layout.name}: a ${bufferLength}-byte buffer is beyond the ${MAX_BUFFER_BYTES} bytes a view can address`, {
      struct: layout.name,
    });
  }
  return { buffer, ...memoryOf(buffer), start, end: start + length };
}

/** `null`, a primitive's type, or an object's class (a look-alike shows as what it pretends to be). */
function describeSource(source: unknown): string {
  if (source === null) return 'null';
  if (typeof source !== 'object') return typeof source;
  return 'an object that is none of them';
}

/** Checks a byte offset relative to a region; returns the absolute offset in the buffer. */
export function checkOffset(layout: StructLayout, region: { readonly start: number; readonly end: number }, byteOffset: unknown): number {
  const name = layout.name;
  if (typeof byteOffset !== 'number' || !Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new MemoryError('INVALID_OFFSET', `${name}: byte offset ${describeOffset(byteOffset)} is not a non-negative integer`, { struct: name });
  }
  // Compare lengths before adding, so a huge offset cannot overflow into range.
  const length = region.end - region.start;
  if (byteOffset > length || layout.size > length - byteOffset) {
    throw new MemoryError('OUT_OF_BOUNDS', `${name}: a ${layout.size}-byte record at byte ${byteOffset} does not fit in ${length} bytes`, {
      struct: name,
    });
  }
  const absolute = region.start + byteOffset;
  if (absolute % layout.align !== 0) {
    throw new MemoryError(
      'MISALIGNED',
      `${name}: byte ${absolute} of the underlying buffer is not ${layout.align}-aligned` +
        (region.start === 0 ? '' : ` (the ArrayBufferView itself starts at byte ${region.start})`),
      { struct: name },
    );
  }
  return absolute;
}

function describeOffset(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'symbol' ? 'a symbol' : String(value);
}
