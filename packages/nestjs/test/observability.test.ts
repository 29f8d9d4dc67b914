// forRoot({ instrumentation }) and StructSyncDebugModule in real apps: the instrumentation is
// subscribed while the app runs and not after it closed; the debug handler answers under
// /debug/structsync over real HTTP on both adapters, guarded by its token, and leaves other paths
// to NestJS.
import 'reflect-metadata';
import { hasSubscribers } from 'node:diagnostics_channel';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { channels } from '@structsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StructSyncDebugModule, StructSyncModule } from '../src/index';

const TOKEN = 'nest-debug-token-0123456789abcdef';

describe('StructSyncModule.forRoot({ instrumentation })', () => {
  it('subscribes to core events while the app runs, and unsubscribes on shutdown', async () => {
    expect(hasSubscribers(channels.commit)).toBe(false);
    const module = await Test.createTestingModule({ imports: [StructSyncModule.forRoot({ instrumentation: { conversions: { sampleRatio: 0.5 } } })] }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    expect([channels.commit, channels.conflict, channels.retry, channels.reject].map((name) => hasSubscribers(name))).toEqual([true, true, true, true]);
    await app.close();
    expect([channels.commit, channels.conflict, channels.retry, channels.reject].map((name) => hasSubscribers(name))).toEqual([false, false, false, false]);
  });

  it('without the option subscribes nothing', async () => {
    const module = await Test.createTestingModule({ imports: [StructSyncModule.forRoot({})] }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    expect(hasSubscribers(channels.commit)).toBe(false);
    await app.close();
  });

  it('refuses an invalid instrumentation config with INVALID_OPTION when the module starts', async () => {
    const module = await Test.createTestingModule({ imports: [StructSyncModule.forRoot({ instrumentation: { conversions: { sampleRatio: 7 } } })] }).compile();
    const app = module.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await app.close();
    expect(hasSubscribers(channels.commit)).toBe(false);
  });
});

@Controller('orders')
class OrdersController {
  @Get()
  list(): { orders: number } {
    return { orders: 0 };
  }
}

@Module({ imports: [StructSyncDebugModule.register({ token: TOKEN, maxSeconds: 2 })], controllers: [OrdersController] })
class DebugApp {}

describe.each(['fastify', 'express'])('StructSyncDebugModule on %s', (adapterName) => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(DebugApp, adapterName === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves stats with the token, and refuses without it', async () => {
    const refused = await fetch(`${base}/debug/structsync/stats`);
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([401, 'UNAUTHORIZED']);
    const served = await fetch(`${base}/debug/structsync/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(served.status).toBe(200);
    expect(((await served.json()) as { eventLoopDelayMs: object }).eventLoopDelayMs).toBeDefined();
  });

  it('bounds profiles, and leaves every other path to NestJS', async () => {
    const long = await fetch(`${base}/debug/structsync/profile?seconds=3`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([long.status, ((await long.json()) as { code: string }).code]).toEqual([400, 'INVALID_SECONDS']);
    const orders = await fetch(`${base}/orders`);
    expect([orders.status, await orders.json()]).toEqual([200, { orders: 0 }]);
    const missing = await fetch(`${base}/debug/structsyncx`);
    expect(missing.status).toBe(404);
  });
});
