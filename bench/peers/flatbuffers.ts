// FlatBuffers: flatc's TypeScript accessors (user_generated.ts) over a ByteBuffer: reads are
// zero-copy like a view, and one accessor object is re-pointed per record (`__init`), as its
// docs advise; encode builds a table with a reused Builder and copies the finished bytes out.
import { Builder, ByteBuffer } from 'flatbuffers';
import type { Peer, PlainUser } from './peer.js';
import { User } from './user_generated.js';

const builder = new Builder(64);
const accessor = new User();

const build = (user: PlainUser): Uint8Array => {
  builder.clear();
  const name = builder.createString(user.name);
  User.finishUserBuffer(builder, User.createUser(builder, BigInt(user.id), name, user.age));
  return builder.asUint8Array().slice();
};

export const flatBuffers: Peer<ByteBuffer> = {
  name: 'FlatBuffers',
  checks: 'none (BigInt() throws on a non-integer id)',
  encode: (user) => new ByteBuffer(build(user)),
  prepare: (user) => new ByteBuffer(build(user)),
  decode: (bytes) => {
    const user = User.getRootAsUser(bytes, accessor);
    return { id: user.id(), name: user.name(), age: user.age() };
  },
  readAge: (bytes) => User.getRootAsUser(bytes, accessor).age(),
};
