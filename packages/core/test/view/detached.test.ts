// Memory faults: a view over a buffer transferred away (structuredClone, postMessage to a port or
// a real worker) throws DETACHED_BUFFER on every read and write, for every field kind and on both
// accessor paths, where typed arrays would silently read undefined and drop writes.
import { MessageChannel, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Field, MemoryError, records, repoint, sizeof, Struct, view, viewMemory } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Inner {
  @Field({ type: 'u32' }) n!: number;
}

@Struct()
class Everything {
  @Field({ type: 'i32' }) i32!: number;
  @Field({ type: 'u8' }) u8!: number;
  @Field({ type: 'bool' }) flag!: boolean;
  @Field({ type: 'f64' }) f64!: number;
  @Field({ type: 'i64' }) i64!: bigint;
  @Field({ type: 'u64', as: 'number' }) u64n!: number;
  @Field({ type: 'str', size: 8 }) text!: string;
  @Field({ type: 'bytes', size: 4 }) raw!: Uint8Array;
  @Field({ type: 'i16', length: 2 }) shorts!: Int16Array;
  @Field({ type: 'any', size: 16 }) extra!: unknown;
  @Field({ type: Inner }) inner!: Inner;
  @Field({ type: Inner, length: 2 }) inners!: readonly Inner[];
}

@Struct()
class Halves {
  @Field({ type: 'i32' }) first!: number;
  @Field({ type: 'i64' }) big!: bigint;
  @Field({ type: 'u64', as: 'number' }) safe!: number;
}

const VALUES: { [K in keyof Everything]: unknown } = {
  i32: 1,
  u8: 2,
  flag: true,
  f64: 1.5,
  i64: 3n,
  u64n: 4,
  text: 'abc',
  raw: new Uint8Array([1]),
  shorts: [1, 2],
  extra: 'x',
  inner: undefined,
  inners: undefined,
};

type Detach = (buffer: ArrayBuffer) => Promise<ArrayBuffer>;
const DETACHERS: [string, Detach][] = [
  ['structuredClone transfer', async (buffer) => structuredClone(buffer, { transfer: [buffer] })],
  [
    'postMessage to a MessagePort',
    async (buffer) => {
      const { port1, port2 } = new MessageChannel();
      const received = new Promise<ArrayBuffer>((resolve) => port2.once('message', resolve));
      port1.postMessage(buffer, [buffer]);
      const moved = await received;
      port1.close();
      return moved;
    },
  ],
];

describe.each([true, false])('detached buffers (codegen %s)', (codegen) => {
  describe.each(DETACHERS)('after %s', (_, detach) => {
    it('every field throws DETACHED_BUFFER on read and on write', async () => {
      const buffer = new ArrayBuffer(sizeof(Everything));
      const v = view(Everything, buffer, 0, { codegen });
      const inner = v.inner;
      const second = v.inners[1]!;
      v.i32 = 42;
      v.inner.n = 7;
      const moved = await detach(buffer);
      expect(buffer.byteLength).toBe(0);
      for (const name of Object.keys(VALUES) as (keyof Everything)[]) {
        expect(codeOf(() => v[name]), `read ${name}`).toBe('DETACHED_BUFFER');
        const value = VALUES[name] ?? view(Inner, new ArrayBuffer(4), 0, { codegen });
        const write = name === 'inners' ? [value, value] : value;
        expect(codeOf(() => ((v as unknown as Record<string, unknown>)[name] = write)), `write ${name}`).toBe('DETACHED_BUFFER');
      }
      expect(codeOf(() => inner.n)).toBe('DETACHED_BUFFER');
      expect(codeOf(() => (second.n = 1))).toBe('DETACHED_BUFFER');
      expect(codeOf(() => viewMemory(v))).toBe('DETACHED_BUFFER');
      expect(() => v.i32).toThrow(/^Everything: the view's buffer was detached/);
      expect(() => v.i32).toThrow(MemoryError);
      // The bytes went with the transfer, intact.
      const there = view(Everything, moved, 0, { codegen });
      expect([there.i32, there.inner.n]).toEqual([42, 7]);
    });
  });

  it('a view can be re-pointed to a live buffer after its own was detached', () => {
    const buffer = new ArrayBuffer(16);
    const v = view(Inner, buffer, 0, { codegen });
    const moved = structuredClone(buffer, { transfer: [buffer] });
    expect(codeOf(() => v.n)).toBe('DETACHED_BUFFER');
    expect(codeOf(() => repoint(v, 4, buffer))).toBe('DETACHED_BUFFER');
    repoint(v, 4, moved);
    v.n = 9;
    expect(new Uint32Array(moved)[1]).toBe(9);
  });

  it('records() stops at a detached buffer', () => {
    const buffer = new ArrayBuffer(16);
    const iterator = records(Inner, buffer, { codegen })[Symbol.iterator]();
    const first = iterator.next().value!;
    first.n = 1;
    structuredClone(buffer, { transfer: [buffer] });
    const second = iterator.next().value!;
    expect(codeOf(() => second.n)).toBe('DETACHED_BUFFER');
    expect(codeOf(() => [...records(Inner, buffer)])).toBe('DETACHED_BUFFER');
  });

  it('a shrunk resizable buffer is OUT_OF_BOUNDS, not a silent zero', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    const buffer = new Resizable(16, { maxByteLength: 32 });
    const v = view(Inner, buffer, 12, { codegen });
    v.n = 5;
    buffer.resize(8);
    expect(codeOf(() => v.n)).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => (v.n = 1))).toBe('OUT_OF_BOUNDS');
    buffer.resize(16);
    expect(v.n).toBe(0); // shrinking zeroed the bytes, as resizable buffers specify
  });

  it('a buffer cut inside a 64-bit field refuses the write before changing a byte (its halves are written high first)', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    const buffer = new Resizable(24, { maxByteLength: 24 });
    const v = view(Halves, buffer, 0, { codegen });
    v.big = 7n;
    v.safe = 9;
    buffer.resize(20); // keeps the low half of `safe` (16..20), cuts its high half
    const before = [...new Uint8Array(buffer)];
    expect(codeOf(() => (v.safe = 2 ** 40 + 3))).toBe('OUT_OF_BOUNDS');
    expect([...new Uint8Array(buffer)]).toEqual(before);
    buffer.resize(12); // keeps the low half of `big` (8..12)
    const shorter = [...new Uint8Array(buffer)];
    expect(codeOf(() => (v.big = -(2n ** 40n)))).toBe('OUT_OF_BOUNDS');
    expect([...new Uint8Array(buffer)]).toEqual(shorter);
    expect(shorter.slice(8, 12)).toEqual([7, 0, 0, 0]);
  });
});

describe('transfer to a real worker thread', () => {
  it('detaches the sender’s views; the worker sees the bytes', async () => {
    const buffer = new ArrayBuffer(sizeof(Everything));
    const v = view(Everything, buffer);
    v.i32 = 1234;
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', (buffer) => parentPort.postMessage(new Int32Array(buffer)[0]));`,
      { eval: true },
    );
    try {
      const reply = new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage(buffer, [buffer]);
      expect(codeOf(() => v.i32)).toBe('DETACHED_BUFFER');
      expect(codeOf(() => (v.text = 'late'))).toBe('DETACHED_BUFFER');
      expect(await reply).toBe(1234);
    } finally {
      await worker.terminate();
    }
  });
});
