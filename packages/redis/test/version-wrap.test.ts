// Versions are u32 counters that wrap; stamps are their low 16 bits. Stamps more than 2^14
// versions old are aged out when the version enters a new multiple of 2^14, so every live stamp
// names one full version: conflicts stay exact across the 16-bit and the 32-bit wraps, and a
// snapshot older than the horizon conflicts on an aged-out field rather than lose a write.
import { expect, it } from 'vitest';
import { ConflictError } from '@structsync/core';
import { createRedisTable } from '../src/index.js';
import { rawValue } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { Counters } from './support/structs.js';

const redis = useRedis();
const HORIZON = 2 ** 14;
// Counters: 4 fields → version, generation, marker, fingerprint (16 bytes), 1 dirty byte, u16 stamps at 17-24.
const stampAt = (field: number): number => 17 + 2 * field;

/** Rewrites the record's version and stamps in place (same generation: the same record). */
async function setClock(key: string, version: number, stamps: readonly number[]): Promise<void> {
  const value = (await rawValue(redis.client, key))!;
  value.writeUInt32LE(version >>> 0, 0);
  stamps.forEach((stamp, field) => value.writeUInt16LE(stamp & 0xffff, stampAt(field)));
  await redis.client.set(key, value);
}

const stampsOf = async (key: string): Promise<number[]> => {
  const value = (await rawValue(redis.client, key))!;
  return [0, 1, 2, 3].map((field) => value.readUInt16LE(stampAt(field)));
};

it('ages out stamps older than the horizon on entering a new one, and keeps the recent ones', async () => {
  const table = await createRedisTable(Counters, { client: redis.client, name: 'wrap-age' });
  await table.create(1, {});
  const key = table.keyOf(1);
  const version = 3 * HORIZON - 2;
  // `right` was written 20,000 versions ago, the others at the current version.
  await setClock(key, version, [version, version - 20_000, version, version]);
  expect(await table.update(1, (c) => void (c.left = 1))).toBe(3 * HORIZON);
  expect(await stampsOf(key)).toEqual([3 * HORIZON, 1, version, version]); // right: ANCIENT

  // A snapshot within the horizon did not see a write of the aged-out field: no conflict.
  const recent = await table.begin(1);
  await table.update(1, (c) => void (c.total = 5n));
  recent.view.right = 7;
  expect(await recent.commit()).toBe(3 * HORIZON + 4);
});

it('a snapshot older than the horizon conflicts on an aged-out field (it cannot tell), exactly on live ones', async () => {
  const table = await createRedisTable(Counters, { client: redis.client, name: 'wrap-old' });
  await table.create(1, {});
  const key = table.keyOf(1);
  const old = await table.begin(1); // at version 2
  // Much later: `right` aged out, `left` written recently, `total` and `ratio` at creation's stamp aged out too.
  const now = 5 * HORIZON + 100;
  await setClock(key, now, [now - 10, 1, 1, 1]);
  old.view.right = 3;
  old.view.left = 4;
  const error = await old.commit().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ fields: ['left', 'right'], expectedVersion: 2, actualVersion: now });
  expect((error as Error).message).toContain(`left (written at version ${now - 10})`);
  expect((await table.read(1)).right).toBe(0); // nothing written
});

it('reads a live stamp across the 16-bit wrap as its full version', async () => {
  const table = await createRedisTable(Counters, { client: redis.client, name: 'wrap16' });
  await table.create(1, {});
  const key = table.keyOf(1);
  await setClock(key, 65_528, [65_528, 65_528, 65_528, 65_528]);
  const before = await table.begin(1); // snapshot at 65,528
  await setClock(key, 65_530, [65_530, 65_528, 65_528, 65_528]); // `left` written at 65,530
  const after = await table.begin(1); // snapshot at 65,530
  await setClock(key, 70_000, [65_530, 65_536, 65_528, 65_528]); // `right` written at 65,536 (stamp 0)
  before.view.left = 1;
  before.view.right = 1;
  const error = await before.commit().catch((e: unknown) => e);
  expect(error).toMatchObject({ fields: ['left', 'right'], expectedVersion: 65_528, actualVersion: 70_000 });
  expect((error as Error).message).toContain('right (written at version 65536)');
  after.view.left = 2; // written at its snapshot's version: not since
  after.view.total = 2n;
  expect(await after.commit()).toBe(70_002);
});

it('keeps conflicts exact across the 2^32 wrap', async () => {
  const table = await createRedisTable(Counters, { client: redis.client, name: 'wrap32' });
  await table.create(1, {});
  const key = table.keyOf(1);
  await setClock(key, 2 ** 32 - 2, [2 ** 32 - 2, 2 ** 32 - 2, 2 ** 32 - 2, 2 ** 32 - 2]);
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
  const record = await table.read(1);
  expect([record.left, record.right, record.total]).toEqual([5, 5, 1n]);
});
