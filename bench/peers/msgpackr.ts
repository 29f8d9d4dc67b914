// msgpackr with its record extension (field names sent once per structure, as its docs advise for
// repeated shapes). It checks nothing: any object packs.
import { Packr } from 'msgpackr';
import type { Peer } from './peer.js';

const packr = new Packr({ structures: [] });

export const msgpackr: Peer<Buffer> = {
  name: 'msgpackr',
  checks: 'none',
  encode: (user) => packr.pack(user),
  prepare: (user) => Buffer.from(packr.pack(user)),
  decode: (bytes) => packr.unpack(bytes) as unknown,
  readAge: (bytes) => (packr.unpack(bytes) as { age: number }).age,
};
