// A struct declared with plain decorator calls, so that a worker thread runs this file as is
// (Node, built dist) and a test imports it through vitest: same layout, same fingerprint.
import { Field, Struct } from '@structsync/core';

export const Stock = { Stock: class {} }.Stock;
for (const [key, spec] of [
  ['sku', { type: 'str', size: 8 }],
  ['qty', { type: 'i32' }],
  ['price', { type: 'u32' }],
]) {
  Field(spec)(Stock.prototype, key);
}
Struct()(Stock);
