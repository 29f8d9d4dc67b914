// @StructBody, the response encoders and StructResponseInterceptor in a small app over real HTTP,
// on both adapters: arrays of records, bytes that cannot be read back, class-validator rules, an
// exhausted pool, a handler that releases its own record — each bad input a 4xx with its code and
// path, and no pooled record kept.
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post, UseInterceptors, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Field, Struct, viewMemory, type Pool } from '@structsync/core';
import { Min } from 'class-validator';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectPool, StructBody, StructResponseInterceptor, StructSyncModule, useStructBodies } from '../src/index';
import { viewsOfBytes } from '../src/binary-body';

@Struct()
class Item {
  @Field({ type: 'u32', tag: 'json:id' }) id!: number;
  @Min(1)
  @Field({ type: 'u16', tag: 'json:qty' })
  qty!: number;
}

@Struct()
class Tagged {
  @Field({ type: 'u64', as: 'number', tag: 'json:id' }) id!: number;
  @Field({ type: 'any', size: 16, tag: 'json:extra' }) extra!: unknown;
}

/** The /hold requests waiting, so that a test can keep pooled records in use, then let them go. */
const held: (() => void)[] = [];

@Controller()
class ItemsController {
  constructor(@InjectPool(Item) private readonly items: Pool<Item>) {}

  @Post('items')
  @HttpCode(200)
  many(@StructBody([Item]) items: Item[]): { ids: number[]; pooled: boolean[] } {
    return { ids: items.map((item) => item.id), pooled: items.map((item) => viewMemory(item).bytes.buffer === this.items.buffer) };
  }

  @Post('echo')
  @HttpCode(200)
  echo(@StructBody([Item], { maxItems: 3 }) items: Item[]): Item[] {
    return items;
  }

  @Post('validated')
  @HttpCode(200)
  validated(@StructBody(Item, { validate: true }) item: Item): Item {
    return item;
  }

  @Post('tagged')
  @HttpCode(200)
  tagged(@StructBody(Tagged) record: Tagged): { id: number } {
    return { id: record.id };
  }

  @Post('self-release')
  @HttpCode(200)
  selfRelease(@StructBody(Item) item: Item): { id: number } {
    const id = item.id;
    this.items.release(item);
    return { id };
  }

  @Post('hold')
  @HttpCode(200)
  async hold(@StructBody(Item) item: Item): Promise<Item> {
    await new Promise<void>((resolve) => held.push(resolve));
    return item;
  }

  @Get('in-use')
  inUse(): { inUse: number } {
    return { inUse: this.items.inUse };
  }
}

@Controller('intercepted')
@UseInterceptors(StructResponseInterceptor)
class InterceptedController {
  @Post()
  @HttpCode(200)
  echo(@StructBody(Item) item: Item): Item {
    return item;
  }

  @Get('plain')
  plain(): { plain: boolean } {
    return { plain: true };
  }
}

@Module({
  imports: [StructSyncModule.forFeature([Item], { capacity: 4 }), StructSyncModule.forFeature([Tagged], { capacity: 2 })],
  controllers: [ItemsController, InterceptedController],
})
class TestModule {}

const itemBytes = (...items: [number, number][]): Buffer => {
  const out = Buffer.alloc(8 * items.length);
  items.forEach(([id, qty], i) => {
    out.writeUInt32LE(id, 8 * i);
    out.writeUInt16LE(qty, 8 * i + 4);
  });
  return out;
};

