// class-transformer over JSON, as a NestJS app uses it: bytes → JSON.parse → plainToInstance (an
// instance of the class), and instanceToPlain → JSON.stringify → bytes. It checks nothing itself
// (class-validator does; bench:core compares fromMap's validate: true with it).
import 'reflect-metadata';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import type { Peer } from './peer.js';

class TransformedUser {
  id!: number;
  name!: string;
  age!: number;
}

export const classTransformer: Peer<Buffer> = {
  name: 'class-transformer',
  checks: 'none',
  encode: (user) => Buffer.from(JSON.stringify(instanceToPlain(user))),
  prepare: (user) => Buffer.from(JSON.stringify(user)),
  decode: (bytes) => plainToInstance(TransformedUser, JSON.parse(bytes.toString()) as object),
  readAge: (bytes) => plainToInstance(TransformedUser, JSON.parse(bytes.toString()) as object).age,
};
