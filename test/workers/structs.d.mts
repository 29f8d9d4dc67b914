// Types of structs.mjs for the TypeScript test that imports it.
import type { StructClass } from '@structsync/core';

export interface CounterRecord {
  count: number;
  note: string;
}
export interface MixedRecord {
  big: bigint;
  real: number;
  small: number;
  text: string;
}
export interface PairRecord {
  a: number;
  b: number;
  value: number;
}

export declare const Counter: StructClass<CounterRecord>;
export declare const Mixed: StructClass<MixedRecord>;
export declare const Pair: StructClass<PairRecord>;
export declare const MIXED_FACTOR: bigint;
export declare function textFor(n: number): string;
export declare function fillMixed(record: MixedRecord, n: number): void;
export declare function isConsistent(record: MixedRecord): boolean;
