// Public API of @structsync/redis. Every export is named here; nothing else is public.
export { createRedisTable, RedisTable } from './redis-table.js';
export type { RedisBeginOptions, RedisSnapshot, RedisTableOptions, RedisUpdateOptions } from './redis-table.js';
export { RedisTransaction } from './redis-transaction.js';
export type { RedisTransactionState } from './redis-transaction.js';
export type { MissedVersions, RedisChange, RedisWatch, RedisWatchOptions } from './redis-watch.js';
export type { RecordId } from './record-key.js';
export { RedisTableError } from './errors.js';
export type { RedisTableErrorCode } from './errors.js';
export { bind, RedisBinding } from './redis-bind.js';
export type { RedisBindOptions } from './redis-bind.js';
