// The peers of the peers benchmark, in the order of its tables.
import { avsc } from './avsc.js';
import { binaryParser } from './binary-parser.js';
import { bufferLayout } from './buffer-layout.js';
import { classTransformer } from './class-transformer.js';
import { flatBuffers } from './flatbuffers.js';
import { json } from './json.js';
import { msgpackr } from './msgpackr.js';
import type { Peer } from './peer.js';
import { protobufJs } from './protobufjs.js';
import { restructure } from './restructure.js';
import { typedStruct } from './typed-struct.js';

export const peers: readonly Peer[] = [
  typedStruct,
  bufferLayout,
  binaryParser,
  restructure,
  flatBuffers,
  protobufJs,
  avsc,
  msgpackr,
  json,
  classTransformer,
] as readonly Peer[];
