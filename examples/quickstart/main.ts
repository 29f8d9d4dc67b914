// structsync quickstart: decorate a class, see its C-compatible layout and what reordering saves.
import { Field, formatLayout, offsetof, sizeof, Struct } from '@structsync/core';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id" db:"user_id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:name' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;

  isAdult(): boolean {
    return this.age >= 18;
  }
}

// Deliberately badly ordered: every small field is followed by a wider one.
@Struct()
class Session {
  @Field({ type: 'bool' }) active!: boolean;
  @Field({ type: 'i64' }) startedAt!: bigint;
  @Field({ type: 'u8' }) region!: number;
  @Field({ type: 'f64' }) score!: number;
  @Field({ type: 'u16' }) port!: number;
}

console.log('— The seed User, laid out as gcc would lay out the same C struct —');
console.log(formatLayout(User));
console.log(`sizeof(User) = ${sizeof(User)}, offsetof(User, 'age') = ${offsetof(User, 'age')}\n`);

console.log('— A badly ordered struct: the holes, and the order that removes them —');
console.log(formatLayout(Session));
