// Errors raised by accessors, shared by both paths: refused values (named by struct and field,
// bytes untouched), 64-bit reads past 2^53, and low-level faults translated to MemoryErrors.
import { MemoryError } from '../errors.js';
import { scalarProblem, stringProblem, type Problem } from './field-codec.js';
import type { FieldLayout } from '../layout/layout.js';
import type { ViewObject } from './view-protocol.js';
import { accessFault, fieldError, STATE, stateOf } from './view-state.js';

/** Throws a ValueError naming the struct and field. */
export function throwProblem(view: object, field: FieldLayout, p: Problem): never {
  throw fieldError(stateOf(view)!.layout, field, p.code, p.message);
}

/** Reading an i64/u64 declared `as: 'number'` whose stored value is not a safe integer. */
export function tooBig(view: ViewObject, index: number): never {
  const state = view[STATE];
  const field = state.layout.fields[index]!;
  throw fieldError(state.layout, field, 'OUT_OF_RANGE', `the stored ${field.scalar} is past 2^53; declare it without as: 'number' to read a bigint`);
}

/** The library error for a failed access (detached, released, shrunk), or the original error. */
export function fault(view: ViewObject, error: unknown): unknown {
  const translated = accessFault(view, error);
  if (translated !== null && translated !== undefined) return translated;
  const name = view[STATE].layout.name;
  return new MemoryError('OUT_OF_BOUNDS', `${name}: the record is outside its buffer`, { struct: name });
}

// Setter checks shared by both accessor paths: `refuseValue` throws; checkInt64 and checkString only on a refuseValue value.
export function refuseValue(view: ViewObject, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  throwProblem(view, field, scalarProblem(field.scalar!, field.asNumber, value)!);
}

/** Throws unless `value` fits the 64-bit field (a bigint, or a safe integer number). */
export function checkInt64(view: ViewObject, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  const p = scalarProblem(field.scalar!, field.asNumber, value);
  if (p !== undefined) throwProblem(view, field, p);
}

/** Throws unless `value` is a string that fits the str field whole (no NUL, no lone surrogate). */
export function checkString(view: ViewObject, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  const p = stringProblem(field.size, value, false);
  if (p !== undefined) throwProblem(view, field, p);
}
