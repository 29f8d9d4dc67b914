// A server killed and restarted mid-run (AOF on): every acknowledged commit is there afterwards,
// and no commit is half-applied (each commit writes three fields that must agree).
import { expect, it } from 'vitest';
import { createRedisTable, RedisTableError } from '../src/index.js';
import { closeClients, connect } from './support/clients.js';
import { removeRedis, startRedis } from './support/redis-server.js';
import { Counters } from './support/structs.js';

it('loses no acknowledged commit and leaves no half-applied one across a crash and an AOF restart', async () => {
  const server = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  try {
    const client = await connect(server.url, { socket: { reconnectStrategy: () => 20 } });
    const table = await createRedisTable(Counters, { client, name: 'restart' });
    const records = [1, 2, 3];
    for (const id of records) await table.create(id, {});
    const acknowledged = new Map(records.map((id) => [id, 0]));
    const failures: string[] = [];
    let phase: 'before' | 'down' | 'after' = 'before';
    let afterRestart = 0;
    // One writer per record; each commit sets total, left and ratio to the same count.
    const writers = records.map(async (id) => {
      while (afterRestart < 150) {
        try {
          await table.update(id, (c) => {
            const next = Number(c.total) + 1;
            c.total = BigInt(next);
            c.left = next & 0xffff;
            c.ratio = next;
          });
          acknowledged.set(id, acknowledged.get(id)! + 1);
          if (phase === 'after') afterRestart++;
        } catch (error) {
          if (!(error instanceof RedisTableError)) throw error;
          failures.push(error.code);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    while ([...acknowledged.values()].reduce((a, b) => a + b, 0) < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    phase = 'down';
    await server.stop('SIGKILL');
    const ackedAtCrash = new Map(acknowledged);
    await server.restart();
    phase = 'after';
    await Promise.all(writers);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((code) => code === 'UNKNOWN_OUTCOME' || code === 'CONNECTION_LOST')).toBe(true);
    for (const id of records) {
      const record = await table.read(id);
      const total = Number(record.total);
      // Nothing half-applied: the three fields of every commit agree.
      expect([record.left, record.ratio]).toEqual([total & 0xffff, total]);
      // Every acknowledged commit is there (the lost ones' outcomes were reported as unknown, not retried).
      expect(total).toBeGreaterThanOrEqual(acknowledged.get(id)!);
      expect(total - acknowledged.get(id)!).toBeLessThanOrEqual(failures.filter((c) => c === 'UNKNOWN_OUTCOME').length);
      expect(ackedAtCrash.get(id)!).toBeGreaterThan(0);
    }
  } finally {
    await closeClients();
    await removeRedis(server);
  }
});
