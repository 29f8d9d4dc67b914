// The parts of two peers' APIs the benchmark uses: binary-parser's types are not reachable through
// its package.json "exports", and restructure ships none.
declare module 'binary-parser' {
  export class Parser {
    endianness(order: 'little' | 'big'): this;
    int64(name: string): this;
    int32(name: string): this;
    string(name: string, options: { length: number; stripNull?: boolean }): this;
    seek(bytes: number): this;
    parse(buffer: Uint8Array): object;
  }
}

declare module 'restructure' {
  export interface Codec {
    fromBuffer(buffer: Uint8Array): unknown;
    toBuffer(value: object): Uint8Array;
  }
  export const uint32le: Codec;
  export const int32le: Codec;
  export class String implements Codec {
    constructor(length: number, encoding: string);
    fromBuffer(buffer: Uint8Array): unknown;
    toBuffer(value: object): Uint8Array;
  }
  export class Reserved implements Codec {
    constructor(type: Codec, count: number);
    fromBuffer(buffer: Uint8Array): unknown;
    toBuffer(value: object): Uint8Array;
  }
  export class Struct implements Codec {
    constructor(fields: Record<string, Codec>);
    fromBuffer(buffer: Uint8Array): unknown;
    toBuffer(value: object): Uint8Array;
  }
}
