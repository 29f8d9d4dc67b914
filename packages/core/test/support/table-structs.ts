// Structs and helpers shared by the shared-table tests: an Account whose u8 fields share one
// 32-bit word (so merges must not clobber a neighbour's bytes), and raw access to a record header.
import { Field, Struct, type Table } from '@structsync/core';

@Struct()
export class Account {
  @Field({ type: 'i64' }) id!: bigint;
  @Field({ type: 'str', size: 12 }) name!: string;
  @Field({ type: 'i32' }) balance!: number;
  @Field({ type: 'f64' }) score!: number;
  @Field({ type: 'u8' }) flags!: number;
  @Field({ type: 'u8' }) level!: number;
}

/** The record's raw version word, as the table stores it (int32 over the shared buffer). */
export function versionWord(table: Table<object>, index: number): { words: Int32Array; at: number } {
  return { words: new Int32Array(table.buffer), at: table.records.base(index) };
}

/** A copy of every byte of the table's buffer, to check that a failure wrote nothing. */
export function bytesOf(table: Table<object>): Uint8Array {
  return new Uint8Array(table.buffer).slice();
}

/** What `run` throws (undefined if it returns), to inspect an error's class and fields together. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
