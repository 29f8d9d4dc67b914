// Structs for the struct↔map tests: one field of every kind (nested and arrays included), with
// json tags that differ from property names, and a valid input for it.
import { Field, Struct } from '@structsync/core';

@Struct()
export class Spot {
  @Field({ type: 'u16', tag: 'json:zip' }) zip!: number;
  @Field({ type: 'str', size: 8, tag: 'json:city' }) city!: string;
}

@Struct()
export class Account {
  @Field({ type: 'i64', tag: 'json:id db:account_id' }) id!: bigint;
  @Field({ type: 'i8', tag: 'json:small' }) small!: number;
  @Field({ type: 'u8', tag: 'json:byte' }) byte!: number;
  @Field({ type: 'i16', tag: 'json:short' }) short!: number;
  @Field({ type: 'u16', tag: 'json:word' }) word!: number;
  @Field({ type: 'i32', tag: 'json:count' }) count!: number;
  @Field({ type: 'u32', tag: 'json:total' }) total!: number;
  @Field({ type: 'u64', tag: 'json:big' }) big!: bigint;
  @Field({ type: 'i64', as: 'number', tag: 'json:safe' }) safe!: number;
  @Field({ type: 'f32', tag: 'json:ratio' }) ratio!: number;
  @Field({ type: 'f64', tag: 'json:score' }) score!: number;
  @Field({ type: 'bool', tag: 'json:ok' }) ok!: boolean;
  @Field({ type: 'str', size: 8, tag: 'json:name' }) name!: string;
  @Field({ type: 'bytes', size: 4, tag: 'json:raw' }) raw!: Uint8Array;
  @Field({ type: 'i16', length: 3, tag: 'json:points' }) points!: Int16Array;
  @Field({ type: 'any', size: 24, tag: 'json:extra' }) extra!: unknown;
  @Field({ type: Spot, tag: 'json:home' }) home!: Spot;
  @Field({ type: Spot, length: 2, tag: 'json:spots' }) spots!: readonly Spot[];
}

/** A valid json-tagged input for Account; a fresh object each call. */
export function validAccount(): Record<string, unknown> {
  return {
    id: 1n,
    small: -5,
    byte: 200,
    short: -300,
    word: 60000,
    count: 123456,
    total: 4000000000,
    big: 2n ** 64n - 1n,
    safe: 2 ** 53 - 1,
    ratio: 0.5,
    score: Math.PI,
    ok: true,
    name: 'ålice',
    raw: [1, 2, 3, 4],
    points: [1, -2, 3],
    extra: { a: 1 },
    home: { zip: 7500, city: 'Paris' },
    spots: [
      { zip: 1, city: 'a' },
      { zip: 2, city: 'b' },
    ],
  };
}
