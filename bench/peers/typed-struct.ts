// typed-struct: a class whose properties read and write a Buffer in place (like a view), on the
// same 32-byte C layout. Encode is a property store per field, range-checked by Buffer's writers.
import { Struct } from 'typed-struct';
import type { Peer, PlainUser } from './peer.js';

const TypedUser = new Struct('User').BigInt64LE('id').String('name', 16).Int32LE('age').UInt32LE('padding').compile();

export const typedStruct: Peer<Buffer> = {
  name: 'typed-struct',
  checks: 'integer ranges, string length',
  encode: (user: PlainUser) => {
    const record = new TypedUser();
    record.id = BigInt(user.id);
    record.name = user.name;
    record.age = user.age;
    return TypedUser.raw(record);
  },
  prepare: (user) => TypedUser.raw(Object.assign(new TypedUser(), { id: BigInt(user.id), name: user.name, age: user.age })),
  decode: (bytes) => {
    const record = new TypedUser(bytes);
    return { id: record.id, name: record.name, age: record.age };
  },
  readAge: (bytes) => new TypedUser(bytes).age,
};

/** typed-struct sets up its string codec asynchronously after import (a dynamic import): wait until a string field works. */
export async function typedStructReady(): Promise<void> {
  for (let waited = 0; ; waited += 10) {
    try {
      new TypedUser().name = 'ready';
      return;
    } catch (error) {
      if (waited > 5000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
