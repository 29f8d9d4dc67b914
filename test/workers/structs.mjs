// Structs shared by the worker stress tests and their worker scripts, declared with plain
// decorator calls so that Node runs this file as is. The test imports it through vitest (source
// build of @structsync/core), the workers through Node (built dist): same layouts, same fingerprints.
import { Field, Struct } from '@structsync/core';

function struct(name, fields) {
  const type = { [name]: class {} }[name];
  for (const [key, spec] of fields) Field(spec)(type.prototype, key);
  Struct()(type);
  return type;
}

export const Counter = struct('Counter', [
  ['count', { type: 'i32' }],
  ['note', { type: 'str', size: 8 }],
]);

/** Every field derives from `small`; a snapshot mixing two commits breaks the invariant. */
export const Mixed = struct('Mixed', [
  ['big', { type: 'i64' }],
  ['real', { type: 'f64' }],
  ['small', { type: 'i32' }],
  ['text', { type: 'str', size: 28 }],
]);

/** a and b share one 32-bit word: merges must write bytes, not words. */
export const Pair = struct('Pair', [
  ['a', { type: 'u16' }],
  ['b', { type: 'u16' }],
  ['value', { type: 'i32' }],
]);

export const MIXED_FACTOR = 0x100000001n;

export function textFor(n) {
  // Length varies with n, so a torn string shows as a wrong length or wrong digits.
  return `n${n}:${'x'.repeat(n % 17)}`;
}

export function fillMixed(record, n) {
  record.small = n;
  record.big = BigInt(n) * MIXED_FACTOR;
  record.real = n / 3;
  record.text = textFor(n);
}

export function isConsistent(record) {
  const n = record.small;
  return record.big === BigInt(n) * MIXED_FACTOR && record.real === n / 3 && record.text === textFor(n);
}
