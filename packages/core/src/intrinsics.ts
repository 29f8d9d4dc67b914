// What built-in binary objects really are, read from their internal slots through the built-in
// getters: a subclass getter, an own property or a swapped prototype can make `.length`,
// `.byteOffset`, `.byteLength`, `.buffer` or `instanceof` lie, and lies about extents let writes
// leave the memory they were given (found in review).

type Getter<T> = (this: unknown) => T;

function getter<T>(prototype: object, key: PropertyKey): Getter<T> {
  return Object.getOwnPropertyDescriptor(prototype, key)!.get as Getter<T>;
}

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayName = getter<string | undefined>(TYPED_ARRAY_PROTOTYPE, Symbol.toStringTag);
const typedArrayLength = getter<number>(TYPED_ARRAY_PROTOTYPE, 'length');
const typedArrayBuffer = getter<ArrayBufferLike>(TYPED_ARRAY_PROTOTYPE, 'buffer');
const typedArrayByteOffset = getter<number>(TYPED_ARRAY_PROTOTYPE, 'byteOffset');
const typedArrayByteLength = getter<number>(TYPED_ARRAY_PROTOTYPE, 'byteLength');
const dataViewBuffer = getter<ArrayBufferLike>(DataView.prototype, 'buffer');
const dataViewByteOffset = getter<number>(DataView.prototype, 'byteOffset');
const dataViewByteLength = getter<number>(DataView.prototype, 'byteLength');
const arrayBufferByteLength = getter<number>(ArrayBuffer.prototype, 'byteLength');
const sharedByteLength = typeof SharedArrayBuffer === 'undefined' ? undefined : getter<number>(SharedArrayBuffer.prototype, 'byteLength');

/** The type of a typed array ('Int32Array'), undefined for anything else (a DataView included). Never throws. */
export function typedArrayType(value: unknown): string | undefined {
  return typedArrayName.call(value);
}

/** Elements of a typed array. */
export function typedArrayLengthOf(value: ArrayBufferView): number {
  return typedArrayLength.call(value);
}

/**
 * The byte length of an ArrayBuffer or SharedArrayBuffer, or -1 for anything else (a look-alike
 * with their prototype, a Proxy). The getters' brand checks decide, not `instanceof`, so a
 * genuine buffer from another realm (a `vm` context, as Jest runs tests) is accepted (found in
 * review). `instanceof` only picks the getter to try first, so a buffer of this realm never costs
 * an exception.
 */
export function bufferByteLength(value: unknown): number {
  if (typeof value !== 'object' || value === null) return -1;
  const shared = sharedByteLength !== undefined && value instanceof SharedArrayBuffer;
  const first = shared ? sharedByteLength : arrayBufferByteLength;
  const second = shared ? arrayBufferByteLength : sharedByteLength;
  try {
    return first.call(value);
  } catch {
    // Not that kind of buffer: the other kind, or none.
  }
  if (second === undefined) return -1;
  try {
    return second.call(value);
  } catch {
    return -1;
  }
}

/** Whether `value` is a genuine SharedArrayBuffer of any realm (a brand check: a look-alike or a Proxy is not). */
export function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  if (sharedByteLength === undefined || typeof value !== 'object' || value === null) return false;
  try {
    sharedByteLength.call(value);
    return true;
  } catch {
    return false;
  }
}

/** The buffer, byte offset and byte length an ArrayBufferView (typed array or DataView) really covers. */
export function viewExtent(value: ArrayBufferView): { buffer: ArrayBufferLike; start: number; length: number } {
  return typedArrayName.call(value) === undefined
    ? { buffer: dataViewBuffer.call(value), start: dataViewByteOffset.call(value), length: dataViewByteLength.call(value) }
    : { buffer: typedArrayBuffer.call(value), start: typedArrayByteOffset.call(value), length: typedArrayByteLength.call(value) };
}

/** The buffer of a typed array, as its internal slot holds it. */
export function typedArrayBufferOf(value: ArrayBufferView): ArrayBufferLike {
  return typedArrayBuffer.call(value);
}
