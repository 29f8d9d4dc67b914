// JSON text in a Buffer: JSON.stringify + Buffer.from, Buffer#toString + JSON.parse. No checks.
import type { Peer } from './peer.js';

export const json: Peer<Buffer> = {
  name: 'JSON',
  checks: 'none',
  encode: (user) => Buffer.from(JSON.stringify(user)),
  prepare: (user) => Buffer.from(JSON.stringify(user)),
  decode: (bytes) => JSON.parse(bytes.toString()) as unknown,
  readAge: (bytes) => (JSON.parse(bytes.toString()) as { age: number }).age,
};
