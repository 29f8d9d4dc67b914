// restructure: a declarative struct that decodes a Buffer into a new object and encodes one into a
// new Buffer, on the same 32-byte C layout. It has no 64-bit integers (the id is two u32 halves
// here) and its fixed-size string keeps the NUL padding (stripped here).
import * as r from 'restructure';
import type { Peer, PlainUser } from './peer.js';

const layout = new r.Struct({ idLow: r.uint32le, idHigh: r.int32le, name: new r.String(16, 'utf8'), age: r.int32le, padding: r.uint32le });
const ageLayout = new r.Struct({ skipped: new r.Reserved(r.uint32le, 6), age: r.int32le });
const NUL = String.fromCharCode(0);

const toLayout = (user: PlainUser): object => ({ idLow: user.id % 2 ** 32, idHigh: Math.floor(user.id / 2 ** 32), name: user.name.padEnd(16, NUL), age: user.age, padding: 0 });

export const restructure: Peer<Buffer> = {
  name: 'restructure',
  checks: 'none',
  encode: (user) => layout.toBuffer(toLayout(user)) as Buffer,
  prepare: (user) => layout.toBuffer(toLayout(user)) as Buffer,
  decode: (bytes) => {
    const record = layout.fromBuffer(bytes) as { idLow: number; idHigh: number; name: string; age: number };
    const end = record.name.indexOf(NUL);
    return { id: record.idHigh * 2 ** 32 + record.idLow, name: end < 0 ? record.name : record.name.slice(0, end), age: record.age };
  },
  readAge: (bytes) => (ageLayout.fromBuffer(bytes.subarray(0, 28)) as { age: number }).age,
};
