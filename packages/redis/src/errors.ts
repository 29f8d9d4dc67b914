// The errors of Redis-backed tables: StructSyncErrors (core's one hierarchy) with stable codes.
import { StructSyncError, type StructSyncErrorCode } from '@structsync/core';
import { describeError } from '@structsync/core/internal';

export type RedisTableErrorCode = Extract<StructSyncErrorCode, 'NOT_FOUND' | 'ALREADY_EXISTS' | 'INVALID_RECORD' | 'CONNECTION_LOST' | 'UNKNOWN_OUTCOME'>;

/**
 * A record operation on Redis failed: NOT_FOUND, ALREADY_EXISTS, INVALID_RECORD (the key holds
 * something that is not a record of this layout; it was left as is), CONNECTION_LOST (nothing was
 * sent, or what was sent cannot have changed anything), UNKNOWN_OUTCOME (a commit was sent and its
 * reply lost: it may or may not have been applied; read the record to find out, never resend blindly).
 */
export class RedisTableError extends StructSyncError {
  /** The Redis key concerned. */
  readonly key: string;

  constructor(code: RedisTableErrorCode, message: string, details: { struct: string; key: string; cause?: unknown }) {
    super(code, message, { struct: details.struct, cause: details.cause });
    this.key = details.key;
  }
}

/** Wraps a client failure that happened before anything could reach the server (or on a read). */
export function connectionLost(struct: string, key: string, what: string, error: unknown): RedisTableError {
  return new RedisTableError('CONNECTION_LOST', `${struct} record at ${key}: ${what} failed, the connection to Redis is lost (${describeError(error)})`, {
    struct,
    key,
    cause: error,
  });
}
