// The ways of holding a million Users that bench:memory compares: how each is built, read and
// updated. Each form is measured alone in a fresh process (memory-child.ts).
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ByteBuffer } from 'flatbuffers';
import { Packr } from 'msgpackr';
import { Struct as TypedStruct } from 'typed-struct';
import { createPool, fromMap, records, sizeof } from '@structsync/core';
import { userType } from './peers/avsc.js';
import { flatBuffers } from './peers/flatbuffers.js';
import { bench as protobuf } from './peers/user-pb.js';
import { User as FlatUser } from './peers/user_generated.js';
import { User } from './table-user.js';

export interface Form {
  /** Builds `count` records; returns what keeps them alive. */
  build(count: number): unknown;
  /** Reads every record's age once (the sum), and adds 1 to it where the form can be updated. */
  pass(held: unknown, update: boolean): number;
  /** Which peers keep their records this way. */
  readonly note: string;
}

const nameOf = (i: number): string => `user${i % 100_000}`;
const plainOf = (i: number): { id: number; name: string; age: number } => ({ id: i, name: nameOf(i), age: i % 90 });

class PlainUser {
  id!: number;
  name!: string;
  age!: number;
}

const TypedUser = new TypedStruct('User').BigInt64LE('id').String('name', 16).Int32LE('age').UInt32LE('padding').compile();
const packr = new Packr({ structures: [] });
const json = { tag: 'json' } as const;

type Ages = { age: number }[];
const passObjects = (held: unknown, update: boolean): number => {
  const all = held as Ages;
  let total = 0;
  for (let i = 0; i < all.length; i++) {
    const o = all[i]!;
    total += o.age;
    if (update) o.age = (o.age + 1) & 0xff;
  }
  return total;
};

/** A pass over records kept encoded (a cache): decode each; to update, change it and encode it back. */
function cachePass<E>(decode: (encoded: E) => { age: number }, encode: (o: { age: number }) => E): Form['pass'] {
  return (held, update) => {
    const all = held as E[];
    let total = 0;
    for (let i = 0; i < all.length; i++) {
      const o = decode(all[i]!);
      total += o.age;
      if (update) {
        o.age = (o.age + 1) & 0xff;
        all[i] = encode(o);
      }
    }
    return total;
  };
}

export const forms: Readonly<Record<string, Form>> = {
  'plain objects': {
    note: 'what JSON.parse, avsc, msgpackr, restructure and buffer-layout decode to',
    build: (count) => Array.from({ length: count }, (_, i) => plainOf(i)),
    pass: passObjects,
  },
  'class instances': {
    note: "class-transformer's plainToInstance",
    build: (count) => Array.from({ length: count }, (_, i) => plainToInstance(PlainUser, plainOf(i))),
    pass: passObjects,
  },
  'records()': {
    note: 'one buffer of C records; binary-parser, buffer-layout and restructure read the same bytes',
    build: (count) => {
      const list = records(User, new ArrayBuffer(count * sizeof(User)));
      for (let i = 0; i < count; i++) fromMap(list.at(i), plainOf(i), json);
      return list;
    },
    pass: (held, update) => {
      const list = held as ReturnType<typeof records<User>>;
      let total = 0;
      for (let i = 0; i < list.length; i++) {
        const u = list.at(i);
        total += u.age;
        if (update) u.age = (u.age + 1) & 0xff;
      }
      return total;
    },
  },
  'createPool (views dropped)': {
    note: 'acquire, fill, drop the view; records reached again by iterating the pool',
    build: (count) => {
      const pool = createPool(User, { capacity: count });
      for (let i = 0; i < count; i++) fromMap(pool.acquire(), plainOf(i), json);
      return pool;
    },
    pass: (held, update) => {
      let total = 0;
      for (const u of held as ReturnType<typeof createPool<User>>) {
        total += u.age;
        if (update) u.age = (u.age + 1) & 0xff;
      }
      return total;
    },
  },
  'createPool (views kept)': {
    note: 'acquire, fill, keep every view in an array',
    build: (count) => {
      const pool = createPool(User, { capacity: count });
      return { pool, views: Array.from({ length: count }, (_, i) => fromMap(pool.acquire(), plainOf(i), json)) };
    },
    pass: (held, update) => passObjects((held as { views: Ages }).views, update),
  },
  'typed-struct instances': {
    note: 'one instance, and one Buffer, per record',
    build: (count) =>
      Array.from({ length: count }, (_, i) => {
        const record = new TypedUser();
        record.id = BigInt(i);
        record.name = nameOf(i);
        record.age = i % 90;
        return record;
      }),
    pass: passObjects,
  },
  'FlatBuffers buffers': {
    note: 'one finished buffer (and ByteBuffer) per record, read through one re-pointed accessor; read-only',
    build: (count) => Array.from({ length: count }, (_, i) => flatBuffers.prepare(plainOf(i))),
    pass: (held) => {
      const all = held as ByteBuffer[];
      const accessor = new FlatUser();
      let total = 0;
      for (let i = 0; i < all.length; i++) total += FlatUser.getRootAsUser(all[i]!, accessor).age();
      return total;
    },
  },
  'protobufjs messages': {
    note: 'decoded message instances (the id a Long)',
    build: (count) => Array.from({ length: count }, (_, i) => protobuf.User.decode(protobuf.User.encode(plainOf(i)).finish())),
    pass: passObjects,
  },
  'avsc records': {
    note: "avsc's generated record class instances",
    build: (count) => Array.from({ length: count }, (_, i) => userType.clone(plainOf(i))),
    pass: passObjects,
  },
  'msgpackr buffers': {
    note: 'one packed Buffer per record (as in a cache); a pass unpacks each, an update packs it again',
    build: (count) => Array.from({ length: count }, (_, i) => Buffer.from(packr.pack(plainOf(i)))),
    pass: cachePass((b: Buffer) => packr.unpack(b) as { age: number }, (o) => Buffer.from(packr.pack(o))),
  },
  'JSON strings': {
    note: 'one JSON text per record (as in a cache); a pass parses each, an update stringifies it again',
    build: (count) => Array.from({ length: count }, (_, i) => JSON.stringify(plainOf(i))),
    pass: cachePass((text: string) => JSON.parse(text) as { age: number }, (o) => JSON.stringify(o)),
  },
};