describe.each(['fastify', 'express'])('@StructBody on %s', (adapterName) => {
  let app: INestApplication;
  let url = '';

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, adapterName === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    useStructBodies(app, { limit: 4096 });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    Buffer.isBuffer(body)
      ? fetch(url + path, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', ...headers } })
      : fetch(url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const inUse = async (): Promise<number> => {
    for (let i = 0; i < 50; i++) {
      const { inUse: n } = (await (await fetch(`${url}/in-use`)).json()) as { inUse: number };
      if (n === 0) return 0;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return ((await (await fetch(`${url}/in-use`)).json()) as { inUse: number }).inUse;
  };
  const refusal = async (response: Response): Promise<{ status: number; code: string; path: string; message: string }> => ({
    status: response.status,
    ...((await response.json()) as { code: string; path: string; message: string }),
  });

  it('@StructBody([Item]): a JSON array becomes pooled records, a binary body views over its own bytes', async () => {
    const json = await post('/items', [{ id: 1, qty: 2 }, { id: 3, qty: 4 }]);
    expect(await json.json()).toEqual({ ids: [1, 3], pooled: [true, true] });
    const binary = await post('/items', itemBytes([5, 1], [6, 1], [7, 1]));
    expect(await binary.json()).toEqual({ ids: [5, 6, 7], pooled: [false, false, false] });
    const empty = await post('/items', []);
    expect(await empty.json()).toEqual({ ids: [], pooled: [] });
    expect(await inUse()).toBe(0);
  });

  it('an array body refused at one element names its index in the path and keeps none of the records taken', async () => {
    const response = await post('/items', [{ id: 1, qty: 2 }, { id: 2, qty: 3 }, { id: 3, qty: -1 }]);
    expect(await refusal(response)).toMatchObject({ status: 400, code: 'OUT_OF_RANGE', path: '2.qty', message: expect.stringContaining('Item.qty') });
    expect(await inUse()).toBe(0);
    const notArray = await post('/items', { id: 1, qty: 2 });
    expect(await refusal(notArray)).toMatchObject({ status: 400, code: 'INVALID_INPUT', path: '' });
  });

  it('maxItems bounds array bodies, JSON and binary; a binary body must be whole records', async () => {
    const json = await post('/echo', [1, 2, 3, 4].map((id) => ({ id, qty: 1 })));
    expect(await refusal(json)).toMatchObject({ status: 400, code: 'INVALID_INPUT', path: '', message: 'Item: a body may hold at most 3 records, got 4' });
    const binary = await post('/echo', itemBytes([1, 1], [2, 1], [3, 1], [4, 1]));
    expect(await refusal(binary)).toMatchObject({ status: 400, code: 'INVALID_INPUT', message: 'Item: a binary body may hold at most 3 records, got 4' });
    const ragged = await post('/echo', Buffer.concat([itemBytes([1, 1]), Buffer.alloc(3)]));
    expect(await refusal(ragged)).toMatchObject({ status: 400, code: 'INVALID_INPUT', message: 'Item: a binary body must be a whole number of 8-byte records, got 11 bytes' });
    expect(await inUse()).toBe(0);
  });

  it('views returned go out as JSON under their tags, or as their bytes back to back for Accept: application/octet-stream', async () => {
    const json = await post('/echo', [{ id: 9, qty: 8 }, { id: 7, qty: 6 }]);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toEqual([{ id: 9, qty: 8 }, { id: 7, qty: 6 }]);
    const bytes = await post('/echo', [{ id: 9, qty: 8 }, { id: 7, qty: 6 }], { accept: 'application/octet-stream' });
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await bytes.arrayBuffer()).equals(itemBytes([9, 8], [7, 6]))).toBe(true);
    // An error is JSON whatever the client accepts.
    const refused = await post('/echo', [{ id: 1 }], { accept: 'application/octet-stream' });
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await refusal(refused)).toMatchObject({ status: 400, code: 'MISSING_KEY', path: '0.qty' });
  });

  it('validate: true runs the class-validator rules on JSON and binary bodies alike', async () => {
    expect(await (await post('/validated', { id: 1, qty: 1 })).json()).toEqual({ id: 1, qty: 1 });
    const json = await post('/validated', { id: 1, qty: 0 });
    expect(await refusal(json)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('qty') });
    const binary = await post('/validated', itemBytes([1, 0]));
    expect(await refusal(binary)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('qty') });
    expect(await (await post('/validated', itemBytes([2, 5]))).json()).toEqual({ id: 2, qty: 5 });
    expect(await inUse()).toBe(0);
  });

  it('refuses binary bodies whose bytes cannot be read back, before the handler sees them', async () => {
    const record = Buffer.alloc(24);
    record.writeBigUInt64LE(2n ** 60n, 0);
    expect(await refusal(await post('/tagged', record))).toMatchObject({ status: 400, code: 'OUT_OF_RANGE', path: 'id' });
    record.writeBigUInt64LE(7n, 0);
    record[8] = 0xee; // a kind byte structsync never writes in an any field
    expect(await refusal(await post('/tagged', record))).toMatchObject({ status: 400, code: 'INVALID_BYTES', path: 'extra' });
    record[8] = 0; // null
    expect(await (await post('/tagged', record)).json()).toEqual({ id: 7 });
  });

  it('a handler may release its record itself: nothing is released twice, nothing crashes', async () => {
    for (let i = 0; i < 3; i++) expect(await (await post('/self-release', { id: i, qty: 1 })).json()).toEqual({ id: i });
    expect(await inUse()).toBe(0);
    expect(await (await post('/echo', [{ id: 1, qty: 1 }])).json()).toEqual([{ id: 1, qty: 1 }]);
  });

  it('an exhausted pool is a 503 POOL_EXHAUSTED, not a 500, and the held records come back', async () => {
    const holding = Array.from({ length: 4 }, (_, i) => post('/hold', { id: i, qty: 1 }));
    for (let i = 0; i < 100 && held.length < 4; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(held).toHaveLength(4);
    const refused = await post('/items', [{ id: 9, qty: 1 }]);
    expect(await refusal(refused)).toMatchObject({ status: 503, code: 'POOL_EXHAUSTED' });
    for (const release of held.splice(0)) release();
    const responses = await Promise.all(holding);
    expect(await Promise.all(responses.map((response) => response.json()))).toEqual([0, 1, 2, 3].map((id) => ({ id, qty: 1 })));
    expect(await inUse()).toBe(0);
  });

  it('StructResponseInterceptor negotiates the same way and leaves other values alone', async () => {
    const json = await post('/intercepted', { id: 4, qty: 2 });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toEqual({ id: 4, qty: 2 });
    const bytes = await post('/intercepted', { id: 4, qty: 2 }, { accept: 'application/octet-stream' });
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await bytes.arrayBuffer()).equals(itemBytes([4, 2]))).toBe(true);
    expect(await (await fetch(`${url}/intercepted/plain`, { headers: { accept: 'application/octet-stream' } })).json()).toEqual({ plain: true });
  });
});

describe('viewsOfBytes', () => {
  it('copies a body whose bytes are misaligned for the struct once, then reads it the same', () => {
    const backing = Buffer.alloc(17);
    const misaligned = backing.subarray(1);
    itemBytes([11, 3], [12, 4]).copy(misaligned);
    const views = viewsOfBytes(Item, misaligned, true, 8, 'json');
    expect(views.map((v) => [v.id, v.qty])).toEqual([[11, 3], [12, 4]]);
    expect(viewMemory(views[0]!).bytes.buffer).not.toBe(backing.buffer);
    const aligned = itemBytes([1, 2]);
    expect(viewMemory(viewsOfBytes(Item, aligned, false, 1, 'json')[0]!).bytes.buffer).toBe(aligned.buffer);
  });
});
