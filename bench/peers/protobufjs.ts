// protobufjs, static code: user-pb.js and user-pb.d.ts are pbjs/pbts output for user.proto
// (`pnpm --filter @structsync/bench run generate`). Encode verifies first, as protobufjs's docs
// advise for objects that did not come from decode; decode yields a message with a Long id.
import type { Peer } from './peer.js';
import { bench } from './user-pb.js';

const { User } = bench;

export const protobufJs: Peer<Uint8Array> = {
  name: 'protobufjs (static code)',
  checks: 'types and integers (verify), not int32 range',
  encode: (user) => {
    const problem = User.verify(user);
    if (problem !== null) throw new TypeError(problem);
    return User.encode(user).finish();
  },
  prepare: (user) => User.encode(user).finish(),
  decode: (bytes) => User.decode(bytes),
  readAge: (bytes) => User.decode(bytes).age,
};
