// Errors raised by struct↔map conversion: one ValueError per problem, naming the root struct and
// the dotted path of the field or key (`User.address.zip`), shared by the generated and the
// interpreted converters so both report exactly the same code and message.
import { describeError, describeValue, StructSyncError, ValueError, type StructSyncErrorCode } from '../errors.js';
import type { FieldLayout } from '../layout/layout.js';
import type { Problem } from '../view/field-codec.js';
import { isView } from '../view/view-state.js';

/** `User.address.zip` for a path, `User` for the root. */
export function where(struct: string, path: string): string {
  return path === '' ? struct : `${struct}.${path}`;
}

export function joinPath(path: string, part: string | number): string {
  return path === '' ? String(part) : `${path}.${part}`;
}

export function mapError(struct: string, path: string, code: StructSyncErrorCode, message: string): ValueError {
  return new ValueError(code, `${where(struct, path)}: ${message}`, { struct, field: path === '' ? undefined : path });
}

export function problemError(struct: string, path: string, problem: Problem): ValueError {
  return mapError(struct, path, problem.code, problem.message);
}

export function notAMap(struct: string, path: string, value: unknown, nested: string | undefined): ValueError {
  const got = isView(value) ? 'a view (pass toMap(view) instead)' : describeValue(value);
  return nested === undefined
    ? mapError(struct, path, 'INVALID_INPUT', `expected a plain object, got ${got}`)
    : mapError(struct, path, 'TYPE_MISMATCH', `expected an object (${nested}), got ${got}`);
}

/** `count` is the array's length as first read (a Proxy may answer a second read differently). */
export function notAnArrayOf(struct: string, path: string, field: FieldLayout, value: unknown, count: unknown = Array.isArray(value) ? value.length : undefined): ValueError {
  const got = Array.isArray(value) ? `${describeValue(count)} ${count === 1 ? 'element' : 'elements'}` : describeValue(value);
  const code = Array.isArray(value) ? 'INVALID_INPUT' : 'TYPE_MISMATCH';
  return mapError(struct, path, code, `expected an array of ${field.length} ${field.type} objects, got ${got}`);
}

export function forbiddenKey(struct: string, path: string, key: string): ValueError {
  return mapError(struct, joinPath(path, key), 'FORBIDDEN_KEY', `the key ${JSON.stringify(key)} is never accepted`);
}

export function unknownKey(struct: string, path: string, owner: string, key: string, tag: string | undefined): ValueError {
  const under = tag === undefined ? '' : ` under tag ${tag}`;
  return mapError(struct, joinPath(path, key), 'UNKNOWN_KEY', `${owner} has no field keyed ${JSON.stringify(key)}${under} (pass unknown: 'strip' to drop unknown keys)`);
}

export function missingKey(struct: string, path: string, key: string): ValueError {
  return mapError(struct, path, 'MISSING_KEY', `missing key ${JSON.stringify(key)} (pass partial: true to keep the current value)`);
}

/** A getter, Proxy trap or toJSON of the input threw: reported as INVALID_INPUT with the cause. */
export function inputFault(struct: string, error: unknown): unknown {
  if (error instanceof StructSyncError) return error;
  return new ValueError('INVALID_INPUT', `${struct}: reading the input threw: ${describeError(error)}`, { struct, cause: error });
}

/** A 64-bit field exposed as a number holds a value past 2^53. */
export function unsafeStored(struct: string, path: string, field: FieldLayout): ValueError {
  return mapError(struct, path, 'OUT_OF_RANGE', `the stored ${field.scalar} is not a safe integer (as: 'number')`);
}

/** toMap with `int64: 'number'` met a 64-bit value past 2^53, which a number would round. */
export function unsafeInt64(struct: string, path: string, value: bigint): ValueError {
  return mapError(struct, path, 'OUT_OF_RANGE', `${value} is past 2^53, where a number loses digits (int64: 'number'; use 'string' or 'bigint')`);
}
