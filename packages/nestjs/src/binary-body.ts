// An application/octet-stream body as views: the records are read where the request's bytes
// already are (no copy), unless the buffer is misaligned for the struct, when one aligned copy is made.
import { layoutOf, toMap, view, type StructClass, type StructLayout } from '@structsync/core';
import { bodyException, invalidBody } from './body-errors';

/** Whether some field of `layout` can fail to read from foreign bytes (an `any`, a 64-bit `as: 'number'`). */
const fallible = new WeakMap<StructLayout, boolean>();

function canFailToRead(layout: StructLayout): boolean {
  let result = fallible.get(layout);
  if (result === undefined) {
    result = layout.fields.some((field) => field.kind === 'any' || field.asNumber || (field.struct !== undefined && canFailToRead(field.struct)));
    fallible.set(layout, result);
  }
  return result;
}

/**
 * Views over the records of `body`: exactly one record, or (`many`) any whole number of them up
 * to `maxItems`. Bytes that cannot be read back (an `any` this library did not write, a 64-bit
 * number past 2^53) are refused here rather than when the handler or the response reads them.
 */
export function viewsOfBytes<T extends object>(type: StructClass<T>, body: Uint8Array, many: boolean, maxItems: number, tag: string | undefined): T[] {
  const layout = layoutOf(type);
  const { size, name } = layout;
  const length = body.byteLength;
  if (!many && length !== size) throw invalidBody(name, `a binary body must be ${size} bytes (one record), got ${length}`);
  if (many && length % size !== 0) throw invalidBody(name, `a binary body must be a whole number of ${size}-byte records, got ${length} bytes`);
  const count = length / size;
  if (count > maxItems) throw invalidBody(name, `a binary body may hold at most ${maxItems} records, got ${count}`);
  const bytes = body.byteOffset % layout.align === 0 ? body : new Uint8Array(body);
  const views: T[] = new Array(count);
  const check = canFailToRead(layout);
  for (let i = 0; i < count; i++) {
    const record = view(type, bytes, i * size);
    if (check) {
      try {
        toMap(record, tag === undefined ? {} : { tag });
      } catch (error) {
        throw bodyException(error, many ? i : undefined);
      }
    }
    views[i] = record;
  }
  return views;
}
