// Table names, record ids and their keys. The default key `structsync:{<name>}:<id>` hash-tags the
// table name, so a table's records share one cluster slot; the `key` option spreads them over slots.
import { ValueError } from '@structsync/core';
import { describeValue, invalidOption } from '@structsync/core/internal';

/** A record id: a non-empty string or a safe integer. */
export type RecordId = string | number;

/** The key of the key holding the layout fingerprint: the table's prefix without an id, so no record id can clash with it. */
export function layoutKey(name: string): string {
  return `structsync:{${name}}`;
}

export function defaultKey(name: string, id: RecordId): string {
  return `structsync:{${name}}:${id}`;
}

export function checkTableName(struct: string, name: unknown): string {
  // Braces would end the hash tag early and spread one table's keys over unrelated slots.
  if (typeof name !== 'string' || name.length === 0 || /[{}]/.test(name)) throw invalidOption(struct, 'name', 'a non-empty string without { or }', name);
  return name;
}

export function checkId(struct: string, id: unknown): RecordId {
  if ((typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isSafeInteger(id))) return id;
  throw new ValueError('INVALID_INPUT', `${struct} table: a record id must be a non-empty string or a safe integer, got ${describeValue(id)}`, { struct });
}
