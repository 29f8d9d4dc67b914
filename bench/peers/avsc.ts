// avsc: an Avro record type with generated readers and writers; encode checks every value's type
// and range (it throws on an int past 32 bits), and writes into a reused buffer with `encode`.
import avro from 'avsc';
import type { Peer } from './peer.js';

export const userType = avro.Type.forSchema({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'age', type: 'int' },
  ],
});
const scratch = Buffer.alloc(64);

export const avsc: Peer<Buffer> = {
  name: 'avsc',
  checks: 'types, integer ranges',
  // Into a reused buffer, its fastest write; decode takes the record at offset 0 of either form.
  encode: (user) => {
    userType.encode(user, scratch, 0);
    return scratch;
  },
  prepare: (user) => userType.toBuffer(user),
  decode: (bytes) => userType.decode(bytes, 0).value,
  // Avro is a stream of variable-length values: the age is read by decoding the record.
  readAge: (bytes) => (userType.decode(bytes, 0).value as { age: number }).age,
};
