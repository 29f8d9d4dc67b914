// One error hierarchy for the whole library: every error is a StructSyncError with a stable `code`,
// and names the struct and field it concerns. Subclasses group codes by where they arise.

/** Every stable error code structsync throws. Codes never change meaning once released. */
export type StructSyncErrorCode =
  // definitions (decorators, layout, tags)
  | 'NOT_A_STRUCT'
  | 'UNKNOWN_TYPE'
  | 'INVALID_SIZE'
  | 'INVALID_LENGTH'
  | 'INVALID_ALIGN'
  | 'INVALID_OPTION'
  | 'RECURSIVE_STRUCT'
  | 'RESERVED_NAME'
  | 'DUPLICATE_FIELD'
  | 'INVALID_TAG'
  | 'TAG_COLLISION'
  | 'UNKNOWN_FIELD'
  | 'EMPTY_STRUCT'
  // values (fromMap, setters)
  | 'INVALID_INPUT'
  | 'TYPE_MISMATCH'
  | 'OUT_OF_RANGE'
  | 'NOT_INTEGER'
  | 'STRING_TOO_LONG'
  | 'INVALID_STRING'
  | 'UNKNOWN_KEY'
  | 'MISSING_KEY'
  | 'FORBIDDEN_KEY'
  | 'VALUE_TOO_LARGE'
  | 'VALIDATION_FAILED'
  // memory (views, pools)
  | 'DETACHED_BUFFER'
  | 'OUT_OF_BOUNDS'
  | 'MISALIGNED'
  | 'INVALID_OFFSET'
  | 'STALE_VIEW'
  | 'DOUBLE_RELEASE'
  | 'FOREIGN_VIEW'
  | 'POOL_EXHAUSTED'
  | 'LAYOUT_MISMATCH'
  | 'NOT_SHARED'
  | 'INVALID_BYTES'
  // shared tables
  | 'CONFLICT'
  | 'COMMIT_TIMEOUT'
  | 'INVALID_STATE'
  | 'TIMEOUT'
  // records in Redis (@structsync/redis)
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_RECORD'
  | 'CONNECTION_LOST'
  | 'UNKNOWN_OUTCOME';

export interface StructSyncErrorDetails {
  /** The struct's name, when the error concerns one. */
  readonly struct?: string | undefined;
  /** The field's dotted path inside the struct, when the error concerns one. */
  readonly field?: string | undefined;
  readonly cause?: unknown;
}

export class StructSyncError extends Error {
  readonly code: StructSyncErrorCode;
  readonly struct: string | undefined;
  readonly field: string | undefined;

  constructor(code: StructSyncErrorCode, message: string, details: StructSyncErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.struct = details.struct;
    this.field = details.field;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** A struct definition is wrong: raised when the layout is finalised, naming class and field. */
export class DefinitionError extends StructSyncError {}

/** One problem of a fromMap input, as `allErrors: true` lists them. */
export interface ValueProblem {
  /** The field's dotted path (`items.3.sku`), '' for the input itself. */
  readonly path: string;
  readonly code: StructSyncErrorCode;
  readonly message: string;
}

/** A value does not fit its field (fromMap, setters, asMap). Nothing was written. */
export class ValueError extends StructSyncError {
  /** With fromMap's `allErrors: true`, every problem found (the error's own code and field are the first's). */
  readonly errors: readonly ValueProblem[] | undefined;

  constructor(code: StructSyncErrorCode, message: string, details: StructSyncErrorDetails & { readonly errors?: readonly ValueProblem[] } = {}) {
    super(code, message, details);
    this.errors = details.errors;
  }
}

/** Memory is not usable as asked: detached, out of bounds, misaligned, stale, or another layout. */
export class MemoryError extends StructSyncError {}

/** Bytes carry another layout's fingerprint. */
export class LayoutMismatchError extends MemoryError {
  constructor(message: string, details: StructSyncErrorDetails = {}) {
    super('LAYOUT_MISMATCH', message, details);
  }
}

/** A commit lost a race: another commit since this transaction's snapshot wrote the same fields. */
export class ConflictError extends StructSyncError {
  readonly fields: readonly string[];
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(
    message: string,
    info: { struct: string; fields: readonly string[]; expectedVersion: number; actualVersion: number },
  ) {
    super('CONFLICT', message, { struct: info.struct, field: info.fields.join(',') });
    this.fields = info.fields;
    this.expectedVersion = info.expectedVersion;
    this.actualVersion = info.actualVersion;
  }
}

/** What a thrown value says, for the message of the StructSyncError that wraps it (the original is the cause). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : describeValue(error);
}

/** Formats a user value for an error message without calling user code or printing megabytes. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      return isArraySafely(value) ? 'an array' : 'an object';
    default:
      return Object.is(value, -0) ? '-0' : String(value);
  }
}

/** Array.isArray, which throws for a revoked Proxy: describing a value must never throw (found in review). */
function isArraySafely(value: object): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}
