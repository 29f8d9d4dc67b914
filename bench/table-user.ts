// The seed's User, shared by the tables benchmark and its worker threads.
import { Field, Struct } from '@structsync/core';

@Struct()
export class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
}
