// What every peer of the peers benchmark provides, on the README's User (id i64, name up to 16
// UTF-8 bytes, age i32): its natural encoded form of one record, and the three operations the
// benchmark times on it. Each operation is the peer's own fastest documented way to do it.
export interface PlainUser {
  id: number;
  name: string;
  age: number;
}

export interface Peer<Encoded = unknown> {
  readonly name: string;
  /** What its encode refuses (range, type, length), in a few words, for the report. */
  readonly checks: string;
  /** Object → its bytes, with the peer's own checks; absent for a decode-only library. */
  readonly encode?: (user: PlainUser) => Encoded;
  /** Bytes of one record (for a peer without encode: structsync's 32-byte C record). */
  readonly prepare: (user: PlainUser) => Encoded;
  /** Its bytes → a plain object (or the peer's object) with id, name and age. */
  readonly decode: (encoded: Encoded) => unknown;
  /** Its bytes → the age alone, by the cheapest route the peer has. */
  readonly readAge: (encoded: Encoded) => number;
}

/** The 32 bytes of a User in the C layout (id @0, name @8, age @24, 4 bytes of padding). */
export function cRecord(user: PlainUser): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.writeBigInt64LE(BigInt(user.id), 0);
  bytes.write(user.name, 8, 16, 'utf8');
  bytes.writeInt32LE(user.age, 24);
  return bytes;
}

/** The text of a NUL-padded fixed-size UTF-8 field. */
export function fixedString(bytes: Buffer, start: number, size: number): string {
  let end = start;
  while (end < start + size && bytes[end] !== 0) end++;
  return bytes.toString('utf8', start, end);
}
