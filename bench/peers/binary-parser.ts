// binary-parser: a parser compiled (new Function) from a declaration, decoding a Buffer into a new
// object, on the same 32-byte C layout. It decodes only: there is no encode to compare.
import { Parser } from 'binary-parser';
import { cRecord, type Peer } from './peer.js';

const parser = new Parser().endianness('little').int64('id').string('name', { length: 16, stripNull: true }).int32('age').seek(4);
const ageParser = new Parser().endianness('little').seek(24).int32('age');

export const binaryParser: Peer<Buffer> = {
  name: 'binary-parser',
  checks: 'none (decode only)',
  prepare: cRecord,
  decode: (bytes) => parser.parse(bytes),
  readAge: (bytes) => (ageParser.parse(bytes) as { age: number }).age,
};
