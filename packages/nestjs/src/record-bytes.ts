// What a handler's return value is to the response encoders: a view or a non-empty array of
// views (sent as JSON or as bytes), or anything else (left to the framework).
import { isView, viewMemory } from '@structsync/core';

/** The records `value` holds, or undefined when it is not a view or a non-empty array of views. */
export function recordsIn(value: unknown): object[] | undefined {
  if (isView(value)) return [value as object];
  if (Array.isArray(value) && value.length > 0 && value.every(isView)) return value as object[];
  return undefined;
}

/** A copy of the records' bytes, back to back: the response may be written after a pooled record was released. */
export function recordBytes(records: readonly object[]): Buffer {
  const first = viewMemory(records[0]!);
  const size = first.layout.size;
  const out = Buffer.allocUnsafe(size * records.length);
  for (let i = 0; i < records.length; i++) {
    const { bytes, offset, layout } = viewMemory(records[i]!);
    if (layout !== first.layout) throw new TypeError(`cannot send ${first.layout.name} and ${layout.name} records in one binary body`);
    out.set(bytes.subarray(offset, offset + size), i * size);
  }
  return out;
}
