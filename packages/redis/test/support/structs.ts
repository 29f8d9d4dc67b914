// Structs the Redis tests share.
import 'reflect-metadata';
import { Field, Struct } from '@structsync/core';

@Struct()
export class User {
  @Field({ type: 'i64', tag: 'json:"id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:age' }) age!: number;
}

/** Two fields in one 32-bit word: merges must keep the neighbour's bytes. */
@Struct()
export class Counters {
  @Field({ type: 'u16' }) left!: number;
  @Field({ type: 'u16' }) right!: number;
  @Field({ type: 'i64' }) total!: bigint;
  @Field({ type: 'f64' }) ratio!: number;
}

/** Same name as User, another layout. */
@Struct({ name: 'User' })
export class UserV2 {
  @Field({ type: 'i64' }) id!: bigint;
  @Field({ type: 'str', size: 32 }) name!: string;
}
