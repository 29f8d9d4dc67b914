// A 3-master Redis Cluster on loopback: records spread over slots on every master (the `key`
// option's hash tag), the default keys of a table on one slot, commits, conflicts and the change
// feed (sharded pub/sub) through node-redis's cluster client.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConflictError } from '@structsync/core';
import { createCluster, createClient } from 'redis';
import { createRedisTable } from '../src/index.js';
import { startCluster, type RedisCluster } from './support/redis-cluster.js';
import { Counters } from './support/structs.js';

let cluster: RedisCluster;
let client: ReturnType<typeof createCluster>;

beforeAll(async () => {
  cluster = await startCluster();
  client = createCluster({ rootNodes: [{ url: cluster.nodes[0]!.url }] });
  client.on('error', () => {});
  await client.connect();
}, 60_000);
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

it('serves records spread over slots on all three masters, with commits, conflicts and watch', async () => {
  // One hash tag per record: records land on every master.
  const table = await createRedisTable(Counters, { client, name: 'spread', key: (id) => `structsync:spread:{${id}}` });
  const ids = Array.from({ length: 30 }, (_, i) => i);
  await Promise.all(ids.map((id) => table.create(id, { left: id })));
  await Promise.all(ids.map((id) => table.update(id, (c) => void (c.total += BigInt(id)))));
  for (const node of cluster.nodes) {
    const direct = createClient({ url: node.url });
    await direct.connect();
    const keys = await direct.keys('structsync:spread:*');
    await direct.close();
    expect(keys.length, `keys on the master at port ${node.port}`).toBeGreaterThan(0);
  }
  const records = await Promise.all(ids.map((id) => table.read(id)));
  expect(records.map((r) => [r.left, r.total])).toEqual(ids.map((id) => [id, BigInt(id)]));

  // Field-level conflicts are the same on a cluster.
  const first = await table.begin(7);
  const second = await table.begin(7);
  first.view.right = 1;
  second.view.right = 2;
  await first.commit();
  await expect(second.commit()).rejects.toBeInstanceOf(ConflictError);

  // The change feed: sharded pub/sub on the record's own slot.
  const watch = table.watch(7);
  expect(await watch.subscribed()).toBe(6);
  const next = watch.next();
  await table.update(7, (c) => void (c.ratio = 0.5));
  expect((await next).value).toMatchObject({ version: 8, fields: ['ratio'], missed: undefined });
  await watch.return();
  await table.close();

  // The default keys put a table's records on one slot (hash tag {name}): that works as is too.
  const grouped = await createRedisTable(Counters, { client, name: 'grouped' });
  await grouped.create('a', {});
  expect(await grouped.update('a', (c) => void (c.left = 3))).toBe(4);
});
