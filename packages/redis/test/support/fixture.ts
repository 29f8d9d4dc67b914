// One redis-server and one client per test file: started before its tests, stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { closeClients, connect, type Client } from './clients.js';
import { removeRedis, startRedis, type RedisServer } from './redis-server.js';

export interface RedisFixture {
  server: RedisServer;
  client: Client;
}

export function useRedis(args: readonly string[] = []): RedisFixture {
  const fixture = {} as RedisFixture;
  beforeAll(async () => {
    fixture.server = await startRedis(args);
    fixture.client = await connect(fixture.server.url);
  });
  afterAll(async () => {
    await closeClients();
    await removeRedis(fixture.server);
  });
  return fixture;
}
