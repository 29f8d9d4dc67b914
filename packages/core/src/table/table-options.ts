// The option checks every table operation shares: a JavaScript caller can pass anything, and a
// wrong type must be INVALID_OPTION naming the struct and the option, never a TypeError.
import { describeValue, StructSyncError } from '../errors.js';
import { unreadableOptions } from '../options.js';

/**
 * What a commit does when another commit since its snapshot wrote a field it also changed.
 * - `reject` (default): throw ConflictError and write nothing.
 * - `merge`: write this transaction's changed fields anyway (last writer wins on the shared
 *   fields); fields only the others wrote keep their values.
 * - `overwrite`: the record becomes exactly this transaction's view, every field, unchecked.
 * Under `reject` and `merge` only the changed fields are written, so a concurrent commit to
 * other fields always survives.
 */
export type ConflictPolicy = 'reject' | 'merge' | 'overwrite';

export interface CommitOptions {
  readonly onConflict?: ConflictPolicy;
}

/** INVALID_OPTION for a table operation's option of the wrong type or value, naming the struct and the option. */
export function invalidOption(struct: string, option: string, expected: string, value: unknown): StructSyncError {
  return new StructSyncError('INVALID_OPTION', `${struct} table: ${option} must be ${expected}, got ${describeValue(value)}`, { struct });
}

/** Options may be left out; anything but an object (null, a number) is INVALID_OPTION rather than a TypeError. */
export function checkOptionsObject(struct: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidOption(struct, 'options', 'an object', options);
}

/** The conflict policy an options object names (default 'reject'), checked. */
export function conflictPolicy(struct: string, options: CommitOptions | undefined): ConflictPolicy {
  checkOptionsObject(struct, options);
  let policy: unknown = 'reject';
  try {
    if (options !== undefined) policy = options.onConflict ?? 'reject';
  } catch (error) {
    throw unreadableOptions('commit', error, struct);
  }
  if (policy !== 'reject' && policy !== 'merge' && policy !== 'overwrite') throw invalidOption(struct, 'onConflict', "'reject', 'merge' or 'overwrite'", policy);
  return policy;
}
