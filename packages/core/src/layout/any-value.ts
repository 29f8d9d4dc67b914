// Encoding of `any` fields: a tagged inline value. Byte 0 holds the kind; numbers and bigints sit
// at +8 (the field is 8-aligned), strings and JSON text store their UTF-8 byte length at +4 and
// their bytes from +8. A zeroed field reads as null. Values that do not fit are refused before
// anything is written.
import { MemoryError } from '../errors.js';
import { readUtf8, utf8Length, writeUtf8 } from '../utf8.js';
import { getI64, setI64 } from '../int64-word.js';

export const ANY_NULL = 0;
export const ANY_FALSE = 1;
export const ANY_TRUE = 2;
export const ANY_NUMBER = 3;
export const ANY_BIGINT = 4;
export const ANY_STRING = 5;
export const ANY_JSON = 6;
export const ANY_UNDEFINED = 7;

const HEADER = 8;
/** The smallest `any` field: the header and an 8-byte number or bigint payload (layouts refuse less). */
export const ANY_MIN_SIZE = HEADER + 8;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Why a value cannot go into an `any` field, or undefined when it can. Allocates only for JSON. */
export function checkAny(value: unknown, size: number): string | undefined {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
      return undefined;
    case 'bigint':
      return value < I64_MIN || value > I64_MAX ? `bigint ${value}n is outside the 64-bit range an any field holds` : undefined;
    case 'string': {
      const n = utf8Length(value);
      if (n < 0) return 'a string with a NUL or a lone surrogate cannot be stored';
      return n > size - HEADER ? `a ${n}-byte string does not fit in ${size - HEADER} bytes` : undefined;
    }
    case 'object': {
      if (value === null) return undefined;
      const text = value instanceof JsonText ? value.text : jsonOf(value);
      if (text === undefined) return 'the value is not JSON-serialisable (a cycle, a bigint, or a function)';
      const n = utf8Length(text);
      if (n < 0) return 'its JSON text holds a NUL or a lone surrogate';
      return n > size - HEADER ? `its ${n}-byte JSON text does not fit in ${size - HEADER} bytes` : undefined;
    }
    default:
      return `${typeof value} values cannot be stored`;
  }
}

/**
 * An object's JSON text, taken once. A toJSON (or a Proxy) may answer differently on every call,
 * so a setter or fromMap stringifies once, checks that text and writes that same text: a second
 * stringify could grow past the field after the check passed (found in review).
 */
export class JsonText {
  constructor(readonly text: string | undefined) {}
}

/** `value` ready for checkAny and writeAny: objects become their JsonText, other values stay. */
export function prepareAny(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !(value instanceof JsonText) ? new JsonText(jsonOf(value)) : value;
}

function jsonOf(value: object): string | undefined {
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a value that passed `checkAny` (pass the same prepared value to both). Unused bytes are zeroed so equal values give equal bytes. */
export function writeAny(data: DataView, bytes: Uint8Array, offset: number, size: number, value: unknown): void {
  bytes.fill(0, offset, offset + HEADER);
  switch (typeof value) {
    case 'undefined':
      bytes[offset] = ANY_UNDEFINED;
      break;
    case 'boolean':
      bytes[offset] = value ? ANY_TRUE : ANY_FALSE;
      break;
    case 'number':
      bytes[offset] = ANY_NUMBER;
      data.setFloat64(offset + HEADER, value, true);
      break;
    case 'bigint':
      bytes[offset] = ANY_BIGINT;
      setI64(data, offset + HEADER, value);
      break;
    case 'string':
      bytes[offset] = ANY_STRING;
      data.setUint32(offset + 4, utf8Length(value), true);
      writeUtf8(bytes, offset + HEADER, size - HEADER, value);
      return;
    default: {
      if (value === null) break;
      const text = (value instanceof JsonText ? value.text : jsonOf(value as object))!;
      bytes[offset] = ANY_JSON;
      data.setUint32(offset + 4, utf8Length(text), true);
      writeUtf8(bytes, offset + HEADER, size - HEADER, text);
      return;
    }
  }
  bytes.fill(0, offset + HEADER + (bytes[offset] === ANY_NUMBER || bytes[offset] === ANY_BIGINT ? 8 : 0), offset + size);
}

/** Returned by `readAny` for an unknown kind byte or JSON text that does not parse (foreign or corrupt bytes); callers throw INVALID_BYTES. */
export const INVALID_ANY: unique symbol = Symbol('structsync.invalidAny');

/** Reads an `any` field, or INVALID_ANY when its bytes are not ones this module writes. */
export function readAny(data: DataView, bytes: Uint8Array, offset: number, size: number): unknown {
  switch (bytes[offset]) {
    case ANY_NULL:
      return null;
    case ANY_FALSE:
      return false;
    case ANY_TRUE:
      return true;
    case ANY_NUMBER:
      return data.getFloat64(offset + HEADER, true);
    case ANY_BIGINT:
      return getI64(data, offset + HEADER);
    case ANY_STRING:
      return readUtf8(bytes, offset + HEADER, Math.min(data.getUint32(offset + 4, true), size - HEADER));
    case ANY_JSON:
      try {
        return JSON.parse(readUtf8(bytes, offset + HEADER, Math.min(data.getUint32(offset + 4, true), size - HEADER))) as unknown;
      } catch {
        return INVALID_ANY; // foreign or corrupt bytes: never a raw SyntaxError to the caller
      }
    case ANY_UNDEFINED:
      return undefined;
    default:
      return INVALID_ANY;
  }
}

/**
 * An `any` field holds bytes this library never writes (an unknown kind byte, or JSON text that
 * does not parse). One MemoryError for every path (getters, toMap, asMap, toJSON).
 */
export function invalidAny(struct: string, path: string, kind: number | undefined): MemoryError {
  const why = kind === ANY_JSON ? 'its JSON text does not parse' : `unknown kind byte ${String(kind)}`;
  const where = path === '' ? struct : `${struct}.${path}`;
  return new MemoryError('INVALID_BYTES', `${where}: the any field holds bytes structsync did not write (${why})`, { struct, field: path });
}
