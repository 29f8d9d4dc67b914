// The seed's structs, shared by the layout, format and oracle tests: User (0/8/24, size 32),
// Example{bool,int64,int32} (0/8/16, size 24) and a small nested Address.
import { Field, Struct } from '@structsync/core';

@Struct()
export class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
}

@Struct()
export class Example {
  @Field({ type: 'bool' }) a!: boolean;
  @Field({ type: 'i64' }) b!: bigint;
  @Field({ type: 'i32' }) c!: number;
}

@Struct()
export class Address {
  @Field({ type: 'u16' }) zip!: number;
  @Field({ type: 'str', size: 5 }) city!: string;
}
