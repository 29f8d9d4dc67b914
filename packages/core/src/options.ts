// Reading a caller's options object. A JavaScript caller can pass anything, a revoked Proxy or an
// object whose getters throw included: that must be INVALID_OPTION naming the operation, with the
// original error as the cause, never the engine's TypeError (found in review). Each option is read
// once, into a plain copy the call then uses.
import { describeError, StructSyncError } from './errors.js';

/** INVALID_OPTION for an options object that could not be read. */
export function unreadableOptions(operation: string, error: unknown, struct?: string): StructSyncError {
  const where = struct === undefined ? operation : `${struct}: ${operation}`;
  return new StructSyncError('INVALID_OPTION', `${where}: reading the options threw: ${describeError(error)}`, { struct, cause: error });
}

/** The named options of `options` (an object, checked by the caller), read once each. */
export function readOptions<T extends object, K extends keyof T & string>(options: T, keys: readonly K[], operation: string, struct?: string): Pick<T, K> {
  const copy = {} as Pick<T, K>;
  try {
    for (const key of keys) copy[key] = options[key];
  } catch (error) {
    throw unreadableOptions(operation, error, struct);
  }
  return copy;
}
