// Versions are u32 counters that wrap, as in memory: stamps older than 2^30 versions are aged out
// when the version enters a new quarter, and conflicts stay exact across the wrap.
import { expect, it } from 'vitest';
import { ConflictError } from '@structsync/core';
import { createRedisTable } from '../src/index.js';
import { rawValue } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { Counters } from './support/structs.js';

const redis = useRedis();
// Counters: 4 fields → header words 0-3, dirty word 4, stamps at words 5-8 (bytes 20-35).
const stampAt = (field: number): number => 20 + 4 * field;

it('ages out old stamps on entering a new quarter and keeps conflicts exact across the 2^32 wrap', async () => {
  const table = await createRedisTable(Counters, { client: redis.client, name: 'wrap' });
  await table.create(1, {});
  const key = table.keyOf(1);
  // Move the record to version 2^31 - 2; `right` was last written at version 2.
  const value = (await rawValue(redis.client, key))!;
  value.writeUInt32LE(2 ** 31 - 2, 0);
  for (const field of [0, 2, 3]) value.writeUInt32LE(2 ** 31 - 2, stampAt(field));
  await redis.client.set(key, value);
  expect(await table.update(1, (c) => void (c.left = 1))).toBe(2 ** 31);
  const aged = (await rawValue(redis.client, key))!;
  expect(aged.readUInt32LE(stampAt(0))).toBe(2 ** 31); // written now
  expect(aged.readUInt32LE(stampAt(1))).toBe(1); // 2^31 - 2 versions old: aged out (ANCIENT_STAMP)
  expect(aged.readUInt32LE(stampAt(2))).toBe(2 ** 31 - 2); // recent: kept

  // Across the wrap: 2^32 - 2 → 0 → 2, with a transaction begun before it conflicting on its field.
  aged.writeUInt32LE(2 ** 32 - 2, 0);
  for (const field of [0, 1, 2, 3]) aged.writeUInt32LE(2 ** 32 - 2, stampAt(field));
  await redis.client.set(key, aged);
  const old = await table.begin(1);
  expect(old.startVersion).toBe(2 ** 32 - 2);
  expect(await table.update(1, (c) => void (c.right = 5))).toBe(0);
  expect(await table.update(1, (c) => void (c.left = 5))).toBe(2);
  old.view.right = 9;
  const error = await old.commit().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ fields: ['right'], expectedVersion: 2 ** 32 - 2, actualVersion: 2 });
  const disjoint = await table.begin(1);
  disjoint.view.total = 1n;
  expect(await disjoint.commit()).toBe(4);
  expect([(await table.read(1)).left, (await table.read(1)).right, (await table.read(1)).total]).toEqual([5, 5, 1n]);
});
