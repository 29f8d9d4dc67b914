// Pooled body records live as long as their response: released when it has been sent or when
// the connection closed first, whichever way the request ended.
import type { Pool } from '@structsync/core';

/** The part of Node's ServerResponse this needs. */
export interface ClosableResponse {
  readonly closed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/** Node's ServerResponse behind an Express response (itself) or a Fastify reply (`raw`). */
export function nodeResponse(response: unknown): ClosableResponse {
  const raw = (response as { raw?: unknown }).raw;
  return (raw ?? response) as ClosableResponse;
}

/** Releases `records` to `pool`, leaving alone any the app released itself (or shutdown did). */
export function releaseAll<T extends object>(pool: Pool<T>, records: readonly T[]): void {
  for (const record of records) {
    try {
      pool.release(record);
    } catch {
      // DOUBLE_RELEASE: the handler gave it back already. Nothing else is possible here, and an
      // exception thrown from a 'close' listener would take the whole process down.
    }
  }
}

/** Releases `records` when `response` closes ('close' follows 'finish', and comes alone on an abort). */
export function releaseOnClose<T extends object>(response: ClosableResponse, pool: Pool<T>, records: readonly T[]): void {
  response.once('close', () => releaseAll(pool, records));
}
