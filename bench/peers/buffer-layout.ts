// @solana/buffer-layout: a layout object that decodes a Buffer into a new object and encodes one
// into a Buffer, on the same 32-byte C layout. It has no fixed-size string, so `name` is a 16-byte
// blob converted here; `ns64` gives the 64-bit id as a number.
import { blob, ns64, s32, struct, u32 } from '@solana/buffer-layout';
import { fixedString, type Peer, type PlainUser } from './peer.js';

interface LayoutUser {
  id: number;
  name: Uint8Array;
  age: number;
  padding: number;
}

const layout = struct<LayoutUser>([ns64('id'), blob(16, 'name'), s32('age'), u32('padding')]);
const nameBytes = Buffer.alloc(16);
const toLayout = (user: PlainUser): LayoutUser => {
  nameBytes.fill(0);
  if (nameBytes.write(user.name) < Buffer.byteLength(user.name)) throw new RangeError(`name ${user.name} is longer than 16 bytes`);
  return { id: user.id, name: nameBytes, age: user.age, padding: 0 };
};

export const bufferLayout: Peer<Buffer> = {
  name: '@solana/buffer-layout',
  checks: 'integer ranges (string length checked here)',
  encode: (user) => {
    const bytes = Buffer.alloc(32);
    layout.encode(toLayout(user), bytes);
    return bytes;
  },
  prepare: (user) => {
    const bytes = Buffer.alloc(32);
    layout.encode(toLayout(user), bytes);
    return bytes;
  },
  decode: (bytes) => {
    const record = layout.decode(bytes);
    return { id: record.id, name: fixedString(record.name as Buffer, 0, 16), age: record.age };
  },
  // A layout decodes whole structs; one field is read by decoding that field's layout at its offset.
  readAge: (bytes) => ageLayout.decode(bytes, 24),
};
const ageLayout = s32();
